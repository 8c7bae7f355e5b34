import DistrictProtocol
import DistrictStorage
public import Logging
public import PostgresNIO

/// Writes an ``OrgImportPlan`` with one set-based statement (arrays through `unnest`),
/// not one round trip per node.
public enum OrgImportWriter {
    /// Refuses the plan (`already_exists`, naming the first row) when any of its paths is
    /// already taken, then inserts every node. Run inside the caller's transaction.
    ///
    /// - Returns: The number of nodes inserted.
    @discardableResult
    public static func insertAll(_ plan: OrgImportPlan, on connection: PostgresConnection, logger: Logger) async throws -> Int {
        let paths = plan.entries.map(\.path.description)
        var taken: Set<String> = []
        for try await path in try await connection.query(
            """
            SELECT n.path::text FROM identity.org_nodes n
            WHERE n.path IN (SELECT p::ltree FROM unnest(\(paths)::text[]) AS t(p))
            """,
            logger: logger
        ).decode(String.self) { taken.insert(path) }
        if let entry = plan.entries.sorted(by: { $0.row < $1.row }).first(where: { taken.contains($0.path.description) }) {
            throw DistrictError(
                .alreadyExists, "row \(entry.row): an org node already exists at \(entry.path)",
                details: ["row": String(entry.row), "field": "code", "path": entry.path.description, "existing": String(taken.count)])
        }
        return try await insert(plan, skippingExisting: false, on: connection, logger: logger)
    }

    /// Inserts the nodes of `plan` whose paths are free and leaves the others as they are
    /// (the demo seed's second run). Run inside the caller's transaction.
    ///
    /// - Returns: The number of nodes inserted.
    @discardableResult
    public static func insertMissing(_ plan: OrgImportPlan, on connection: PostgresConnection, logger: Logger) async throws -> Int {
        try await insert(plan, skippingExisting: true, on: connection, logger: logger)
    }

    private static func insert(_ plan: OrgImportPlan, skippingExisting: Bool, on connection: PostgresConnection, logger: Logger) async throws -> Int {
        let paths = plan.entries.map(\.path.description)
        let codes = plan.entries.map(\.code)
        let kinds = plan.entries.map(\.kind.rawValue)
        let names = plan.entries.map(\.name)
        let conflict = skippingExisting ? "ON CONFLICT (path) DO NOTHING" : ""
        var inserted = 0
        for try await count in try await connection.query(
            """
            WITH inserted AS (
                INSERT INTO identity.org_nodes (path, code, kind, name)
                SELECT p::ltree, c, k, n FROM unnest(\(paths)::text[], \(codes)::text[], \(kinds)::text[], \(names)::text[]) AS t(p, c, k, n)
                \(unescaped: conflict)
                RETURNING 1
            )
            SELECT count(*)::int FROM inserted
            """,
            logger: logger
        ).decode(Int.self) { inserted = count }
        return inserted
    }
}
