public import DistrictAuth
public import DistrictContracts
public import DistrictStorage
import Foundation
public import Logging
import PostgresNIO

/// The load-test district `lt` and the tokens the load tool acts with.
///
/// 16 streets × 9 communities × 4 grids (576 grids of 0.01° × 0.01°, laid out 24 across
/// from 117.0° E, 36.0° N), a catalogue of 8 categories (and `lt_pgbench` for pgbench) routed to 12 departments
/// (`d01` … `d12`), and a signing key of the load tool's own, published like the identity
/// service's, so that it can act as residents, the command centre and every department.
/// It lives beside any other district in the database and is created once.
public struct LoadDistrict: Sendable {
    /// The district's code.
    public static let code = "lt"
    /// Grids in the district.
    public static let gridCount = 576
    /// Departments `d01` … `d12`.
    public static let departments = (1...12).map { String(format: "d%02d", $0) }
    /// Category codes.
    public static let categories = (1...8).map { "lt_cat\($0)" }

    /// The token signer whose key is published in `identity.token_keys`.
    public let signer: TokenSigner
    /// Where this run's report sequence starts: the cases the district holds already, so
    /// that successive runs use fresh places and categories instead of reporting
    /// duplicates of the previous run's open cases.
    public let firstSequence: Int

    /// The event log's end when the district was prepared: subscribers start there instead
    /// of replaying their queues' whole history.
    public let eventCursor: String?

    /// Distinct (grid, spot, category) places before they repeat.
    public static let distinctPlaces = gridCount * 256 * 8

    /// The grid path of grid `index` (0 ..< 576).
    public static func gridPath(_ index: Int) -> String {
        let street = index / 36 + 1
        let community = (index / 4) % 9 + 1
        let grid = index % 4 + 1
        return String(format: "lt.s%02d.c%03d.g%04d", street, community, grid)
    }

    /// The south-west corner of grid `index`.
    static func corner(_ index: Int) -> (longitude: Double, latitude: Double) {
        (117.0 + Double(index % 24) * 0.01, 36.0 + Double(index / 24) * 0.01)
    }

    /// The grid (0 ..< 576) of report `sequence`: grids in turn, a new grid every
    /// ``categories``-many reports.
    public static func grid(for sequence: Int) -> Int { (sequence / categories.count) % gridCount }

    /// A place for report `sequence`: grids in turn, and within a grid a 16 × 16 lattice of
    /// spots at least 55 m apart (0.00062° of longitude at 36° N, 0.0006° of latitude). The
    /// category changes with every report (see ``category(for:)``), so consecutive reports
    /// spread over all categories, as a district's do, and still no two reports share a
    /// category within the duplicate rule's 50 m until ``distinctPlaces`` reports have been
    /// made.
    public static func place(for sequence: Int) -> GeoPoint {
        let grid = grid(for: sequence)
        let spot = (sequence / (categories.count * gridCount)) % 256
        let (lon, lat) = corner(grid)
        return GeoPoint(longitude: lon + 0.0003 + Double(spot % 16) * 0.00062, latitude: lat + 0.0003 + Double(spot / 16) * 0.0006)
    }

    /// The category of report `sequence`: the categories in turn.
    public static func category(for sequence: Int) -> String { categories[sequence % categories.count] }

    /// The category of the cases `districtctl bench report-pgbench` writes: in the catalogue,
    /// never one the load tool reports in, so pgbench's cases are never the load tool's
    /// duplicates.
    public static let pgbenchCategory = "lt_pgbench"

    /// The sequence that numbers pgbench's cases (`pgb-…`), apart from the district's own;
    /// ``prepare(database:logger:)`` creates it.
    public static let pgbenchSequence = "dispatch.case_number_pgbench"

    /// Creates the district (and ``pgbenchSequence``) if it is missing and publishes a fresh
    /// signing key.
    public static func prepare(database: Database, logger: Logger) async throws -> LoadDistrict {
        let signer = TokenSigner.generate(kid: "load-\(UUID().uuidString.prefix(8).lowercased())")
        try await database.withTransaction { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext('district-load-prepare'))", logger: logger)
            var exists = false
            for try await _ in try await connection.query("SELECT 1 FROM dispatch.catalogue_versions WHERE district = 'lt'", logger: logger) {
                exists = true
            }
            if !exists {
                for statement in try Self.creation() {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
            }
            // Apart from `creation()`: districts prepared before pgbench needed it get it too.
            try await connection.query(PostgresQuery(unsafeSQL: "CREATE SEQUENCE IF NOT EXISTS \(pgbenchSequence)"), logger: logger)
            try await connection.query(
                "INSERT INTO identity.token_keys (kid, public_key) VALUES (\(signer.publicKey.kid), \(signer.publicKey.x))", logger: logger)
        }
        var existing = 0
        var cursor: String?
        try await database.withConnection { connection in
            for try await count in try await connection.query(
                "SELECT count(*)::int8 FROM dispatch.cases WHERE district = 'lt'", logger: logger
            ).decode(Int64.self) {
                existing = Int(count)
            }
            for try await (tx, id) in try await connection.query(
                "SELECT tx_id::text, id FROM events.log ORDER BY tx_id DESC, id DESC LIMIT 1", logger: logger
            ).decode((String, Int64).self) {
                cursor = EventPosition(transactionID: UInt64(tx) ?? 0, eventID: id).cursor
            }
        }
        return LoadDistrict(signer: signer, firstSequence: existing % distinctPlaces, eventCursor: cursor)
    }

    /// The org nodes of a district of this shape under the root `code` (16 streets × 9
    /// communities × 4 grids), created when missing; `code` must be a valid path label.
    public static func orgTreeStatement(code: String, name: String) -> String {
        let name = name.replacingOccurrences(of: "'", with: "''")
        return """
            INSERT INTO identity.org_nodes (path, code, kind, name)
            SELECT '\(code)'::ltree, '\(code)', 'district', '\(name)'
            UNION ALL SELECT ('\(code).s' || lpad(s::text, 2, '0'))::ltree, 's' || lpad(s::text, 2, '0'), 'street', '街道' || s
                FROM generate_series(1, 16) s
            UNION ALL SELECT ('\(code).s' || lpad(s::text, 2, '0') || '.c' || lpad(c::text, 3, '0'))::ltree, 'c' || lpad(c::text, 3, '0'),
                'community', '社区' || c
                FROM generate_series(1, 16) s, generate_series(1, 9) c
            UNION ALL SELECT ('\(code).s' || lpad(s::text, 2, '0') || '.c' || lpad(c::text, 3, '0') || '.g' || lpad(g::text, 4, '0'))::ltree,
                'g' || lpad(g::text, 4, '0'), 'grid', '网格' || g
                FROM generate_series(1, 16) s, generate_series(1, 9) c, generate_series(1, 4) g
            ON CONFLICT (path) DO NOTHING
            """
    }

    static func creation() throws -> [String] {
        var grids: [String] = []
        for index in 0..<gridCount {
            let (lon, lat) = corner(index)
            let ring = "[[\(lon),\(lat)],[\(lon + 0.01),\(lat)],[\(lon + 0.01),\(lat + 0.01)],[\(lon),\(lat + 0.01)],[\(lon),\(lat)]]"
            grids.append("('\(gridPath(index))'::ltree, '{\"type\":\"Polygon\",\"coordinates\":[\(ring)]}'::jsonb, \(lon), \(lat), \(lon + 0.01), \(lat + 0.01))")
        }
        let categories = (Self.categories + [pgbenchCategory]).enumerated().map { i, code in
            MatterCategory(
                code: code, name: "负载测试事项\(i + 1)", level: .department, department: departments[i % departments.count],
                acceptWithinMinutes: 480, resolveWithinMinutes: 10080)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let catalogue = String(decoding: try encoder.encode(categories), as: UTF8.self).replacingOccurrences(of: "'", with: "''")
        return [
            orgTreeStatement(code: code, name: "负载测试区"),
            "INSERT INTO dispatch.grids (path, boundary, min_lon, min_lat, max_lon, max_lat) VALUES \(grids.joined(separator: ",")) ON CONFLICT (path) DO NOTHING",
            "INSERT INTO dispatch.catalogue_versions (district, version, published_at, published_by, categories) VALUES ('lt', 1, now(), 'district-load', '\(catalogue)'::jsonb)",
        ]
    }

    /// A resident's token (reports as residents do).
    public func residentToken(_ subject: String = "load-resident") throws -> String {
        try token(subject, .resident, at: Self.code)
    }

    /// The district command centre's token (accepts, verifies, closes).
    public func centreToken() throws -> String { try token("load-centre", .districtCommandCentre, at: Self.code) }

    /// A department handler's token.
    public func handlerToken(department: String) throws -> String {
        try token("load-\(department)", .departmentHandler, at: Self.code, department: department)
    }

    private func token(_ subject: String, _ role: Role, at path: String, department: String? = nil) throws -> String {
        let principal = Principal(
            subject: subject, name: subject, kind: .staff, bindings: [RoleBinding(role, at: try OrgPath(path), department: department)],
            department: department)
        // Long enough for a long run; the service checks expiry like any other token.
        return try signer.sign(AccessTokenClaims(for: principal, issuedAt: Date(), lifetime: 4 * 3600))
    }
}
