public import Foundation

/// An event to append to the log.
public struct NewEvent: Sendable, Hashable {
    /// Stream the event belongs to, e.g. `"dispatch.case"`; listeners are notified per stream.
    public var stream: String
    /// Event type, e.g. `"case.opened"`.
    public var type: String
    /// Optional entity key, e.g. a case id.
    public var key: String?
    /// Optional organisational path the event is scoped to.
    public var orgPath: String?
    /// The payload as a JSON text (stored as `jsonb`).
    public var payloadJSON: String

    /// Creates an event from a JSON payload text.
    public init(stream: String, type: String, key: String? = nil, orgPath: String? = nil, payloadJSON: String) {
        self.stream = stream
        self.type = type
        self.key = key
        self.orgPath = orgPath
        self.payloadJSON = payloadJSON
    }

    /// Creates an event, encoding `payload` with `encoder` (default: sorted keys, ISO-8601 dates).
    public init(
        stream: String,
        type: String,
        key: String? = nil,
        orgPath: String? = nil,
        payload: some Encodable,
        encoder: JSONEncoder = NewEvent.defaultEncoder()
    ) throws {
        let data = try encoder.encode(payload)
        self.init(
            stream: stream, type: type, key: key, orgPath: orgPath,
            payloadJSON: String(decoding: data, as: UTF8.self)
        )
    }

    /// A JSON encoder with sorted keys and ISO-8601 dates.
    public static func defaultEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}
