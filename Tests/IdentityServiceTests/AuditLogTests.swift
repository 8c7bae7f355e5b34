import DistrictAuth
import DistrictStorage
import IdentityService
import Logging
import PostgresNIO
import Testing
import TestSupport

@Suite("Audit log storage")
struct AuditLogTests {
    private let logger = TestDatabase.makeLogger("test.audit")

    @Test("entries are appended; UPDATE, DELETE and TRUNCATE are refused by the database")
    func appendOnly() async throws {
        try await TestDatabase.withFreshDatabase(applying: CoreMigrations.all + IdentityMigrations.all) { database in
            let logger = self.logger
            try await database.withTransaction { connection in
                try await AuditLog.append(
                    AuditEntry(
                        actorSubject: "u-1", actorName: "管理员", action: "user.create", targetKind: "user", targetID: "u-2",
                        orgPath: try OrgPath("d01.s01"), details: ["username": "wang"]),
                    on: connection, logger: logger)
            }
            for statement in [
                "UPDATE identity.audit_log SET action = 'nothing'",
                "DELETE FROM identity.audit_log",
                "TRUNCATE identity.audit_log",
            ] {
                await #expect(throws: PSQLError.self, "\(statement) was allowed") {
                    try await database.withConnection { connection in
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                }
            }
            let rows = try await database.withConnection { connection in
                var found: [(String, String, String)] = []
                let rows = try await connection.query(
                    "SELECT action, org_path::text, details->>'username' FROM identity.audit_log", logger: logger)
                for try await row in rows.decode((String, String, String).self) { found.append(row) }
                return found
            }
            #expect(rows.count == 1)
            #expect(rows.first?.0 == "user.create")
            #expect(rows.first?.1 == "d01.s01")
            #expect(rows.first?.2 == "wang")
        }
    }
}
