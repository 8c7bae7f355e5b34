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
    /// `case.get`: the case and its timeline, for callers who may read it or reported it.
    func get(_ params: DispatchAPI.Get.Params, _ context: RequestContext) async throws -> CaseRecord {
        let id = try Self.parseCaseID(params.caseId)
        let principal = try await authenticator.principal(for: context)
        let logger = context.logger
        let read = try await database.withConnection { connection in
            var found: (String, String, Bool)?
            for try await row in try await connection.execute(CaseReadStatement(id: id, subject: principal.subject), logger: logger) {
                found = row
            }
            return found
        }
        guard let (caseJSON, timelineJSON, isReporter) = read else { throw Self.notFound(id) }
        let decoder = Self.rowDecoder()
        let row = try decoder.decode(CaseRow.self, from: Data(caseJSON.utf8))
        if !isReporter {
            try authenticator.policy.authorize(principal, .caseRead, on: Resource(path: try OrgPath(row.orgPath), department: row.department))
        }
        return row.record(timeline: try decoder.decode([TimelineRow].self, from: Data(timelineJSON.utf8)).map(\.entry))
    }

    /// `case.list`: a page of cases under a subtree, newest first, within the caller's reach.
    func list(_ params: DispatchAPI.List.Params, _ context: RequestContext) async throws -> DispatchAPI.List.Result {
        let path = try Self.parsePath(params.path, field: "path")
        let limit = try Self.pageLimit(params.limit)
        let cursor = try Self.parseCursor(params.cursor)
        if let category = params.category, !MatterCatalogue.isCode(category) {
            throw DistrictError.invalidParams("category is not a category code", field: "category")
        }
        if let department = params.department, !MatterCatalogue.isCode(department) {
            throw DistrictError.invalidParams("department is not a department code", field: "department")
        }
        try Self.checkText(params.text, field: "text", limit: 100)
        let principal = try await authenticator.principal(for: context)
        // Department staff reach only their department's cases; others may filter by one.
        let department = departmentScope(of: principal) ?? params.department
        if let own = departmentScope(of: principal), let asked = params.department, asked != own {
            throw DistrictError(.permissionDenied, "department staff list only their own department's cases", details: ["department": asked])
        }
        try authenticator.policy.authorize(principal, .caseRead, on: Resource(path: path, department: department))

        let states = params.states?.map(\.rawValue)
        let pattern = params.text.map { "%" + Self.escapeLike($0) + "%" }
        // The page is chosen first and only its rows become JSON: with `to_jsonb` beside the
        // sort, PostgreSQL made JSON of every case under the path before keeping the newest
        // (13 ms for a street of 576 cases, growing with the district's history).
        let query: PostgresQuery = """
            SELECT to_jsonb(c)::text FROM (
                SELECT * FROM dispatch.cases
                WHERE org_path <@ \(path.description)::ltree
                  AND (\(department)::text IS NULL OR department = \(department))
                  AND (\(states)::text[] IS NULL OR state = ANY(\(states)::text[]))
                  AND (\(params.category)::text IS NULL OR category = \(params.category))
                  AND (\(pattern)::text IS NULL OR title ILIKE \(pattern) OR description ILIKE \(pattern))
                  AND (\(cursor)::bigint IS NULL OR seq < \(cursor))
                ORDER BY seq DESC LIMIT \(limit + 1)
            ) c
            ORDER BY seq DESC
            """
        let logger = context.logger
        return try await page(limit: limit) { connection in
            var rows: [String] = []
            for try await json in try await connection.query(query, logger: logger).decode(String.self) { rows.append(json) }
            return rows
        }
    }

    /// `case.queue`: a department's open work, oldest first.
    func queue(_ params: DispatchAPI.Queue.Params, _ context: RequestContext) async throws -> DispatchAPI.List.Result {
        guard MatterCatalogue.isCode(params.department) else {
            throw DistrictError.invalidParams("department is not a department code", field: "department")
        }
        let path = try Self.parsePath(params.path, field: "path")
        let limit = try Self.pageLimit(params.limit)
        let cursor = try Self.parseCursor(params.cursor)
        try await authenticator.authorize(context, .caseRead, on: Resource(path: path, department: params.department))
        let statement = QueuePageStatement(department: params.department, path: path.description, after: cursor, limit: limit + 1)
        let logger = context.logger
        return try await page(limit: limit) { connection in
            var rows: [String] = []
            for try await json in try await connection.execute(statement, logger: logger) { rows.append(json) }
            return rows
        }
    }

    /// A page from the rows `read` returns (`to_jsonb` of cases, up to `limit + 1` of them):
    /// the first `limit`, and a cursor when there were more. The rows are decoded after the
    /// connection went back to the pool.
    private func page(limit: Int, read: (PostgresConnection) async throws -> [String]) async throws -> DispatchAPI.List.Result {
        let json = try await database.withConnection { connection in try await read(connection) }
        let decoder = Self.rowDecoder()
        let rows = try json.map { try decoder.decode(CaseRow.self, from: Data($0.utf8)) }
        let more = rows.count > limit
        let shown = Array(rows.prefix(limit))
        // The row's seq travels in the jsonb; the last one shown is the cursor.
        guard !more || shown[limit - 1].seq != nil else { throw DistrictError(.internal, "a listed case came without its seq") }
        return .init(cases: shown.map { $0.record() }, nextCursor: more ? shown[limit - 1].seq.map(String.init) : nil)
    }

    static func pageLimit(_ limit: Int?) throws(DistrictError) -> Int {
        let value = limit ?? DispatchAPI.List.defaultLimit
        guard (1...DispatchAPI.List.maxLimit).contains(value) else {
            throw .invalidParams("limit must be 1 … \(DispatchAPI.List.maxLimit)", field: "limit")
        }
        return value
    }

    static func parseCursor(_ cursor: String?) throws(DistrictError) -> Int64? {
        guard let cursor else { return nil }
        guard let value = Int64(cursor), value > 0 else { throw .invalidParams("cursor is not one this service issued", field: "cursor") }
        return value
    }

    /// Escapes `%`, `_` and `\` for ILIKE.
    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }
}
