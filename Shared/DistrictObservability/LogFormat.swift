/// How a service renders its log lines.
///
/// `json` is meant for deployments (one object per line, easy to ship and query);
/// `text` is swift-log's human-readable `StreamLogHandler` format for local runs (``TextLogHandler``).
public enum LogFormat: String, Sendable, Hashable, CaseIterable {
    /// One JSON object per line, written by ``JSONLogHandler``.
    case json
    /// swift-log's plain `StreamLogHandler` output.
    case text
}
