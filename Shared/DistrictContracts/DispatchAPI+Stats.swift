public import DistrictProtocol
public import Foundation

/// The statistics of a set of cases over a period (see `CaseTally` in `DispatchDomain` for
/// what each event adds). Rates are fractions (0 … 1), `null` when nothing to divide by.
public struct CaseStatsFigures: Codable, Sendable, Hashable {
    /// New cases reported (duplicates excluded).
    public var reported: Int
    /// Reports merged into an open case.
    public var duplicates: Int
    /// Cases accepted (受理).
    public var accepted: Int
    /// Cases rejected as not a matter for the district.
    public var rejected: Int
    /// Cases closed (办结).
    public var closed: Int
    /// Cases closed without ever being overdue.
    public var closedOnTime: Int
    /// Ratings received.
    public var rated: Int
    /// Ratings of satisfied or basically satisfied.
    public var satisfied: Int
    /// Returns by departments (案件回流).
    public var returned: Int
    /// Cases reopened by an unsatisfied rating.
    public var reopened: Int
    /// accepted / reported (受理率).
    public var acceptanceRate: Double?
    /// closed / accepted (办结率).
    public var closureRate: Double?
    /// closedOnTime / closed (按期办结率).
    public var onTimeRate: Double?
    /// satisfied / rated (满意率).
    public var satisfactionRate: Double?
    /// Mean hours from report to close over the closed cases.
    public var averageHoursToClose: Double?

    /// Creates the figures.
    public init(
        reported: Int, duplicates: Int, accepted: Int, rejected: Int, closed: Int, closedOnTime: Int, rated: Int,
        satisfied: Int, returned: Int, reopened: Int, acceptanceRate: Double?, closureRate: Double?, onTimeRate: Double?,
        satisfactionRate: Double?, averageHoursToClose: Double?
    ) {
        self.reported = reported
        self.duplicates = duplicates
        self.accepted = accepted
        self.rejected = rejected
        self.closed = closed
        self.closedOnTime = closedOnTime
        self.rated = rated
        self.satisfied = satisfied
        self.returned = returned
        self.reopened = reopened
        self.acceptanceRate = acceptanceRate
        self.closureRate = closureRate
        self.onTimeRate = onTimeRate
        self.satisfactionRate = satisfactionRate
        self.averageHoursToClose = averageHoursToClose
    }
}

/// A grid worker's figures over a period. Quality, not volume: only reports that became
/// cases and were not rejected count as work (duplicates merge into another case and never
/// count); handled cases are those the worker claimed and that closed in the period.
public struct WorkerStatsFigures: Codable, Sendable, Hashable {
    /// The worker's subject.
    public var worker: String
    /// Their reports in the period that became cases and were not rejected.
    public var validReports: Int
    /// Their reports in the period that were rejected.
    public var rejectedReports: Int
    /// Their reports in the period merged into an open case as duplicates.
    public var duplicateReports: Int
    /// Cases they handled that closed in the period.
    public var handledClosed: Int
    /// Of those, closed without ever being overdue.
    public var handledOnTime: Int
    /// Of those, rated satisfied or basically satisfied.
    public var handledSatisfied: Int

    /// Creates the figures.
    public init(worker: String, validReports: Int, rejectedReports: Int, duplicateReports: Int, handledClosed: Int, handledOnTime: Int, handledSatisfied: Int) {
        self.worker = worker
        self.validReports = validReports
        self.rejectedReports = rejectedReports
        self.duplicateReports = duplicateReports
        self.handledClosed = handledClosed
        self.handledOnTime = handledOnTime
        self.handledSatisfied = handledSatisfied
    }
}

extension DispatchAPI {
    /// `case.stats`: figures for an org subtree over a period, in total and grouped. Needs
    /// `case.read` at `path` (for `department`, when given). Answered from daily roll-ups
    /// kept in the same transaction as every case change, so a district-wide year costs a
    /// scan of the roll-up, not of the cases.
    public enum Stats: MethodDescriptor {
        public static let name = "case.stats"
        /// The longest period one call may cover (days).
        public static let maxDays = 1830

        /// How to group the figures besides the total.
        public enum Grouping: String, Codable, Sendable, Hashable, CaseIterable {
            /// Only the total.
            case none
            /// By the children of `path` (streets of a district, communities of a street …).
            case child
            /// By grid (or the node a case without a grid belongs to).
            case grid
            /// By department (cases not dispatched to a department under `""`).
            case department
            /// By grid worker (`workers` in the result instead of `groups`).
            case worker
        }

        /// The subtree, period and grouping.
        public struct Params: Codable, Sendable, Hashable {
            /// The subtree, e.g. `d01.s03`.
            public var path: String
            /// First day of the period (inclusive), `YYYY-MM-DD`, in the district's time zone (UTC+8).
            public var from: String
            /// Last day of the period (inclusive), `YYYY-MM-DD`.
            public var to: String
            /// Only cases of this department.
            public var department: String?
            /// Grouping (default `none`).
            public var groupBy: Grouping?

            /// Creates the parameters.
            public init(path: String, from: String, to: String, department: String? = nil, groupBy: Grouping? = nil) {
                self.path = path
                self.from = from
                self.to = to
                self.department = department
                self.groupBy = groupBy
            }
        }

        /// One group's figures.
        public struct Group: Codable, Sendable, Hashable {
            /// The group key: an org path, a department code or `""`.
            public var key: String
            /// Its figures.
            public var figures: CaseStatsFigures
            /// Creates a group.
            public init(key: String, figures: CaseStatsFigures) {
                self.key = key
                self.figures = figures
            }
        }

        /// The figures.
        public struct Result: Codable, Sendable, Hashable {
            /// The subtree.
            public var path: String
            /// First day.
            public var from: String
            /// Last day.
            public var to: String
            /// All cases in the subtree (and department, if given).
            public var total: CaseStatsFigures
            /// Per group, by key (empty for `none` and `worker`).
            public var groups: [Group]
            /// Per grid worker, by subject (only for `worker`).
            public var workers: [WorkerStatsFigures]

            /// Creates the result.
            public init(path: String, from: String, to: String, total: CaseStatsFigures, groups: [Group], workers: [WorkerStatsFigures]) {
                self.path = path
                self.from = from
                self.to = to
                self.total = total
                self.groups = groups
                self.workers = workers
            }
        }
    }
}
