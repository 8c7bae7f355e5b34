import DispatchDomain
import DistrictAuth
import DistrictContracts
import DistrictProtocol
import DistrictServer
import DistrictStorage
import Foundation
import Logging
import PostgresNIO

extension DispatchHandlers {
    /// The start of the district day `text` (`YYYY-MM-DD`), naming `field` when malformed.
    static func parseDistrictDay(_ text: String, field: String) throws(DistrictError) -> Date {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            let date = DistrictDay.calendar.date(from: DateComponents(year: year, month: month, day: day)),
            DistrictDay.of(date) == text
        else {
            throw .invalidParams("\(field) is not a date (YYYY-MM-DD)", field: field)
        }
        return date
    }

    /// The roll-up counters, in `CaseTally`'s order (`seconds_to_close` is a bigint).
    static let rollUpCounters = [
        "reported", "duplicates", "accepted", "rejected", "closed", "closed_on_time", "seconds_to_close", "rated", "satisfied",
        "returned", "reopened",
    ]

    /// The whole calendar months inside `[from, to]` (district days) as `[start, end)`,
    /// or an empty range at `from` when there is none.
    static func wholeMonths(from: String, to: String) -> (start: String, end: String) {
        let calendar = DistrictDay.calendar
        guard let first = try? parseDistrictDay(from, field: "from"), let last = try? parseDistrictDay(to, field: "to") else { return (from, from) }
        let afterLast = last.addingTimeInterval(86400)
        var start = calendar.date(from: calendar.dateComponents([.year, .month], from: first))!
        if start < first { start = calendar.date(byAdding: .month, value: 1, to: start)! }
        let end = calendar.date(from: calendar.dateComponents([.year, .month], from: afterLast))!
        guard start < end else { return (from, from) }
        return (DistrictDay.of(start), DistrictDay.of(end))
    }

    /// `case.stats`: figures for a subtree over a period, from the monthly roll-ups for whole
    /// months and the daily ones for the days around them (or, for
    /// workers, from the cases themselves, through the reporter and assignee indexes).
    func stats(_ params: DispatchAPI.Stats.Params, _ context: RequestContext) async throws -> DispatchAPI.Stats.Result {
        let path = try Self.parsePath(params.path, field: "path")
        let from = try Self.parseDistrictDay(params.from, field: "from")
        let to = try Self.parseDistrictDay(params.to, field: "to")
        guard from <= to else { throw DistrictError.invalidParams("from must not be after to", field: "from") }
        let days = Int(to.timeIntervalSince(from) / 86400) + 1
        guard days <= DispatchAPI.Stats.maxDays else {
            throw DistrictError.invalidParams("a period covers at most \(DispatchAPI.Stats.maxDays) days", field: "to")
        }
        if let department = params.department, !MatterCatalogue.isCode(department) {
            throw DistrictError.invalidParams("department is not a department code", field: "department")
        }
        let principal = try await authenticator.principal(for: context)
        if let own = departmentScope(of: principal), let asked = params.department, asked != own {
            throw DistrictError(.permissionDenied, "department staff see only their own department's figures", details: ["department": asked])
        }
        let department = departmentScope(of: principal) ?? params.department
        try authenticator.policy.authorize(principal, .caseRead, on: Resource(path: path, department: department))

        let grouping = params.groupBy ?? .none
        let logger = context.logger
        let level = path.components.count
        let key: String = switch grouping {
        case .none, .worker: "''"
        case .child: "CASE WHEN nlevel(org_path) > \(level) THEN subpath(org_path, 0, \(level + 1))::text ELSE org_path::text END"
        case .grid: "org_path::text"
        case .department: "department"
        }
        let pathText = path.description
        let months = Self.wholeMonths(from: params.from, to: params.to)
        let (groups, workers) = try await database.withConnection { connection in
            var groups: [(key: String, tally: CaseTally)] = []
            // `key` is one of the fixed expressions above, never caller text.
            let rows = try await connection.query(
                PostgresQuery(
                    unsafeSQL: """
                    SELECT \(key), sum(reported)::int8, sum(duplicates)::int8, sum(accepted)::int8, sum(rejected)::int8,
                        sum(closed)::int8, sum(closed_on_time)::int8, sum(seconds_to_close)::int8, sum(rated)::int8,
                        sum(satisfied)::int8, sum(returned)::int8, sum(reopened)::int8
                    FROM (
                        SELECT org_path, department, reported, duplicates, accepted, rejected, closed, closed_on_time, seconds_to_close,
                            rated, satisfied, returned, reopened
                        FROM dispatch.case_stats_monthly
                        WHERE org_path <@ $1::ltree AND month >= $5::date AND month < $6::date AND ($4::text IS NULL OR department = $4)
                        UNION ALL
                        SELECT org_path, department, reported, duplicates, accepted, rejected, closed, closed_on_time, seconds_to_close,
                            rated, satisfied, returned, reopened
                        FROM dispatch.case_stats_daily
                        WHERE org_path <@ $1::ltree AND day BETWEEN $2::date AND $3::date AND NOT (day >= $5::date AND day < $6::date)
                          AND ($4::text IS NULL OR department = $4)
                    ) s
                    GROUP BY 1 ORDER BY 1
                    """,
                    binds: Self.bindings(pathText, params.from, params.to, department, months)),
                logger: logger)
            for try await (groupKey, a, b, c, d, e, f, g, h, i, j, k) in rows.decode(
                (String, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64).self
            ) {
                var tally = CaseTally()
                tally.reported = Int(a)
                tally.duplicates = Int(b)
                tally.accepted = Int(c)
                tally.rejected = Int(d)
                tally.closed = Int(e)
                tally.closedOnTime = Int(f)
                tally.secondsToClose = g
                tally.rated = Int(h)
                tally.satisfied = Int(i)
                tally.returned = Int(j)
                tally.reopened = Int(k)
                groups.append((groupKey, tally))
            }
            let workers = grouping == .worker
                ? try await Self.workerFigures(under: pathText, from: from, until: to.addingTimeInterval(86400), department: department, on: connection, logger: logger)
                : []
            return (groups, workers)
        }
        var total = CaseTally()
        for group in groups { total += group.tally }
        return .init(
            path: pathText, from: params.from, to: params.to, total: total.figures,
            groups: grouping == .none || grouping == .worker ? [] : groups.map { .init(key: $0.key, figures: $0.tally.figures) },
            workers: workers)
    }

    private static func bindings(_ path: String, _ from: String, _ to: String, _ department: String?, _ months: (start: String, end: String)) throws -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(path)
        binds.append(from)
        binds.append(to)
        binds.append(department)
        binds.append(months.start)
        binds.append(months.end)
        return binds
    }

    /// Per worker: reports that became cases (valid unless rejected), duplicates merged
    /// elsewhere, and cases they handled that closed in the period.
    private static func workerFigures(
        under path: String, from: Date, until: Date, department: String?, on connection: PostgresConnection, logger: Logger
    ) async throws -> [WorkerStatsFigures] {
        let rows = try await connection.query(
            """
            WITH r AS (
                SELECT reporter AS worker, count(*) FILTER (WHERE state <> 'rejected') AS valid, count(*) FILTER (WHERE state = 'rejected') AS rejected
                FROM dispatch.cases
                WHERE org_path <@ \(path)::ltree AND channel = 'grid_worker' AND reported_at >= \(from) AND reported_at < \(until)
                  AND (\(department)::text IS NULL OR department = \(department))
                GROUP BY reporter),
            h AS (
                SELECT assignee AS worker, count(*) AS closed, count(*) FILTER (WHERE NOT was_overdue) AS on_time,
                    count(*) FILTER (WHERE satisfaction IN ('satisfied', 'basically_satisfied')) AS satisfied
                FROM dispatch.cases
                WHERE org_path <@ \(path)::ltree AND state = 'closed' AND closed_at >= \(from) AND closed_at < \(until) AND assignee IS NOT NULL
                  AND (\(department)::text IS NULL OR department = \(department))
                GROUP BY assignee),
            w AS (SELECT worker FROM r UNION SELECT worker FROM h),
            d AS (
                SELECT cr.reporter AS worker, count(*) AS duplicates
                FROM dispatch.case_reporters cr JOIN dispatch.cases c ON c.id = cr.case_id
                WHERE cr.duplicate AND cr.reporter IN (SELECT worker FROM w) AND c.org_path <@ \(path)::ltree
                  AND cr.reported_at >= \(from) AND cr.reported_at < \(until)
                GROUP BY cr.reporter)
            SELECT w.worker, coalesce(r.valid, 0)::int8, coalesce(r.rejected, 0)::int8, coalesce(d.duplicates, 0)::int8,
                coalesce(h.closed, 0)::int8, coalesce(h.on_time, 0)::int8, coalesce(h.satisfied, 0)::int8
            FROM w LEFT JOIN r USING (worker) LEFT JOIN h USING (worker) LEFT JOIN d USING (worker)
            ORDER BY w.worker LIMIT 5000
            """,
            logger: logger)
        var workers: [WorkerStatsFigures] = []
        for try await (worker, valid, rejected, duplicates, closed, onTime, satisfied) in rows.decode((String, Int64, Int64, Int64, Int64, Int64, Int64).self) {
            workers.append(WorkerStatsFigures(
                worker: worker, validReports: Int(valid), rejectedReports: Int(rejected), duplicateReports: Int(duplicates),
                handledClosed: Int(closed), handledOnTime: Int(onTime), handledSatisfied: Int(satisfied)))
        }
        return workers
    }
}
