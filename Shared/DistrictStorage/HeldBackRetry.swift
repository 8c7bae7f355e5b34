/// How soon a reader of the event log looks again while events are held back by an older
/// open transaction: 1 ms, doubling up to 32 ms while they stay held back. That transaction
/// may write no events and so end without a notification; waiting for a listener's
/// one-second re-check would delay every held-back event by up to a second.
public struct HeldBackRetry: Sendable {
    /// The first pause.
    public static let first: Duration = .milliseconds(1)
    /// The longest pause.
    public static let longest: Duration = .milliseconds(32)

    private var pause = Self.first

    /// Starts at ``first``.
    public init() {}

    /// The pause before the next look; the one after it is twice as long, up to ``longest``.
    public mutating func next() -> Duration {
        defer { pause = min(pause * 2, Self.longest) }
        return pause
    }

    /// Back to ``first``, once nothing is held back.
    public mutating func reset() {
        pause = Self.first
    }
}
