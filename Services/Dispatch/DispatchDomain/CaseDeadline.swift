public import Foundation

/// A running deadline: when it started, when the warning is due and when it passes.
public struct CaseDeadline: Sendable, Hashable {
    /// The share of the allowed time after which a warning goes out.
    public static let warningFraction = 0.8

    /// When the clock started (report for accepting, dispatch for resolving).
    public var startedAt: Date
    /// When the 80 % warning is due.
    public var warnAt: Date
    /// When the deadline passes.
    public var dueAt: Date

    /// The deadline of `minutes` allowed from `start`.
    public init(from start: Date, minutes: Int) {
        // Whole seconds: 80 % of a minute is 48 s, so deadlines compare exactly.
        self.startedAt = start
        self.warnAt = start.addingTimeInterval(TimeInterval(minutes * 48))
        self.dueAt = start.addingTimeInterval(TimeInterval(minutes * 60))
    }

    /// Where the deadline stands at `now`.
    public func status(at now: Date) -> Status {
        if now >= dueAt { return .overdue }
        if now >= warnAt { return .warning }
        return .onTime
    }

    /// Where a deadline stands.
    public enum Status: Sendable, Hashable {
        /// Less than 80 % of the time used.
        case onTime
        /// 80 % or more used, not yet passed.
        case warning
        /// Passed.
        case overdue
    }
}

/// The levels a case goes up when whistled or overdue: grid → street → district.
public enum EscalationLevel {
    /// The levels, lowest first.
    public static let levels = ["grid", "street", "district"]

    /// The next level up; the district stays the district.
    public static func next(after level: String) -> String {
        guard let index = levels.firstIndex(of: level), index + 1 < levels.count else { return "district" }
        return levels[index + 1]
    }
}
