/// A district service that needs a server-and-client certificate, and the names it is reached by.
public struct ServiceIdentity: Hashable, Sendable {
    /// The service's short name, e.g. `"dispatch"`; also its file name stem and Compose service name.
    public var name: String
    /// DNS names to add beyond ``defaultDNSNames``, e.g. a public host name.
    public var extraDNSNames: [String]

    /// Creates a service identity.
    public init(name: String, extraDNSNames: [String] = []) {
        self.name = name
        self.extraDNSNames = extraDNSNames
    }

    /// The identity service (staff login, tokens).
    public static let identity = ServiceIdentity(name: "identity")
    /// The dispatch service (cases, routing to departments).
    public static let dispatch = ServiceIdentity(name: "dispatch")
    /// The mediation service.
    public static let mediation = ServiceIdentity(name: "mediation")
    /// The legal service.
    public static let legal = ServiceIdentity(name: "legal")
    /// The notify service.
    public static let notify = ServiceIdentity(name: "notify")
    /// All five district services.
    public static let all: [ServiceIdentity] = [.identity, .dispatch, .mediation, .legal, .notify]

    /// Loopback addresses every service certificate covers: `127.0.0.1` and `::1`.
    public static let loopbackAddresses = ["127.0.0.1", "::1"]

    /// `localhost` plus the Compose service name and its `district-` container name.
    public var defaultDNSNames: [String] {
        ["localhost", name, "district-\(name)"]
    }

    /// Every DNS name the certificate covers, without duplicates, in a stable order.
    public var dnsNames: [String] {
        var seen = Set<String>()
        return (defaultDNSNames + extraDNSNames).filter { seen.insert($0.lowercased()).inserted }
    }
}
