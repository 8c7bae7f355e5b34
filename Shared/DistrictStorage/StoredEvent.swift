public import Foundation

/// An event read back from the log.
public struct StoredEvent: Sendable, Hashable {
    /// The event's position (transaction id, event id).
    public var position: EventPosition
    /// Stream name.
    public var stream: String
    /// Event type.
    public var type: String
    /// Entity key, if any.
    public var key: String?
    /// Organisational path, if any.
    public var orgPath: String?
    /// The payload as JSON text (as normalised by `jsonb`).
    public var payloadJSON: String
    /// When the appending transaction inserted the event (its transaction start time).
    public var occurredAt: Date

    /// Creates a stored event.
    public init(
        position: EventPosition, stream: String, type: String, key: String?, orgPath: String?,
        payloadJSON: String, occurredAt: Date
    ) {
        self.position = position
        self.stream = stream
        self.type = type
        self.key = key
        self.orgPath = orgPath
        self.payloadJSON = payloadJSON
        self.occurredAt = occurredAt
    }

    /// Decodes the payload (ISO-8601 dates, matching ``NewEvent/defaultEncoder()``).
    public func decodePayload<Payload: Decodable>(_ type: Payload.Type, decoder: JSONDecoder? = nil) throws -> Payload {
        let decoder = decoder ?? {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return decoder
        }()
        return try decoder.decode(type, from: Data(self.payloadJSON.utf8))
    }
}
