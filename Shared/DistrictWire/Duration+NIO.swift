public import NIOCore

extension NIODeadline {
    /// The deadline `duration` from now.
    public static func after(_ duration: Duration) -> NIODeadline {
        .now() + TimeAmount(duration)
    }
}
