/// Versions of the district line protocol this library speaks.
public enum ProtocolVersion {
    /// The version this build speaks; the handshake negotiates it.
    public static let current = 1
    /// All versions this build can speak, newest first.
    public static let supported = [1]
}
