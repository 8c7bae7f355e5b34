/// The version of this build of the district services.
public enum DistrictVersion {
    /// The semantic version, reported by `system.health` and the handshake.
    public static let current = "0.1.0"
}
