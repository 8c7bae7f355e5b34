@testable import DispatchService
import DispatchDomain
import DistrictClient
import DistrictContracts
import DistrictProtocol
import DistrictStorage
import Foundation
import Logging
import Testing
import TestSupport

@Suite("Reports stored in groups (group commit) against PostgreSQL")
struct ReportGroupTests {
    @Test("sixty reports at once over four connections: each acknowledged once, numbered without repeats, with its event and statistics")
    func concurrentReports() async throws {
        try await DispatchFixture.with { f in
            let client = try f.service.makeClient(connections: 4)
            let token = try f.resident
            let results = try await withThrowingTaskGroup(of: DispatchAPI.Report.Result.self) { group in
                for i in 0..<60 {
                    group.addTask {
                        // 60 places at least 55 m apart, all in grid g001: no report is a duplicate of another.
                        let place = GeoPoint(longitude: 116.3852 + Double(i % 6) * 0.0013, latitude: 39.9102 + Double(i / 6) * 0.0005)
                        return try await client.call(
                            DispatchAPI.Report.self,
                            .init(category: "litter", title: "垃圾 \(i)", description: "第 \(i) 处", channel: .resident, location: place),
                            token: token, idempotencyKey: "group-\(i)")
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            await client.close()
            #expect(results.count == 60 && results.allSatisfy { !$0.merged })
            #expect(Set(results.map(\.case.number)).count == 60)
            #expect(try await f.count("SELECT count(*) FROM dispatch.cases") == 60)
            #expect(try await f.count("SELECT count(DISTINCT number) FROM dispatch.cases") == 60)
            #expect(try await f.count("SELECT count(*) FROM dispatch.report_keys WHERE reporter = 'resident-1'") == 60)
            #expect(try await f.count("SELECT count(*) FROM dispatch.case_timeline WHERE event = 'case.reported'") == 60)
            #expect(try await f.count("SELECT coalesce(sum(reported), 0)::int FROM dispatch.case_stats_daily") == 60)
            #expect(try await f.count("SELECT coalesce(sum(reported), 0)::int FROM dispatch.case_stats_monthly") == 60)
            // Each event carries the number its case got.
            #expect(try await f.count("""
                SELECT count(*) FROM events.log e JOIN dispatch.cases c ON e.key = c.id::text
                WHERE e.type = 'case.reported' AND e.payload->>'number' = c.number
                """) == 60)
            // Sent again with the same keys: the same cases, nothing new.
            for i in [0, 17, 59] {
                let again = try await f.client.call(
                    DispatchAPI.Report.self,
                    .init(category: "litter", title: "垃圾 \(i)", description: "第 \(i) 处", channel: .resident,
                          location: GeoPoint(longitude: 116.3852 + Double(i % 6) * 0.0013, latitude: 39.9102 + Double(i / 6) * 0.0005)),
                    token: token, idempotencyKey: "group-\(i)")
                #expect(again.case.id == results.first { $0.case.title == "垃圾 \(i)" }?.case.id)
            }
            #expect(try await f.count("SELECT count(*) FROM dispatch.cases") == 60)
        }
    }

    @Test("one group: a second report within 50 m becomes a duplicate of the first, a repeated key loses, other reports are stored")
    func oneGroup() async throws {
        try await DispatchFixture.with { f in
            let catalogue = try await f.catalogueVersion()
            let near = GeoPoint(longitude: 116.3870, latitude: 39.9180)
            let tenMetresAway = GeoPoint(longitude: 116.3870, latitude: 39.91809)
            let far = GeoPoint(longitude: 116.3890, latitude: 39.9120)
            let reports = [
                Self.report(category: "litter", at: near, key: "a", catalogue: catalogue, now: DispatchFixture.start),
                Self.report(category: "litter", at: tenMetresAway, key: "b", catalogue: catalogue, now: DispatchFixture.start),
                Self.report(category: "road_damage", at: tenMetresAway, key: "c", catalogue: catalogue, now: DispatchFixture.start),
                Self.report(category: "litter", at: far, key: "a", catalogue: catalogue, now: DispatchFixture.start),
            ]
            let results = await Self.writeAsOneGroup(reports, database: f.service.database)
            let outcomes = results.compactMapValues { try? $0.get() }
            guard case .created(let first)? = outcomes[0] else {
                Issue.record("the first report was not stored: \(String(describing: outcomes[0]))")
                return
            }
            guard case .duplicate(let target)? = outcomes[1] else {
                Issue.record("the report 10 m away was not a duplicate: \(String(describing: outcomes[1]))")
                return
            }
            #expect(target == first.id)
            if case .created(let other)? = outcomes[2] {
                #expect(other.category == "road_damage" && !other.number.isEmpty && other.number != first.number)
            } else {
                Issue.record("a report of another category at the same place was not stored: \(String(describing: outcomes[2]))")
            }
            guard case .keyTaken? = outcomes[3] else {
                Issue.record("the report repeating key 'a' was not refused: \(String(describing: outcomes[3]))")
                return
            }
            #expect(try await f.count("SELECT count(*) FROM dispatch.cases") == 2)
            #expect(try await f.count("SELECT count(*) FROM events.log WHERE type = 'case.reported'") == 2)
        }
    }

    @Test("a report that cannot be stored fails alone; the rest of its group is stored")
    func badReportFailsAlone() async throws {
        try await DispatchFixture.with { f in
            let catalogue = try await f.catalogueVersion()
            var broken = Self.report(category: "litter", at: GeoPoint(longitude: 116.3860, latitude: 39.9110), key: "x", catalogue: catalogue, now: DispatchFixture.start)
            broken.row.catalogueVersion = 999  // no such catalogue version: the foreign key refuses it
            let reports = [
                Self.report(category: "litter", at: GeoPoint(longitude: 116.3880, latitude: 39.9110), key: "y", catalogue: catalogue, now: DispatchFixture.start),
                broken,
                Self.report(category: "litter", at: GeoPoint(longitude: 116.3900, latitude: 39.9110), key: "z", catalogue: catalogue, now: DispatchFixture.start),
            ]
            let results = await Self.writeAsOneGroup(reports, database: f.service.database)
            for index in [0, 2] {
                guard case .success(.created)? = results[index] else {
                    Issue.record("report \(index) was not stored: \(String(describing: results[index]))")
                    continue
                }
            }
            if case .success? = results[1] { Issue.record("the broken report was stored") }
            #expect(try await f.count("SELECT count(*) FROM dispatch.cases") == 2)
            #expect(try await f.count("SELECT count(*) FROM dispatch.report_keys") == 2)
            #expect(try await f.count("SELECT count(*) FROM events.log WHERE type = 'case.reported'") == 2)
        }
    }

    @Test("a report near an earlier one of its group that turns out a duplicate itself is written again, and stored when nothing near it was")
    func neighbourNotStoredIsWrittenAgain() async throws {
        try await DispatchFixture.with { f in
            let catalogue = try await f.catalogueVersion()
            let x = GeoPoint(longitude: 116.3870, latitude: 39.9180)
            let a = GeoPoint(longitude: 116.3870, latitude: 39.9182)  // 22 m north of x
            let b = GeoPoint(longitude: 116.3870, latitude: 39.9185)  // 33 m north of a, 56 m from x
            let first = await Self.writeAsOneGroup(
                [Self.report(category: "litter", at: x, key: "x", catalogue: catalogue, now: DispatchFixture.start)], database: f.service.database)
            guard case .success(.created(let stored))? = first[0] else {
                Issue.record("the first report was not stored: \(String(describing: first[0]))")
                return
            }
            let results = await Self.writeAsOneGroup([
                Self.report(category: "litter", at: a, key: "a", catalogue: catalogue, now: DispatchFixture.start),
                Self.report(category: "litter", at: b, key: "b", catalogue: catalogue, now: DispatchFixture.start),
            ], database: f.service.database)
            guard case .success(.duplicate(let target))? = results[0] else {
                Issue.record("the report 22 m from the stored case was not its duplicate: \(String(describing: results[0]))")
                return
            }
            #expect(target == stored.id)
            guard case .success(.created(let other))? = results[1] else {
                Issue.record("the report 56 m from the stored case was not stored: \(String(describing: results[1]))")
                return
            }
            #expect(other.number != stored.number)
            #expect(try await f.count("SELECT count(*) FROM dispatch.cases") == 2)
            #expect(try await f.count("SELECT count(*) FROM dispatch.report_keys") == 2)
        }
    }

    @Test("the statement's 50 m rule agrees with DuplicateRule just inside and just outside the radius, in every direction")
    func statementAgreesWithDuplicateRule() async throws {
        try await DispatchFixture.with { f in
            let catalogue = try await f.catalogueVersion()
            let center = GeoPoint(longitude: 116.3870, latitude: 39.9150)
            // One open case per probe, each in a category of its own, so probes only meet their own case.
            var probes: [(category: String, at: GeoPoint)] = []
            for degrees in stride(from: 0.0, to: 360.0, by: 30.0) {
                for meters in [49.8, 50.2] {
                    let angle = degrees * .pi / 180
                    let dLat = meters * cos(angle) / GeoDistance.earthRadius * 180 / .pi
                    let dLon = meters * sin(angle) / GeoDistance.earthRadius * 180 / .pi / cos(center.latitude * .pi / 180)
                    probes.append(("probe_\(probes.count)", GeoPoint(longitude: center.longitude + dLon, latitude: center.latitude + dLat)))
                }
            }
            let cases = await Self.writeAsOneGroup(
                probes.map { Self.report(category: $0.category, at: center, key: nil, catalogue: catalogue, now: DispatchFixture.start) },
                database: f.service.database)
            var caseIDs: [Int: UUID] = [:]
            for (index, result) in cases {
                if case .success(.created(let row)) = result { caseIDs[index] = row.id }
            }
            try #require(caseIDs.count == probes.count)
            let later = DispatchFixture.start.addingTimeInterval(60)
            let results = await Self.writeAsOneGroup(
                probes.map { Self.report(category: $0.category, at: $0.at, key: nil, catalogue: catalogue, now: later) },
                database: f.service.database)
            var agreed = 0
            for (index, probe) in probes.enumerated() {
                let expected = DuplicateRule.isDuplicate(
                    category: probe.category, location: probe.at, at: later, of: (probe.category, center, DispatchFixture.start))
                switch results[index] {
                case .success(.duplicate(let target))? where expected && target == caseIDs[index]: agreed += 1
                case .success(.created)? where !expected: agreed += 1
                default: Issue.record("probe \(index) at \(GeoDistance.meters(probe.at, center)) m: \(String(describing: results[index]))")
                }
            }
            #expect(agreed == probes.count)
            // Both sides of the radius were probed.
            #expect(probes.filter { GeoDistance.meters($0.at, center) <= DuplicateRule.radius }.count == probes.count / 2)
        }
    }

    /// Queues every report before a one-lane writer runs, so they form one group; the
    /// outcome or error of each, by index.
    static func writeAsOneGroup(_ reports: [ReportWriter.Report], database: Database) async -> [Int: Result<ReportWriter.Outcome, any Error>] {
        let writer = ReportWriter(database: database, logger: Logger(label: "test.writer"), lanes: 1)
        return await withTaskGroup(of: (Int, Result<ReportWriter.Outcome, any Error>).self) { group in
            for (index, report) in reports.enumerated() {
                group.addTask {
                    do { return (index, .success(try await writer.write(report))) } catch { return (index, .failure(error)) }
                }
            }
            await writer.waitUntilQueued(reports.count)
            let running = Task { try await writer.run() }
            defer { running.cancel() }
            var results: [Int: Result<ReportWriter.Outcome, any Error>] = [:]
            for await (index, result) in group { results[index] = result }
            return results
        }
    }

    /// A report of `category` at `location` by resident-1, as the handler would queue it.
    static func report(category: String, at location: GeoPoint, key: String?, catalogue: Int, now: Date) -> ReportWriter.Report {
        let id = UUID()
        let row = CaseRow(
            id: id, number: "", state: .reported, category: category, district: "d01", catalogueVersion: catalogue,
            level: .grid, title: "测试", description: "测试上报", channel: .resident, reporter: "resident-1", orgPath: "d01.s01.c01.g001",
            lon: location.longitude, lat: location.latitude, department: nil, assignee: nil, reportedAt: now,
            dueAt: now.addingTimeInterval(3600), warnAt: now.addingTimeInterval(2880), warned: false, overdue: false, wasOverdue: false,
            escalationLevel: "grid", whistle: nil, reopenCount: 0, returnCount: 0, supervisorReview: false, satisfaction: nil,
            duplicateReports: 0, attachments: [], version: 1)
        let event = NewEvent(
            stream: DispatchAPI.caseStream, type: "case.reported", key: id.uuidString.lowercased(), orgPath: row.orgPath,
            payloadJSON: #"{"caseId": "\#(id.uuidString.lowercased())", "number": ""}"#)
        let day = DistrictDay.of(now)
        return .init(row: row, key: key, event: event, reported: 1, day: day, month: String(day.prefix(8)) + "01")
    }
}

extension DispatchFixture {
    /// The newest catalogue version of d01.
    func catalogueVersion() async throws -> Int {
        try await count("SELECT max(version) FROM dispatch.catalogue_versions WHERE district = 'd01'")
    }
}
