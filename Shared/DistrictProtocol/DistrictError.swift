/// The error of a call: a catalogue code, a human-readable message and optional string
/// details. It is what a handler throws and what a client call throws.
public struct DistrictError: Error, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The machine-readable code.
    public var code: ErrorCode
    /// A message for people; never contains internals such as SQL or stack traces.
    public var message: String
    /// Optional structured details (field names, limits, current state).
    public var details: [String: String]?

    /// Creates an error.
    public init(_ code: ErrorCode, _ message: String, details: [String: String]? = nil) {
        self.code = code
        self.message = message
        self.details = details
    }

    public var description: String {
        if let details, !details.isEmpty {
            let rendered = details.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
            return "\(code.rawValue): \(message) (\(rendered))"
        }
        return "\(code.rawValue): \(message)"
    }

    /// Parameters failed validation: names the field and what was wrong.
    public static func invalidParams(_ message: String, field: String? = nil) -> DistrictError {
        DistrictError(.invalidParams, message, details: field.map { ["field": $0] })
    }
}
