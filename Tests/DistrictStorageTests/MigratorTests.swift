@testable import DistrictStorage
import PostgresNIO
import TestSupport
import Testing

@Suite struct MigratorTests {
    let logger = TestDatabase.makeLogger("test.migrator")

    /// Bodies fail if run twice (no IF NOT EXISTS), and hold several statements.
    static let testMigrations = [
        Migration(component: "test", version: 1, name: "widgets", sql: """
            CREATE TABLE public.widgets (id bigint PRIMARY KEY, label text NOT NULL);
            INSERT INTO public.widgets VALUES (1, 'semi;colon'), (2, $$dollar 'quoted'$$);
            """),
        Migration(component: "test", version: 2, name: "gadgets", sql: """
            CREATE TABLE public.gadgets (id bigint PRIMARY KEY);
            -- a comment; with a semicolon
            CREATE FUNCTION public.widget_count() RETURNS bigint LANGUAGE sql AS $fn$ SELECT count(*) FROM public.widgets; $fn$;
            """),
    ]

    @Test func appliesOnceAndSecondRunChangesNothing() async throws {
        try await TestDatabase.withFreshDatabase { database in
            let all = CoreMigrations.all + Self.testMigrations
            let first = try await Migrator.apply(all, using: database, logger: logger)
            #expect(first.applied == all)
            #expect(first.alreadyApplied.isEmpty)
            let before = try await Self.bookkeeping(database, logger: logger)
            #expect(before.count == all.count)

            let second = try await Migrator.apply(all, using: database, logger: logger)
            #expect(second.applied.isEmpty)
            #expect(second.alreadyApplied == all)
            #expect(try await Self.bookkeeping(database, logger: logger) == before)
            #expect(try await Self.scalar("SELECT public.widget_count()::text", database, logger: logger) == "2")
        }
    }

    @Test func concurrentRunnersApplyEachMigrationOnce() async throws {
        try await TestDatabase.withFreshDatabase { database in
            try await TestDatabase.withRunningDatabase(database.configuration, logger: logger) { other in
                let all = CoreMigrations.all + Self.testMigrations
                async let one = Migrator.apply(all, using: database, logger: logger)
                async let two = Migrator.apply(all, using: other, logger: logger)
                let (first, second) = try await (one, two)
                #expect(first.applied.count + second.applied.count == all.count)
                #expect(Set(first.applied + second.applied) == Set(all))
                #expect(first.applied.isEmpty || second.applied.isEmpty) // the lock serialises whole runs
                #expect(try await Self.bookkeeping(database, logger: logger).count == all.count)
            }
        }
    }

    @Test func checksumMismatchIsRefusedAndAppliesNothing() async throws {
        try await TestDatabase.withFreshDatabase { database in
            _ = try await Migrator.apply(Self.testMigrations, using: database, logger: logger)
            let before = try await Self.bookkeeping(database, logger: logger)

            var changed = Self.testMigrations
            changed[0].sql += "\nCREATE TABLE public.sneaky (id int);"
            let third = Migration(component: "test", version: 3, name: "later", sql: "CREATE TABLE public.later (id int);")
            do {
                _ = try await Migrator.apply(changed + [third], using: database, logger: logger)
                Issue.record("expected checksum_mismatch")
            } catch let error as MigrationError {
                #expect(error.code == .checksumMismatch)
                #expect(error.code.rawValue == "checksum_mismatch")
                #expect(error.component == "test")
                #expect(error.version == 1)
            }
            #expect(try await Self.bookkeeping(database, logger: logger) == before)
            #expect(try await Self.scalar("SELECT coalesce(to_regclass('public.later')::text, 'none')", database, logger: logger) == "none")
            #expect(try await Self.scalar("SELECT coalesce(to_regclass('public.sneaky')::text, 'none')", database, logger: logger) == "none")
        }
    }

    @Test func failingMigrationRollsBackWithItsRecord() async throws {
        try await TestDatabase.withFreshDatabase { (database: Database) async throws in
            let broken = Migration(component: "test", version: 1, name: "broken", sql: """
                CREATE TABLE public.half (id int);
                SELECT no_such_function();
                """)
            await #expect(throws: (any Error).self) {
                try await Migrator.apply([broken], using: database, logger: logger)
            }
            #expect(try await Self.bookkeeping(database, logger: logger).isEmpty)
            #expect(try await Self.scalar("SELECT coalesce(to_regclass('public.half')::text, 'none')", database, logger: logger) == "none")
        }
    }

    @Test func ordersByComponentAppearanceThenVersion() throws {
        let a2 = Migration(component: "a", version: 2, name: "a2", sql: "")
        let a1 = Migration(component: "a", version: 1, name: "a1", sql: "")
        let b1 = Migration(component: "b", version: 1, name: "b1", sql: "")
        #expect(try Migrator.ordered([a2, b1, a1]) == [a1, a2, b1])
        #expect(throws: MigrationError.self) { try Migrator.ordered([a1, a1]) }
    }

    @Test func checksumIsSHA256Hex() {
        let migration = Migration(component: "x", version: 1, name: "x", sql: "abc")
        #expect(migration.checksum == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    static func bookkeeping(_ database: Database, logger: Logger) async throws -> [String] {
        try await database.withConnection { connection in
            let rows = try await connection.query(
                """
                SELECT component || '/' || version || '/' || checksum || '/' || applied_at::text
                FROM district_meta.schema_migrations ORDER BY component, version
                """,
                logger: logger
            )
            var result: [String] = []
            for try await row in rows.decode(String.self) { result.append(row) }
            return result
        }
    }

    static func scalar(_ sql: String, _ database: Database, logger: Logger) async throws -> String? {
        try await database.withConnection { connection in
            var result: String?
            for try await value in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).decode(String.self) {
                result = value
            }
            return result
        }
    }
}
