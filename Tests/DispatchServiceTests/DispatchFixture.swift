import DispatchDomain
import DispatchService
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
import TestSupport

/// The dispatch service on a fresh database with the identity tables, a small org tree,
/// two grids with boundaries, a catalogue, and tokens for everyone in the loop.
struct DispatchFixture {
    let service: RunningService
    let clock: ManualClock

    var client: DistrictClient { service.client }

    static let start = Date(timeIntervalSince1970: 1_750_000_000)  // 2025-06-15

    /// A point inside grid g001 and one inside g002.
    static let inG001 = GeoPoint(longitude: 116.3870, latitude: 39.9180)
    static let inG002 = GeoPoint(longitude: 116.3970, latitude: 39.9120)

    static let categories = [
        MatterCategory(code: "road_damage", name: "道路破损", level: .department, department: "cg",
                       departmentByStreet: ["s02": "jt"], acceptWithinMinutes: 480, resolveWithinMinutes: 10080),
        MatterCategory(code: "litter", name: "垃圾乱堆", level: .grid, department: nil, acceptWithinMinutes: 120, resolveWithinMinutes: 1440),
        MatterCategory(code: "gas_leak", name: "燃气泄漏", level: .department, department: "rq", acceptWithinMinutes: 10, resolveWithinMinutes: 120),
    ]

    /// Runs the service until `body` returns.
    static func with(_ body: (DispatchFixture) async throws -> Void) async throws {
        let clock = ManualClock(start)
        // Grid changes are seen at once (production checks at most once a second).
        try await RunningService.with(DispatchService.definition(clock: clock, gridRecheckInterval: .zero)) { service in
            let fixture = DispatchFixture(service: service, clock: clock)
            try await fixture.seed()
            try await body(fixture)
        }
    }

    func token(_ subject: String, _ role: Role, at path: String, department: String? = nil) throws -> String {
        try service.token(subject, role, at: path, department: department)
    }

    var districtCentre: String { get throws { try token("dcc", .districtCommandCentre, at: "d01") } }
    var streetCentre: String { get throws { try token("scc-s01", .streetCommandCentre, at: "d01.s01") } }
    var resident: String { get throws { try token("resident-1", .resident, at: "d01") } }
    var otherResident: String { get throws { try token("resident-2", .resident, at: "d01") } }
    var cgHandler: String { get throws { try token("cg-1", .departmentHandler, at: "d01", department: "cg") } }
    var cgHandler2: String { get throws { try token("cg-2", .departmentHandler, at: "d01", department: "cg") } }
    var jtHandler: String { get throws { try token("jt-1", .departmentHandler, at: "d01", department: "jt") } }
    var gridWorker1: String { get throws { try token("gw-1", .gridWorker, at: "d01.s01.c01.g001") } }
    var gridWorker2: String { get throws { try token("gw-2", .gridWorker, at: "d01.s01.c01.g002") } }

    private func seed() async throws {
        let logger = Logger(label: "test.seed")
        _ = try await Migrator.apply(IdentityMigrations.all, using: service.database, logger: logger)
        try await service.database.withConnection { connection in
            for (path, kind) in [
                ("d01", "district"), ("d01.s01", "street"), ("d01.s02", "street"), ("d01.s01.c01", "community"),
                ("d01.s01.c01.g001", "grid"), ("d01.s01.c01.g002", "grid"), ("d01.s02.c03", "community"), ("d01.s02.c03.g005", "grid"),
            ] {
                let code = String(path.split(separator: ".").last!)
                try await connection.query(
                    "INSERT INTO identity.org_nodes (path, code, kind, name) VALUES (\(path)::ltree, \(code), \(kind), \(path))", logger: logger)
            }
        }
        let admin = try token("admin", .systemAdministrator, at: "d01")
        _ = try await client.call(DispatchAPI.GridDefine.self, GridRecord(path: "d01.s01.c01.g001", boundary: Self.west, legacyGrids: [LegacyGrid(department: "police", code: "JW-017")]), token: admin)
        _ = try await client.call(DispatchAPI.GridDefine.self, GridRecord(path: "d01.s01.c01.g002", boundary: Self.east, legacyGrids: []), token: admin)
        _ = try await client.call(DispatchAPI.CataloguePublish.self, .init(district: "d01", categories: Self.categories), token: try districtCentre)
    }

    static let west = GeoPolygon(coordinates: [[
        [116.3850, 39.9100], [116.3950, 39.9100], [116.3950, 39.9150], [116.3900, 39.9150],
        [116.3900, 39.9200], [116.3850, 39.9200], [116.3850, 39.9100],
    ]])
    static let east = GeoPolygon(coordinates: [
        [[116.3950, 39.9100], [116.4050, 39.9100], [116.4050, 39.9200], [116.3950, 39.9200], [116.3950, 39.9100]],
        [[116.3990, 39.9140], [116.4010, 39.9140], [116.4010, 39.9160], [116.3990, 39.9160], [116.3990, 39.9140]],
    ])

    /// A road-damage report by `token` at `location`.
    func report(
        _ category: String = "road_damage", at location: GeoPoint = inG001, token: String, key: String? = nil,
        channel: CaseChannel = .resident
    ) async throws -> DispatchAPI.Report.Result {
        try await client.call(
            DispatchAPI.Report.self,
            .init(category: category, title: "路面塌陷", description: "人行道有一处塌陷，约半米宽", channel: channel, location: location,
                  attachments: [AttachmentReference(url: "https://files.example.cn/a.jpg", sha256: String(repeating: "ab", count: 32), size: 123_456)]),
            token: token, idempotencyKey: key)
    }

    /// `SELECT count(*)` of `sql`.
    func count(_ sql: String) async throws -> Int {
        try await service.database.withConnection { connection in
            var value = 0
            for try await count in try await connection.query(.init(unsafeSQL: sql), logger: Logger(label: "test")).decode(Int.self) {
                value = count
            }
            return value
        }
    }

    /// The error code `body` throws, or nil when it succeeds.
    static func errorCode(_ body: () async throws -> Void) async -> ErrorCode? {
        do {
            try await body()
            return nil
        } catch let error as DistrictError {
            return error.code
        } catch {
            return .internal
        }
    }
}
