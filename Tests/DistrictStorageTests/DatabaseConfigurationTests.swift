import Foundation
import DistrictStorage
import Testing

@Suite struct DatabaseConfigurationTests {
    @Test func parsesFullURL() throws {
        let configuration = try DatabaseConfiguration(
            url: "postgres://dist%40rict:p%3Ass%2Fw@db.example.org:6543/governance?sslmode=require&pool_size=4"
        )
        #expect(configuration.username == "dist@rict")
        #expect(configuration.password == "p:ss/w")
        #expect(configuration.host == "db.example.org")
        #expect(configuration.port == 6543)
        #expect(configuration.database == "governance")
        #expect(configuration.tls == .require)
        #expect(configuration.poolSize == 4)
    }

    @Test func defaultsForLoopback() throws {
        let configuration = try DatabaseConfiguration(url: "postgresql://district@127.0.0.1/district")
        #expect(configuration.port == 5432)
        #expect(configuration.password == nil)
        #expect(configuration.tls == .disable)
        #expect(configuration.poolSize == 16)
        let remote = try DatabaseConfiguration(url: "postgres://district@db.internal/district")
        #expect(remote.tls == .prefer)
        let explicit = try DatabaseConfiguration(url: "postgres://u@localhost:5433/d?sslmode=disable")
        #expect(explicit.tls == .disable)
        #expect(explicit.port == 5433)
    }

    @Test func descriptionHidesPassword() throws {
        let configuration = try DatabaseConfiguration(url: "postgres://u:topsecret@localhost/d")
        #expect(!configuration.description.contains("topsecret"))
        #expect(configuration.description.contains("u:***@localhost:5432/d"))
        #expect(!"\(configuration)".contains("topsecret"))
    }

    @Test(arguments: [
        "",
        "not a url",
        "mysql://u@localhost/d",
        "postgres://localhost/d",
        "postgres://u@/d",
        "postgres://u@localhost",
        "postgres://u@localhost/",
        "postgres://u@localhost/a/b",
        "postgres://u@localhost:0/d",
        "postgres://u@localhost/d?sslmode=sometimes",
        "postgres://u@localhost/d?pool_size=0",
        "postgres://u@localhost/d?colour=blue",
    ])
    func rejectsBadURL(_ url: String) {
        #expect(throws: DatabaseConfigurationError.self) {
            try DatabaseConfiguration(url: url)
        }
    }

    @Test func badURLErrorNeverShowsPassword() {
        do {
            _ = try DatabaseConfiguration(url: "postgres://u:hunter2@localhost/d?sslmode=bogus")
            Issue.record("expected an error")
        } catch let error as DatabaseConfigurationError {
            #expect(error.code == .invalidURL)
            #expect(!"\(error)".contains("hunter2"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func passwordFileReplacesTheURLPassword() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("db-password-\(UUID().uuidString)").path
        try Data("s3cret-from-file\n".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let configuration = try DatabaseConfiguration(
            url: "postgres://district:placeholder@db:5432/district", environment: [DatabaseConfiguration.passwordFileVariable: path])
        #expect(configuration.password == "s3cret-from-file")
        #expect(configuration.host == "db")
        #expect(try DatabaseConfiguration(url: "postgres://district:inurl@db/district", environment: [:]).password == "inurl")
    }

    @Test func missingOrEmptyPasswordFileIsAnError() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("db-password-\(UUID().uuidString)").path
        try Data("\n".utf8).write(to: URL(fileURLWithPath: empty))
        defer { try? FileManager.default.removeItem(atPath: empty) }
        for path in [empty, empty + ".missing"] {
            #expect { try DatabaseConfiguration(url: "postgres://district@db/district", passwordFile: path) } throws: {
                ($0 as? DatabaseConfigurationError)?.code == .passwordFile
            }
        }
    }
}
