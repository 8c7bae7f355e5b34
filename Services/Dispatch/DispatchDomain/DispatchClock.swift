public import Foundation
import Synchronization

/// Where the dispatch service reads the time: deadlines, report times and the sweeper.
/// Tests inject a ``ManualClock`` so deadlines pass without sleeping.
public protocol DispatchClock: Sendable {
    /// The current time.
    func now() -> Date
}

/// The system's wall clock.
public struct SystemDispatchClock: DispatchClock {
    /// Creates the clock.
    public init() {}
    /// `Date()`.
    public func now() -> Date { Date() }
}

/// A clock that moves only when told to.
public final class ManualClock: DispatchClock {
    private let current: Mutex<Date>

    /// A clock standing at `start`.
    public init(_ start: Date) {
        self.current = Mutex(start)
    }

    /// The time the clock stands at.
    public func now() -> Date { current.withLock { $0 } }

    /// Moves the clock forward by `interval` seconds.
    public func advance(by interval: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(interval) }
    }
}
