/// Size limits of frames on a connection.
public struct FrameLimits: Sendable, Hashable {
    /// The default maximum payload: 1 MiB.
    public static let defaultMaximumPayloadBytes = 1 << 20

    /// The largest payload a peer may send; larger length prefixes are a protocol error.
    public var maximumPayloadBytes: Int

    /// Creates limits; `maximumPayloadBytes` is clamped to 1 byte … 64 MiB.
    public init(maximumPayloadBytes: Int = FrameLimits.defaultMaximumPayloadBytes) {
        self.maximumPayloadBytes = min(max(1, maximumPayloadBytes), 64 << 20)
    }
}
