public import Foundation

/// Methods of the dispatch service: grids (`grid.*`), the matter catalogue
/// (`catalogue.*`), cases (`case.*`) and the department queue (`dispatch.queue.subscribe`).
public enum DispatchAPI {
    /// The stream every case event is appended to.
    public static let caseStream = "dispatch.case"

    /// The stream of the events a department's queue receives, e.g. `dispatch.dept.cg`.
    public static func departmentStream(_ department: String) -> String {
        "dispatch.dept.\(department)"
    }
}

/// Where a case is in its life. The diagram is in `docs/case-lifecycle.md`.
public enum CaseState: String, Codable, Sendable, Hashable, CaseIterable {
    /// Reported, waiting to be accepted (受理).
    case reported
    /// Accepted, waiting to be dispatched.
    case accepted
    /// Dispatched to a department or the grid (派单), waiting to be claimed.
    case dispatched
    /// Claimed by a handler (签收).
    case claimed
    /// Being handled (处置).
    case inProgress = "in_progress"
    /// The handler reports it resolved; waiting for verification (核查).
    case resolved
    /// Verified by the command centre; waiting to be closed.
    case verified
    /// Closed (结案). Feedback may still reopen it once.
    case closed
    /// Not our matter: refused with a reason and where to go instead.
    case rejected
    /// Sent back by a department with a reason; an arbiter decides (案件回流).
    case returned
    /// Whistled up (吹哨) to the street or the district command centre.
    case escalated
    /// The reporter was unsatisfied; waiting to be dispatched again.
    case reopened

    /// Whether the case still needs work (everything but closed and rejected).
    public var isOpen: Bool { self != .closed && self != .rejected }
}

/// Where a report came from.
public enum CaseChannel: String, Codable, Sendable, Hashable, CaseIterable {
    /// A grid worker on patrol.
    case gridWorker = "grid_worker"
    /// A resident (app, WeChat, phone).
    case resident
    /// The 12345 hotline.
    case hotline = "hotline_12345"
    /// A department's own system.
    case department
}

/// Who handles a category of matter (分级处置).
public enum HandlingLevel: String, Codable, Sendable, Hashable, CaseIterable {
    /// Handled by the grid worker in the grid (一般问题前端处置).
    case grid
    /// Handled by the street.
    case street
    /// Handled by the responsible department.
    case department
    /// Several departments, with a lead department.
    case multiDepartment = "multi_department"
}

/// A resident's rating of how a case was handled (评价).
public enum Satisfaction: String, Codable, Sendable, Hashable, CaseIterable {
    /// 满意.
    case satisfied
    /// 基本满意.
    case basicallySatisfied = "basically_satisfied"
    /// 不满意: reopens the case once; after that it goes to supervisor review.
    case unsatisfied
}

/// A point in WGS-84 degrees.
public struct GeoPoint: Codable, Sendable, Hashable {
    /// Longitude, −180 … 180.
    public var longitude: Double
    /// Latitude, −90 … 90.
    public var latitude: Double

    /// Creates a point.
    public init(longitude: Double, latitude: Double) {
        self.longitude = longitude
        self.latitude = latitude
    }
}

/// An attachment stored elsewhere, referenced by URL, SHA-256 and size (never the bytes).
public struct AttachmentReference: Codable, Sendable, Hashable {
    /// Where the file is, `https://…`.
    public var url: String
    /// Lower-case hex SHA-256 of the file (64 characters).
    public var sha256: String
    /// Size in bytes.
    public var size: Int

    /// Creates a reference.
    public init(url: String, sha256: String, size: Int) {
        self.url = url
        self.sha256 = sha256
        self.size = size
    }
}

/// A summons (吹哨) of departments to a case.
public struct Whistle: Codable, Sendable, Hashable {
    /// The level the case went up to: `street` or `district`.
    public var level: String
    /// The departments summoned (at least one), including the lead.
    public var departments: [String]
    /// The department that leads.
    public var leadDepartment: String
    /// When the departments must report for duty (报到).
    public var reportBy: Date
    /// The named leader of a major case (包案领导), if any.
    public var leader: String?

    /// Creates a whistle.
    public init(level: String, departments: [String], leadDepartment: String, reportBy: Date, leader: String? = nil) {
        self.level = level
        self.departments = departments
        self.leadDepartment = leadDepartment
        self.reportBy = reportBy
        self.leader = leader
    }
}

/// One entry of a case's timeline: a transition and who made it.
public struct TimelineEntry: Codable, Sendable, Hashable {
    /// 1, 2, 3, … in the order of the case's changes.
    public var sequence: Int
    /// When it happened.
    public var at: Date
    /// The subject who did it (`system` for the deadline sweeper).
    public var actor: String
    /// What was done, e.g. `case.claimed`.
    public var event: String
    /// The state before.
    public var fromState: CaseState?
    /// The state after.
    public var toState: CaseState
    /// A free-text note or reason.
    public var note: String?

    /// Creates an entry.
    public init(sequence: Int, at: Date, actor: String, event: String, fromState: CaseState?, toState: CaseState, note: String?) {
        self.sequence = sequence
        self.at = at
        self.actor = actor
        self.event = event
        self.fromState = fromState
        self.toState = toState
        self.note = note
    }
}

/// A case as methods return it.
public struct CaseRecord: Codable, Sendable, Hashable {
    /// The case id (a UUID).
    public var id: String
    /// The human-readable number, `<district>-<year>-<serial>`, e.g. `d01-2025-000042`.
    public var number: String
    /// The current state.
    public var state: CaseState
    /// The catalogue category code.
    public var category: String
    /// The catalogue version the case was routed under.
    public var catalogueVersion: Int
    /// Who handles it.
    public var level: HandlingLevel
    /// A short title.
    public var title: String
    /// What was reported.
    public var description: String
    /// Where the report came from.
    public var channel: CaseChannel
    /// The org path the case belongs to (its grid, or the node it was reported at).
    public var orgPath: String
    /// The coordinates, if given.
    public var location: GeoPoint?
    /// The department it is dispatched to; nil while with the grid or not dispatched.
    public var department: String?
    /// Who claimed it.
    public var assignee: String?
    /// When it was reported.
    public var reportedAt: Date
    /// The deadline running now: accept-by before dispatch, resolve-by after.
    public var dueAt: Date?
    /// When the 80 % warning is (or was) due.
    public var warnAt: Date?
    /// Whether the running deadline passed.
    public var overdue: Bool
    /// How far it went up automatically or by hand: `grid`, `street` or `district`.
    public var escalationLevel: String
    /// The active summons, if whistled.
    public var whistle: Whistle?
    /// How often it was reopened.
    public var reopenCount: Int
    /// How often departments returned it.
    public var returnCount: Int
    /// Whether a supervisor must review it (unsatisfied after a reopen).
    public var needsSupervisorReview: Bool
    /// The reporter's rating, if given.
    public var satisfaction: Satisfaction?
    /// Reports merged into this case as duplicates (each reporter counted once).
    public var duplicateReports: Int
    /// Attachments.
    public var attachments: [AttachmentReference]
    /// The timeline, oldest first; filled by `case.get` and the transition methods.
    public var timeline: [TimelineEntry]?

    /// Creates a record.
    public init(
        id: String, number: String, state: CaseState, category: String, catalogueVersion: Int, level: HandlingLevel,
        title: String, description: String, channel: CaseChannel, orgPath: String, location: GeoPoint?,
        department: String?, assignee: String?, reportedAt: Date, dueAt: Date?, warnAt: Date?, overdue: Bool,
        escalationLevel: String, whistle: Whistle?, reopenCount: Int, returnCount: Int, needsSupervisorReview: Bool,
        satisfaction: Satisfaction?, duplicateReports: Int, attachments: [AttachmentReference], timeline: [TimelineEntry]?
    ) {
        self.id = id
        self.number = number
        self.state = state
        self.category = category
        self.catalogueVersion = catalogueVersion
        self.level = level
        self.title = title
        self.description = description
        self.channel = channel
        self.orgPath = orgPath
        self.location = location
        self.department = department
        self.assignee = assignee
        self.reportedAt = reportedAt
        self.dueAt = dueAt
        self.warnAt = warnAt
        self.overdue = overdue
        self.escalationLevel = escalationLevel
        self.whistle = whistle
        self.reopenCount = reopenCount
        self.returnCount = returnCount
        self.needsSupervisorReview = needsSupervisorReview
        self.satisfaction = satisfaction
        self.duplicateReports = duplicateReports
        self.attachments = attachments
        self.timeline = timeline
    }
}
