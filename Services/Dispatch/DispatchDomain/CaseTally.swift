public import DistrictContracts
public import Foundation

/// What one case event adds to the statistics (办结率, 满意率 …), counted on the day the
/// event happens at the case's place and department.
///
/// The figures are flows over a period: a case reported in March and closed in April adds
/// to March's `reported` and April's `closed`. A reopened case that closes again counts as
/// closed again, and a duplicate report merged into an open case is counted as a duplicate,
/// never as a report. A case linked by hand as a duplicate moves from `reported` to
/// `duplicates` on the day of the link (and back when unlinked), so a day's row may hold a
/// negative count while every period's sum stays right.
public struct CaseTally: Sendable, Hashable, Codable {
    /// New cases (duplicates merged into an open case are not new cases).
    public var reported = 0
    /// Reports merged into an open case as duplicates.
    public var duplicates = 0
    /// Cases accepted (受理).
    public var accepted = 0
    /// Cases rejected as not a matter for us.
    public var rejected = 0
    /// Cases closed (办结).
    public var closed = 0
    /// Cases closed without ever having been overdue.
    public var closedOnTime = 0
    /// Seconds from report to close, summed over the closed cases.
    public var secondsToClose: Int64 = 0
    /// Ratings received (reporter or call-back).
    public var rated = 0
    /// Ratings of satisfied or basically satisfied.
    public var satisfied = 0
    /// Returns by a department (案件回流).
    public var returned = 0
    /// Cases reopened after an unsatisfied rating.
    public var reopened = 0

    /// A tally of nothing.
    public init() {}

    /// Whether this tally adds nothing.
    public var isEmpty: Bool { self == CaseTally() }

    /// What `event` adds, given the case as it is after the event.
    ///
    /// - Parameters:
    ///   - event: the timeline event name (`case.reported`, `case.closed` …).
    ///   - satisfaction: the case's rating after the event (`nil` once reopened).
    ///   - wasOverdue: whether the case was ever overdue.
    ///   - reportedAt: when the case was reported.
    ///   - at: when the event happened.
    public static func of(event: String, satisfaction: Satisfaction?, wasOverdue: Bool, reportedAt: Date, at: Date) -> CaseTally {
        var tally = CaseTally()
        switch event {
        case "case.reported":
            tally.reported = 1
        case "case.duplicate_merged":
            tally.duplicates = 1
        case "case.accepted":
            tally.accepted = 1
        case "case.rejected":
            tally.rejected = 1
        case "case.closed":
            tally.closed = 1
            tally.closedOnTime = wasOverdue ? 0 : 1
            tally.secondsToClose = Int64(max(0, at.timeIntervalSince(reportedAt)).rounded())
        case "case.rated":
            tally.rated = 1
            tally.satisfied = satisfaction == .satisfied || satisfaction == .basicallySatisfied ? 1 : 0
        case "case.reopened":
            tally.rated = 1
            tally.reopened = 1
        case "case.returned":
            tally.returned = 1
        case "case.linked":
            // Linked by hand as a duplicate: it stops counting as a case of its own.
            tally.reported = -1
            tally.duplicates = 1
        case "case.unlinked":
            tally.reported = 1
            tally.duplicates = -1
        default:
            break
        }
        return tally
    }

    /// Adds `other` to this tally.
    public static func += (lhs: inout CaseTally, rhs: CaseTally) {
        lhs.reported += rhs.reported
        lhs.duplicates += rhs.duplicates
        lhs.accepted += rhs.accepted
        lhs.rejected += rhs.rejected
        lhs.closed += rhs.closed
        lhs.closedOnTime += rhs.closedOnTime
        lhs.secondsToClose += rhs.secondsToClose
        lhs.rated += rhs.rated
        lhs.satisfied += rhs.satisfied
        lhs.returned += rhs.returned
        lhs.reopened += rhs.reopened
    }

    /// The figures with their rates: acceptance = accepted / reported, closure (办结率) =
    /// closed / accepted, on time = closed on time / closed, satisfaction = satisfied /
    /// rated; a rate whose denominator is zero is `nil`.
    public var figures: CaseStatsFigures {
        func rate(_ part: Int, _ whole: Int) -> Double? { whole == 0 ? nil : Double(part) / Double(whole) }
        return CaseStatsFigures(
            reported: reported, duplicates: duplicates, accepted: accepted, rejected: rejected, closed: closed,
            closedOnTime: closedOnTime, rated: rated, satisfied: satisfied, returned: returned, reopened: reopened,
            acceptanceRate: rate(accepted, reported), closureRate: rate(closed, accepted), onTimeRate: rate(closedOnTime, closed),
            satisfactionRate: rate(satisfied, rated),
            averageHoursToClose: closed == 0 ? nil : Double(secondsToClose) / Double(closed) / 3600)
    }
}
