import DistrictContracts
import Foundation

/// A `dispatch.cases` row as read with `to_jsonb(c)`, and the record methods return.
struct CaseRow: Codable, Sendable {
    var id: UUID
    var number: String
    var state: CaseState
    var category: String
    var district: String
    var catalogueVersion: Int
    var level: HandlingLevel
    var title: String
    var description: String
    var channel: CaseChannel
    var reporter: String
    var orgPath: String
    var lon: Double?
    var lat: Double?
    var department: String?
    var assignee: String?
    var reportedAt: Date
    var acceptedAt: Date?
    var dispatchedAt: Date?
    var resolvedAt: Date?
    var closedAt: Date?
    var dueAt: Date?
    var warnAt: Date?
    var warned: Bool
    var overdue: Bool
    var wasOverdue: Bool
    var escalationLevel: String
    var whistle: Whistle?
    var reopenCount: Int
    var returnCount: Int
    var supervisorReview: Bool
    var satisfaction: Satisfaction?
    var duplicateReports: Int
    var attachments: [AttachmentReference]
    var version: Int
    /// The row's place in the order of reports (`seq`), the cursor of `case.list` and
    /// `case.queue`; nil for a row not read from the table.
    var seq: Int64? = nil

    /// The columns' own names: decoding with a key strategy converted every key of every
    /// row, a seventh of the service's CPU when listing cases.
    enum CodingKeys: String, CodingKey {
        case id, number, state, category, district, catalogueVersion = "catalogue_version", level, title,
            description, channel, reporter, orgPath = "org_path", lon, lat, department, assignee,
            reportedAt = "reported_at", acceptedAt = "accepted_at", dispatchedAt = "dispatched_at",
            resolvedAt = "resolved_at", closedAt = "closed_at", dueAt = "due_at", warnAt = "warn_at", warned,
            overdue, wasOverdue = "was_overdue", escalationLevel = "escalation_level", whistle,
            reopenCount = "reopen_count", returnCount = "return_count", supervisorReview = "supervisor_review",
            satisfaction, duplicateReports = "duplicate_reports", attachments, version, seq
    }

    /// The record without its timeline.
    func record(timeline: [TimelineEntry]? = nil) -> CaseRecord {
        CaseRecord(
            id: id.uuidString.lowercased(), number: number, state: state, category: category, catalogueVersion: catalogueVersion,
            level: level, title: title, description: description, channel: channel, orgPath: orgPath,
            location: lon.flatMap { lon in lat.map { GeoPoint(longitude: lon, latitude: $0) } },
            department: department, assignee: assignee, reportedAt: reportedAt, dueAt: dueAt, warnAt: warnAt, overdue: overdue,
            escalationLevel: escalationLevel, whistle: whistle, reopenCount: reopenCount, returnCount: returnCount,
            needsSupervisorReview: supervisorReview, satisfaction: satisfaction, duplicateReports: duplicateReports,
            attachments: attachments, timeline: timeline)
    }
}

/// A `dispatch.case_timeline` row as read with `to_jsonb(t)`.
struct TimelineRow: Codable, Sendable {
    var sequence: Int
    var at: Date
    var actor: String
    var event: String
    var fromState: CaseState?
    var toState: CaseState
    var note: String?

    enum CodingKeys: String, CodingKey {
        case sequence, at, actor, event, fromState = "from_state", toState = "to_state", note
    }

    var entry: TimelineEntry {
        TimelineEntry(sequence: sequence, at: at, actor: actor, event: event, fromState: fromState, toState: toState, note: note)
    }
}
