/// The five services of a district and where they listen by default.
public enum DistrictService: String, CaseIterable, Sendable, Codable, Hashable {
    /// Identity and org tree.
    case identity
    /// Grid and case dispatch.
    case dispatch
    /// Mediation centre.
    case mediation
    /// Public legal services.
    case legal
    /// Notification.
    case notify

    /// The default protocol port (TLS): 7401 … 7405.
    public var defaultPort: Int {
        switch self {
        case .identity: return 7401
        case .dispatch: return 7402
        case .mediation: return 7403
        case .legal: return 7404
        case .notify: return 7405
        }
    }

    /// The default Prometheus metrics port (plain HTTP): 9401 … 9405.
    public var defaultMetricsPort: Int { defaultPort + 2000 }

    /// The executable's name, e.g. `district-dispatch`.
    public var executableName: String { "district-\(rawValue)" }

    /// The PostgreSQL schema the service owns.
    public var schema: String { rawValue }
}
