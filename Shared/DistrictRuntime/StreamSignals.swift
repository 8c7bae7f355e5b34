import Synchronization

/// One ``GenerationSignal`` per stream of the event log, made when first asked for: a
/// waiter on one stream is woken by ``advance(_:)`` of that stream and by ``advanceAll()``,
/// not by the other streams'.
public final class StreamSignals: Sendable {
    private let signals = Mutex<[String: GenerationSignal]>([:])

    /// No signals yet.
    public init() {}

    /// The signal of `stream`, made if nobody asked for it before.
    public func signal(of stream: String) -> GenerationSignal {
        signals.withLock { signals in
            if let signal = signals[stream] { return signal }
            let signal = GenerationSignal()
            signals[stream] = signal
            return signal
        }
    }

    /// Advances the signal of `stream`, if anyone ever asked for it (nobody waits on the others).
    public func advance(_ stream: String) {
        signals.withLock { $0[stream] }?.advance()
    }

    /// Advances every stream's signal.
    public func advanceAll() {
        for signal in signals.withLock({ Array($0.values) }) { signal.advance() }
    }
}
