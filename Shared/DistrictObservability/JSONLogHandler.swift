public import Logging

/// A swift-log `LogHandler` that writes one JSON object per line.
///
/// Each line carries `ts` (ISO-8601 UTC with milliseconds), `level`, `label`, `msg`
/// and `source`, then `error` when the event has one, then every metadata entry as a
/// top-level field under its own (dotted) key, e.g. `"case.id"`. Nested metadata
/// dictionaries and arrays become JSON objects and arrays; every other value is a
/// JSON string. A metadata key that collides with one of the fixed fields is written
/// as `meta.<key>` so no line ever carries a duplicate key.
///
/// Metadata precedence follows swift-log: the handler's metadata, then the
/// metadata provider's, then the log call's own.
public struct JSONLogHandler: LogHandler {
    /// The label of the `Logger` this handler belongs to.
    public let label: String

    /// The minimum level this handler is asked to log.
    public var logLevel: Logger.Level

    /// Metadata attached to every line this handler writes.
    public var metadata: Logger.Metadata

    /// Supplies contextual (for example task-local) metadata at log time.
    public var metadataProvider: Logger.MetadataProvider?

    private let writer: LogLineWriter

    private static let reservedKeys: Set<String> = ["ts", "level", "label", "msg", "source", "error"]

    /// Creates a handler.
    /// - Parameters:
    ///   - label: The logger's label, written as `label` on every line.
    ///   - logLevel: The minimum level to log.
    ///   - writer: Where lines go; standard error unless a test passes its own.
    ///   - metadataProvider: Contextual metadata merged into every line.
    public init(
        label: String,
        logLevel: Logger.Level = .info,
        writer: LogLineWriter = .standardError,
        metadataProvider: Logger.MetadataProvider? = nil
    ) {
        self.label = label
        self.logLevel = logLevel
        self.metadata = [:]
        self.metadataProvider = metadataProvider
        self.writer = writer
    }

    /// Gets or sets one metadata entry of this handler.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    /// Encodes `event` as one JSON line and writes it.
    public func log(event: LogEvent) {
        let now = JSONLineEncoder.now()
        self.writer.write(self.encode(event, seconds: now.seconds, nanoseconds: now.nanoseconds))
    }

    /// The complete line (with trailing newline) for `event` at the given time.
    func encode(_ event: LogEvent, seconds: Int, nanoseconds: Int) -> [UInt8] {
        var line = JSONLineEncoder()
        line.timestampField("ts", seconds: seconds, nanoseconds: nanoseconds)
        line.field("level", event.level.rawValue)
        line.field("label", self.label)
        line.field("msg", event.message.description)
        line.field("source", event.source)
        if let error = event.error {
            line.field("error", String(describing: error))
        }

        let merged = self.mergedMetadata(event.metadata)
        // Sorted so that the same metadata always renders in the same order.
        for key in merged.keys.sorted() {
            let name = Self.reservedKeys.contains(key) ? "meta." + key : key
            line.field(name, merged[key]!)
        }
        return line.finish()
    }

    private func mergedMetadata(_ explicit: Logger.Metadata?) -> Logger.Metadata {
        var merged = self.metadata
        if let provided = self.metadataProvider?.get(), !provided.isEmpty {
            merged.merge(provided, uniquingKeysWith: { _, provided in provided })
        }
        if let explicit, !explicit.isEmpty {
            merged.merge(explicit, uniquingKeysWith: { _, explicit in explicit })
        }
        return merged
    }
}
