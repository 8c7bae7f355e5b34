/// The protected header of a compact JWS access token.
struct JOSEHeader: Codable, Sendable {
    /// The only algorithm signed and accepted.
    static let edDSA = "EdDSA"

    var alg: String
    var typ: String?
    var kid: String?
    /// Critical extensions; none are understood, so any present makes the token invalid.
    var crit: [String]?
}
