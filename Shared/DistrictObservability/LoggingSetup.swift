public import Logging
import Synchronization

/// Process-wide logging bootstrap for the district services.
///
/// Libraries never call this; executables call it once at start-up, and tests
/// never call it at all (they build handlers directly).
public enum LoggingSetup {
    private static let bootstrapped = Mutex(false)

    /// Bootstraps swift-log's `LoggingSystem` with the chosen format and level.
    ///
    /// Only the first call in a process has an effect; later calls are ignored instead
    /// of crashing, as a second `LoggingSystem.bootstrap` would.
    /// - Parameters:
    ///   - format: `json` for ``JSONLogHandler`` on standard error, `text` for ``TextLogHandler`` (swift-log's `StreamLogHandler` format).
    ///   - level: The minimum level every new `Logger` starts with.
    ///   - metadataProvider: Contextual metadata merged into every log line.
    /// - Returns: `true` if this call bootstrapped the logging system.
    @discardableResult
    public static func bootstrap(
        format: LogFormat,
        level: Logger.Level = .info,
        metadataProvider: Logger.MetadataProvider? = nil
    ) -> Bool {
        let first = self.bootstrapped.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return false }
        LoggingSystem.bootstrap(
            { label, provider in
                Self.makeHandler(label: label, format: format, level: level, metadataProvider: provider)
            },
            metadataProvider: metadataProvider
        )
        return true
    }

    /// Makes the handler ``bootstrap(format:level:metadataProvider:)`` installs, without touching global state.
    public static func makeHandler(
        label: String,
        format: LogFormat,
        level: Logger.Level = .info,
        metadataProvider: Logger.MetadataProvider? = nil
    ) -> any LogHandler {
        switch format {
        case .json:
            return JSONLogHandler(label: label, logLevel: level, metadataProvider: metadataProvider)
        case .text:
            return TextLogHandler.standardError(label: label, logLevel: level, metadataProvider: metadataProvider)
        }
    }
}
