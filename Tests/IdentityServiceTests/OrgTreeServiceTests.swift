import DistrictAuth
import DistrictClient
import DistrictContracts
import DistrictProtocol
import DistrictRuntime
import DistrictStorage
import Foundation
import IdentityService
import Logging
import PostgresNIO
import ServiceLifecycle
import Testing
import TestSupport

/// The identity service assembled by the runtime, on a fresh database, called over TLS
/// with tokens signed by a test key whose public half the service loads as its JWKS.
@Suite("Org tree over TLS and a real database")
struct OrgTreeServiceTests {
    private struct Harness {
        var client: DistrictClient
        var database: Database
        var admin: String
        var streetOperator: String
        var gridWorker: String
        var signer: TokenSigner
    }

    static func token(_ signer: TokenSigner, _ subject: String, _ role: Role, at path: String) throws -> String {
        let principal = Principal(subject: subject, name: subject, kind: .staff, bindings: [RoleBinding(role, at: try OrgPath(path))])
        return try signer.sign(AccessTokenClaims(for: principal, issuedAt: Date()))
    }

    /// Runs the identity service until `body` returns.
    private func withService(_ body: (Harness) async throws -> Void) async throws {
        try await RunningService.with(IdentityService.definition) { service in
            try await body(Harness(
                client: service.client, database: service.database,
                admin: try service.token("admin", .systemAdministrator, at: "d01"),
                streetOperator: try service.token("street-op", .streetCommandCentre, at: "d01.s01"),
                gridWorker: try service.token("grid-worker", .gridWorker, at: "d01.s01.c01.g001"),
                signer: service.signer))
        }
    }

    /// d01 → s01 (c01: g001 g002; c02: g003 g004), s02 (c03: g005): 11 nodes.
    private static let tree: [(parent: String?, code: String, kind: OrgKind, name: String)] = [
        (nil, "d01", .district, "示范区"),
        ("d01", "s01", .street, "新华街道"), ("d01", "s02", .street, "和平街道"),
        ("d01.s01", "c01", .community, "东风社区"), ("d01.s01", "c02", .community, "红旗社区"),
        ("d01.s02", "c03", .community, "光明社区"),
        ("d01.s01.c01", "g001", .grid, "第一网格"), ("d01.s01.c01", "g002", .grid, "第二网格"),
        ("d01.s01.c02", "g003", .grid, "第三网格"), ("d01.s01.c02", "g004", .grid, "第四网格"),
        ("d01.s02.c03", "g005", .grid, "第五网格"),
    ]

    private func seed(_ h: Harness) async throws {
        for node in Self.tree {
            let created = try await h.client.call(
                IdentityAPI.OrgCreate.self, .init(parentPath: node.parent, code: node.code, kind: node.kind, name: node.name), token: h.admin)
            #expect(created.path == (node.parent.map { "\($0).\(node.code)" } ?? node.code))
            #expect(created.parentPath == node.parent)
        }
    }

    private func scalar(_ sql: String, _ database: Database) async throws -> Int {
        try await database.withConnection { connection in
            var value = 0
            for try await count in try await connection.query(.init(unsafeSQL: sql), logger: Logger(label: "test")).decode(Int.self) {
                value = count
            }
            return value
        }
    }

    private func allPaths(_ database: Database) async throws -> [String] {
        try await database.withConnection { connection in
            var paths: [String] = []
            for try await path in try await connection.query("SELECT path::text FROM identity.org_nodes ORDER BY path", logger: Logger(label: "test")).decode(String.self) {
                paths.append(path)
            }
            return paths
        }
    }

    private func code(_ error: any Error) -> ErrorCode? { (error as? DistrictError)?.code }

    @Test("create district → streets → communities → grids; get with ancestors; children; subtree pages")
    func buildAndRead() async throws {
        try await withService { h in
            try await seed(h)
            let got = try await h.client.call(IdentityAPI.OrgGet.self, .init(path: "d01.s01.c01.g001"), token: h.admin)
            #expect(got.node.kind == .grid && got.node.name == "第一网格" && got.node.code == "g001")
            #expect(got.ancestors.map(\.path) == ["d01", "d01.s01", "d01.s01.c01"])

            let children = try await h.client.call(IdentityAPI.OrgChildren.self, .init(path: "d01.s01"), token: h.admin)
            #expect(children.nodes.map(\.path) == ["d01.s01.c01", "d01.s01.c02"])

            var seen: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let page = try await h.client.call(IdentityAPI.OrgSubtree.self, .init(path: "d01", cursor: cursor, limit: 3), token: h.admin)
                #expect(page.nodes.count <= 3)
                seen += page.nodes.map(\.path)
                cursor = page.nextCursor
                pages += 1
            } while cursor != nil && pages < 20
            #expect(seen.count == Self.tree.count)
            #expect(Set(seen).count == seen.count, "no node twice")
            let stored = try await allPaths(h.database)
            #expect(seen == stored)
            #expect(pages == 4)

            let renamed = try await h.client.call(IdentityAPI.OrgRename.self, .init(path: "d01.s02", name: "  和平路街道 "), token: h.admin)
            #expect(renamed.name == "和平路街道")
            #expect(try await scalar("SELECT count(*)::int FROM events.log WHERE stream = 'identity.org' AND type = 'org.renamed'", h.database) == 1)
            #expect(try await scalar("SELECT count(*)::int FROM events.log WHERE stream = 'identity.org' AND type = 'org.created'", h.database) == Self.tree.count)
        }
    }

    @Test("a street operator reads its street, not the neighbouring one; a grid worker reads its grid and writes nothing")
    func reach() async throws {
        try await withService { h in
            try await seed(h)
            let page = try await h.client.call(IdentityAPI.OrgSubtree.self, .init(path: "d01.s01"), token: h.streetOperator)
            #expect(page.nodes.count == 7 && page.nextCursor == nil)
            for path in ["d01.s02", "d01.s02.c03", "d01", "d01.s09"] {
                await #expect { _ = try await h.client.call(IdentityAPI.OrgGet.self, .init(path: path), token: h.streetOperator) } throws: {
                    code($0) == .permissionDenied
                }
            }
            await #expect { _ = try await h.client.call(IdentityAPI.OrgSubtree.self, .init(path: "d01.s02"), token: h.streetOperator) } throws: {
                code($0) == .permissionDenied
            }
            await #expect {
                _ = try await h.client.call(IdentityAPI.OrgCreate.self, .init(parentPath: "d01.s01", code: "c09", kind: .community, name: "x"), token: h.streetOperator)
            } throws: { code($0) == .permissionDenied }

            #expect(try await h.client.call(IdentityAPI.OrgGet.self, .init(path: "d01.s01.c01.g001"), token: h.gridWorker).node.code == "g001")
            await #expect { _ = try await h.client.call(IdentityAPI.OrgGet.self, .init(path: "d01.s01.c01.g002"), token: h.gridWorker) } throws: {
                code($0) == .permissionDenied
            }
            await #expect { _ = try await h.client.call(IdentityAPI.OrgRename.self, .init(path: "d01.s01.c01.g001", name: "x"), token: h.gridWorker) } throws: {
                code($0) == .permissionDenied
            }
            #expect(try await allPaths(h.database).count == Self.tree.count)
        }
    }

    @Test("moving a community to another street moves its grids in one transaction with one org.moved event")
    func move() async throws {
        try await withService { h in
            try await seed(h)
            let before = try await h.client.call(IdentityAPI.OrgGet.self, .init(path: "d01.s01.c02"), token: h.admin).node
            let moved = try await h.client.call(IdentityAPI.OrgMove.self, .init(path: "d01.s01.c02", newParentPath: "d01.s02"), token: h.admin)
            #expect(moved.path == "d01.s02.c02" && moved.parentPath == "d01.s02" && moved.id == before.id)

            let grids = try await h.client.call(IdentityAPI.OrgChildren.self, .init(path: "d01.s02.c02"), token: h.admin)
            #expect(grids.nodes.map(\.path) == ["d01.s02.c02.g003", "d01.s02.c02.g004"])
            await #expect { _ = try await h.client.call(IdentityAPI.OrgGet.self, .init(path: "d01.s01.c02.g003"), token: h.admin) } throws: {
                code($0) == .notFound
            }
            // now() is the transaction's start: one distinct updated_at means one transaction.
            #expect(try await scalar("SELECT count(DISTINCT updated_at)::int FROM identity.org_nodes WHERE path <@ 'd01.s02.c02'", h.database) == 1)
            #expect(try await scalar("SELECT count(*)::int FROM identity.org_nodes WHERE path <@ 'd01.s02.c02'", h.database) == 3)
            #expect(try await scalar(
                "SELECT count(*)::int FROM events.log WHERE stream = 'identity.org' AND type = 'org.moved' AND key = '\(moved.id)' AND org_path = 'd01.s02.c02'",
                h.database) == 1)
            #expect(try await scalar("SELECT count(*)::int FROM events.log WHERE type = 'org.moved'", h.database) == 1)
            // The street operator of s01 no longer reaches the moved community.
            await #expect { _ = try await h.client.call(IdentityAPI.OrgGet.self, .init(path: "d01.s02.c02"), token: h.streetOperator) } throws: {
                code($0) == .permissionDenied
            }
        }
    }

    @Test("moving a node under its own descendant, or under the wrong kind, is refused and changes nothing")
    func refusedMoves() async throws {
        try await withService { h in
            try await seed(h)
            let before = try await allPaths(h.database)
            // Kind rules alone would refuse this too; the message shows the cycle check decided.
            await #expect { _ = try await h.client.call(IdentityAPI.OrgMove.self, .init(path: "d01.s01", newParentPath: "d01.s01.c01"), token: h.admin) } throws: {
                code($0) == .invalidParams && ($0 as? DistrictError)?.details?["field"] == "newParentPath"
                    && ($0 as? DistrictError)?.message.contains("own descendant") == true
            }
            await #expect { _ = try await h.client.call(IdentityAPI.OrgMove.self, .init(path: "d01.s01", newParentPath: "d01.s01"), token: h.admin) } throws: {
                code($0) == .invalidParams
            }
            await #expect { _ = try await h.client.call(IdentityAPI.OrgMove.self, .init(path: "d01.s01.c01.g001", newParentPath: "d01.s02"), token: h.admin) } throws: {
                code($0) == .invalidParams
            }
            await #expect { _ = try await h.client.call(IdentityAPI.OrgMove.self, .init(path: "d01.s01.c01", newParentPath: "d01.s07"), token: h.admin) } throws: {
                code($0) == .notFound
            }
            #expect(try await allPaths(h.database) == before)
            #expect(try await scalar("SELECT count(*)::int FROM events.log WHERE type = 'org.moved'", h.database) == 0)
        }
    }

    @Test("duplicate codes, unknown parents and bad input get catalogue errors and write nothing")
    func badInput() async throws {
        try await withService { h in
            try await seed(h)
            let before = try await allPaths(h.database)
            let eventsBefore = try await scalar("SELECT count(*)::int FROM events.log", h.database)
            func create(_ parent: String?, _ code: String, _ kind: OrgKind = .community, _ name: String = "名称") async throws {
                _ = try await h.client.call(IdentityAPI.OrgCreate.self, .init(parentPath: parent, code: code, kind: kind, name: name), token: h.admin)
            }
            await #expect { try await create("d01.s01", "c01") } throws: { code($0) == .alreadyExists }
            await #expect { try await create("d01.s09", "c01") } throws: { code($0) == .notFound }
            await #expect { try await create("d01.s01", "c09", .community, String(repeating: "社", count: 65)) } throws: {
                code($0) == .invalidParams && ($0 as? DistrictError)?.details?["field"] == "name"
            }
            await #expect { try await create("d01.s01", "C-9") } throws: {
                code($0) == .invalidParams && ($0 as? DistrictError)?.details?["field"] == "code"
            }
            await #expect { try await create("d01.s01", "g009", .grid) } throws: {
                code($0) == .invalidParams && ($0 as? DistrictError)?.details?["field"] == "kind"
            }
            await #expect { try await create("d01..s01", "c09") } throws: {
                code($0) == .invalidParams && ($0 as? DistrictError)?.details?["field"] == "parentPath"
            }
            await #expect { _ = try await h.client.call(IdentityAPI.OrgSubtree.self, .init(path: "d01", limit: 1001), token: h.admin) } throws: {
                code($0) == .invalidParams && ($0 as? DistrictError)?.details?["field"] == "limit"
            }
            await #expect { _ = try await h.client.call(IdentityAPI.OrgSubtree.self, .init(path: "d01.s01", cursor: "d01.s02.c03"), token: h.admin) } throws: {
                code($0) == .invalidParams && ($0 as? DistrictError)?.details?["field"] == "cursor"
            }
            await #expect { _ = try await h.client.call(IdentityAPI.OrgRename.self, .init(path: "d01.s01", name: "新\u{0000}华"), token: h.admin) } throws: {
                code($0) == .invalidParams
            }
            #expect(try await allPaths(h.database) == before)
            #expect(try await scalar("SELECT count(*)::int FROM events.log", h.database) == eventsBefore)
        }
    }

    @Test("no token, a tampered token or a token signed by another key is unauthenticated")
    func unauthenticated() async throws {
        try await withService { h in
            await #expect { _ = try await h.client.call(IdentityAPI.OrgGet.self, .init(path: "d01")) } throws: { code($0) == .unauthenticated }
            var parts = h.admin.split(separator: ".").map(String.init)
            let first = parts[2].removeFirst()
            parts[2] = (first == "A" ? "B" : "A") + parts[2]
            await #expect {
                _ = try await h.client.call(IdentityAPI.OrgCreate.self, .init(parentPath: nil, code: "d01", kind: .district, name: "区"), token: parts.joined(separator: "."))
            } throws: { code($0) == .unauthenticated }
            let foreign = try Self.token(TokenSigner.generate(kid: h.signer.kid), "admin", .systemAdministrator, at: "d01")
            await #expect {
                _ = try await h.client.call(IdentityAPI.OrgCreate.self, .init(parentPath: nil, code: "d01", kind: .district, name: "区"), token: foreign)
            } throws: { code($0) == .unauthenticated }
            #expect(try await allPaths(h.database).isEmpty)
        }
    }
}
