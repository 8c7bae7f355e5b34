public import DistrictRuntime

/// The legal service.
///
/// Its domain methods arrive with their own issue; until then it runs the shared runtime:
/// the handshake, `system.health`, `system.echo`, `events.subscribe` and metrics.
public enum LegalService {
    /// The service's definition for `ServiceRuntime` and `districtctl up`.
    public static let definition = ServiceDefinition(service: .legal)
}
