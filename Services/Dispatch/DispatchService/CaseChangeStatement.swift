import DispatchDomain
import DistrictContracts
import DistrictStorage
import Foundation
import PostgresNIO

/// One change of a case written in one statement, so one round trip: every mutable column
/// of the row (already at its new version), its timeline entry, what the change adds to the
/// daily and monthly roll-ups, and its event on `dispatch.case` and on the stream of every
/// department it concerns.
///
/// Each part used to be a statement of its own (and each event one more): a transition made
/// seven to nine round trips, an accept that routes the case at once about fourteen, each
/// waiting for a core on a busy machine. Now a transition is the transaction's `BEGIN`, the
/// locked read of the row, this statement and the `COMMIT`. The statement is prepared once
/// per connection: parsed and planned each time, it cost PostgreSQL about 0.9 ms before it
/// ran.
struct CaseChangeStatement: PostgresPreparedStatement {
    typealias Row = ()

    /// The change as it is written.
    var row: CaseRow
    /// The timeline event (`case.accepted` …).
    var event: String
    var from: CaseState?
    var actor: String
    var note: String?
    var at: Date
    /// The department the roll-ups count the change against (`nil` for none).
    var talliedDepartment: String?
    /// What the change adds to the roll-ups (empty: nothing is written to them).
    var tally: CaseTally
    /// The event's streams, `dispatch.case` first.
    var streams: [String]
    /// The event's payload, the same on every stream.
    var payloadJSON: String

    /// `$1` the case id; `$2`–`$24` the row's mutable columns (``updatedColumns``, `version`
    /// last); `$25`–`$29` the timeline entry; `$30`–`$45` the roll-ups (day, month, org path,
    /// department, whether to count, then ``DispatchHandlers/rollUpCounters``); `$46`–`$48` the
    /// event's streams, key and payload.
    static let sql: String = {
        let columns = DispatchHandlers.rollUpCounters.joined(separator: ", ")
        let counters = DispatchHandlers.rollUpCounters.enumerated()
            .map { i, name in "$\(i + 35)::\(name == "seconds_to_close" ? "int8" : "int4")" }
            .joined(separator: ", ")
        let sums = DispatchHandlers.rollUpCounters.map { "\($0) = s.\($0) + EXCLUDED.\($0)" }.joined(separator: ", ")
        let assignments = updatedColumns.enumerated()
            .map { i, column in "\(column.name) = $\(i + 2)\(column.name == "whistle" ? "::jsonb" : "")" }
            .joined(separator: ", ")
        return """
            WITH changed AS (
                UPDATE dispatch.cases SET \(assignments)
                WHERE id = $1
                RETURNING id
            ), timeline AS (
                INSERT INTO dispatch.case_timeline (case_id, sequence, at, actor, event, from_state, to_state, department, note)
                SELECT id, $24, $25, $26, $27, $28, $2, $6, $29 FROM changed
            ), tally (org_path, department, \(columns)) AS (
                SELECT $32::ltree, $33::text, \(counters) FROM changed WHERE $34
            ), daily AS (
                INSERT INTO dispatch.case_stats_daily AS s (day, org_path, department, \(columns))
                SELECT $30::date, tally.* FROM tally
                ON CONFLICT (day, org_path, department) DO UPDATE SET \(sums)
            ), monthly AS (
                INSERT INTO dispatch.case_stats_monthly AS s (month, org_path, department, \(columns))
                SELECT $31::date, tally.* FROM tally
                ON CONFLICT (month, org_path, department) DO UPDATE SET \(sums)
            )
            INSERT INTO events.log (stream, type, key, org_path, payload)
            SELECT e.stream, $27, $47, $32, $48::jsonb
            FROM changed, unnest($46::text[]) WITH ORDINALITY AS e (stream, n)
            ORDER BY e.n
            """
    }()

    /// The columns a change writes, in the order of `$2`…`$24`, with the types their values
    /// are sent as (the whistle as text, cast to `jsonb` in the statement).
    static let updatedColumns: [(name: String, type: PostgresDataType)] = [
        ("state", .text), ("category", .text), ("catalogue_version", .int8), ("level", .text), ("department", .text),
        ("assignee", .text), ("accepted_at", .timestamptz), ("dispatched_at", .timestamptz), ("resolved_at", .timestamptz),
        ("closed_at", .timestamptz), ("due_at", .timestamptz), ("warn_at", .timestamptz), ("warned", .bool),
        ("overdue", .bool), ("was_overdue", .bool), ("escalation_level", .text), ("whistle", .text),
        ("reopen_count", .int8), ("return_count", .int8), ("supervisor_review", .bool), ("satisfaction", .text),
        ("duplicate_reports", .int8), ("version", .int8),
    ]

    func decodeRow(_ row: PostgresRow) throws -> Row {}

    /// The parameters' types, fixed when the statement is prepared. Left to PostgreSQL, a
    /// parameter that was null in the first execution on a connection took its type from
    /// the SQL around it: `$18::jsonb` made the whistle a `jsonb` parameter, and every later
    /// escalation, which sends it as text, failed on that connection.
    static let bindingDataTypes: [PostgresDataType] = {
        var types: [PostgresDataType] = [.uuid]
        // $2 … $24: the row's columns.
        types += updatedColumns.map(\.type)
        // $25 … $29: the timeline entry.
        types += [.timestamptz, .text, .text, .text, .text]
        // $30 … $34: day, month, org path, department, whether to count; $35 … $45 the counters.
        types += [.text, .text, .text, .text, .bool]
        types += Array(repeating: .int8, count: DispatchHandlers.rollUpCounters.count)
        // $46 … $48: the streams, the key, the payload.
        types += [.textArray, .text, .text]
        return types
    }()

    /// The values of `$1`…`$48`.
    func makeBindings() throws -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(row.id)
        binds.append(row.state.rawValue)
        binds.append(row.category)
        binds.append(row.catalogueVersion)
        binds.append(row.level.rawValue)
        binds.append(row.department)
        binds.append(row.assignee)
        binds.append(row.acceptedAt)
        binds.append(row.dispatchedAt)
        binds.append(row.resolvedAt)
        binds.append(row.closedAt)
        binds.append(row.dueAt)
        binds.append(row.warnAt)
        binds.append(row.warned)
        binds.append(row.overdue)
        binds.append(row.wasOverdue)
        binds.append(row.escalationLevel)
        binds.append(try row.whistle.map { try DispatchHandlers.encodeJSON($0) })
        binds.append(row.reopenCount)
        binds.append(row.returnCount)
        binds.append(row.supervisorReview)
        binds.append(row.satisfaction?.rawValue)
        binds.append(row.duplicateReports)
        binds.append(row.version)
        // The timeline entry.
        binds.append(at)
        binds.append(actor)
        binds.append(event)
        binds.append(from?.rawValue)
        binds.append(note)
        // The roll-ups.
        let day = DistrictDay.of(at)
        binds.append(day)
        binds.append(DistrictDay.month(of: day))
        binds.append(row.orgPath)
        binds.append(talliedDepartment ?? "")
        binds.append(!tally.isEmpty)
        for count in [tally.reported, tally.duplicates, tally.accepted, tally.rejected, tally.closed, tally.closedOnTime] { binds.append(count) }
        binds.append(tally.secondsToClose)
        for count in [tally.rated, tally.satisfied, tally.returned, tally.reopened] { binds.append(count) }
        // The event.
        binds.append(streams)
        binds.append(row.id.uuidString.lowercased())
        binds.append(payloadJSON)
        return binds
    }
}
