/// How a load run sends its operations.
public struct LoadPlan: Sendable, Hashable {
    /// Open or closed loop.
    public enum Mode: Sendable, Hashable {
        /// A fixed arrival rate (operations per second) whatever the answers: latency is
        /// measured from each operation's *intended* start, so a server that falls behind
        /// shows its queueing in the figures (no coordinated omission).
        case open(rate: Double)
        /// `inFlight` operations outstanding at all times; each starts when one ends.
        case closed(inFlight: Int)
    }

    /// Open or closed loop.
    public var mode: Mode
    /// How long to measure, after the warm-up.
    public var duration: Duration
    /// How long to run before measuring (not recorded).
    public var warmup: Duration
    /// Open loop: the most operations outstanding at once. When all are outstanding the
    /// next one waits (and its latency, counted from its intended start, grows).
    public var maximumOutstanding: Int

    /// Creates a plan.
    public init(mode: Mode, duration: Duration, warmup: Duration = .zero, maximumOutstanding: Int = 10_000) {
        self.mode = mode
        self.duration = duration
        self.warmup = warmup
        self.maximumOutstanding = maximumOutstanding
    }
}
