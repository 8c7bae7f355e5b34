public import Logging

/// swift-log's human-readable `StreamLogHandler` format (`--log-format text`), with the
/// logger's metadata kept as a dictionary until a line is written.
///
/// `StreamLogHandler` renders all of its metadata into text each time a key is set. The
/// services give every request's logger its `rpc.id` and `rpc.method`, and most requests
/// then log nothing at the configured level, so that rendering was paid per request for
/// lines never written (about 2 % of the machine in a `report` load run). This handler
/// renders only what it writes. Lines are the same as `StreamLogHandler`'s; metadata
/// precedence is swift-log's: the handler's, then the metadata provider's, then the call's.
public struct TextLogHandler: LogHandler {
    private var stream: StreamLogHandler

    /// Metadata attached to every line this handler writes.
    public var metadata: Logger.Metadata = [:]

    /// Supplies contextual (for example task-local) metadata at log time.
    public var metadataProvider: Logger.MetadataProvider?

    /// The minimum level this handler is asked to log.
    public var logLevel: Logger.Level {
        get { stream.logLevel }
        set { stream.logLevel = newValue }
    }

    /// A handler writing to standard error.
    public static func standardError(label: String, logLevel: Logger.Level = .info, metadataProvider: Logger.MetadataProvider? = nil) -> TextLogHandler {
        TextLogHandler(stream: .standardError(label: label), logLevel: logLevel, metadataProvider: metadataProvider)
    }

    /// A handler writing through `stream` (which must have no metadata or provider of its own).
    init(stream: StreamLogHandler, logLevel: Logger.Level, metadataProvider: Logger.MetadataProvider?) {
        self.stream = stream
        self.metadataProvider = metadataProvider
        self.stream.logLevel = logLevel
    }

    /// Gets or sets one metadata entry of this handler.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes `event` with the handler's, the provider's and the event's metadata.
    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get(), !provided.isEmpty {
            merged.merge(provided) { _, new in new }
        }
        if let explicit = event.metadata, !explicit.isEmpty {
            merged.merge(explicit) { _, new in new }
        }
        var event = event
        event.metadata = merged.isEmpty ? nil : merged
        stream.log(event: event)
    }
}
