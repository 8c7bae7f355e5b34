import DistrictStorage
import Logging
import PostgresNIO

/// The single integer `sql` selects (a count), on `database`.
func sqlCount(_ sql: String, _ database: Database) async throws -> Int {
    try await database.withConnection { connection in
        var value = 0
        for try await count in try await connection.query(.init(unsafeSQL: sql), logger: Logger(label: "test")).decode(Int.self) {
            value = count
        }
        return value
    }
}

/// The id of the org node at `path`.
func nodeID(_ path: String, _ database: Database) async throws -> String {
    try await database.withConnection { connection in
        var id = ""
        for try await value in try await connection.query(
            "SELECT id::text FROM identity.org_nodes WHERE path = \(path)::ltree", logger: Logger(label: "test")
        ).decode(String.self) { id = value }
        return id
    }
}
