/// A request's `id`: a JSON string or integer chosen by the client, echoed verbatim in the
/// response so that pipelined responses can be matched in any order.
public enum RequestID: Hashable, Sendable, CustomStringConvertible {
    /// An integer id (within ±2^53 so every JSON implementation keeps it exact).
    case number(Int64)
    /// A string id (1 to 128 characters).
    case string(String)

    /// The largest integer id, 2^53 − 1.
    public static let maximumNumber: Int64 = (1 << 53) - 1
    /// The longest string id, in UTF-8 bytes.
    public static let maximumStringLength = 128

    public var description: String {
        switch self {
        case .number(let value): return String(value)
        case .string(let value): return value
        }
    }

    /// The id as JSON text.
    public var json: String {
        switch self {
        case .number(let value): return String(value)
        case .string(let value): return JSONText.quoted(value)
        }
    }
}

extension RequestID: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int64.self) {
            self = .number(number)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        }
    }
}
