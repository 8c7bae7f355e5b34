/// Who is on the other end of a connection, as far as the transport can tell.
public struct PeerIdentity: Sendable, Hashable {
    /// The peer's address, e.g. `127.0.0.1:51234`.
    public var address: String?
    /// The common name of the peer's verified district certificate, if it presented one
    /// (service names such as `dispatch`, or department client names).
    public var certificateCommonName: String?

    /// Creates a peer identity.
    public init(address: String? = nil, certificateCommonName: String? = nil) {
        self.address = address
        self.certificateCommonName = certificateCommonName
    }
}
