import DistrictContracts
import DistrictProtocol
import Foundation
import Testing

@Suite("Case records' own wire JSON")
struct CaseRecordWireJSONTests {
    /// Text with what JSON must escape, non-ASCII and a slash.
    private static let awkward = ["", "路灯不亮", "quote \" backslash \\ slash /", "line\nbreak\ttab\u{01}\u{7F}", "emoji 🚧 and 𠀀"]

    private func text(_ generator: inout some RandomNumberGenerator) -> String {
        Self.awkward.randomElement(using: &generator)! + String(Int.random(in: 0..<1_000_000, using: &generator))
    }

    private func maybe<T>(_ value: T, _ generator: inout some RandomNumberGenerator) -> T? {
        Bool.random(using: &generator) ? value : nil
    }

    private func date(_ generator: inout some RandomNumberGenerator) -> Date {
        Date(timeIntervalSince1970: Double.random(in: 1_600_000_000..<2_000_000_000, using: &generator))
    }

    private func record(_ generator: inout some RandomNumberGenerator) -> CaseRecord {
        let timeline = (0..<Int.random(in: 0...3, using: &generator)).map { index in
            TimelineEntry(
                sequence: index + 1, at: date(&generator), actor: text(&generator), event: "case.claimed",
                fromState: maybe(CaseState.allCases.randomElement(using: &generator)!, &generator),
                toState: CaseState.allCases.randomElement(using: &generator)!, note: maybe(text(&generator), &generator))
        }
        return CaseRecord(
            id: UUID.random().uuidString.lowercased(), number: "d01-2026-\(Int.random(in: 1...999_999, using: &generator))",
            state: CaseState.allCases.randomElement(using: &generator)!, category: text(&generator),
            catalogueVersion: Int.random(in: 1...1_000, using: &generator), level: HandlingLevel.allCases.randomElement(using: &generator)!,
            title: text(&generator), description: text(&generator), channel: CaseChannel.allCases.randomElement(using: &generator)!,
            orgPath: "d01.s02.c03.g04",
            location: maybe(GeoPoint(longitude: Double.random(in: -180...180, using: &generator), latitude: Double.random(in: -90...90, using: &generator)), &generator),
            department: maybe(text(&generator), &generator), assignee: maybe(text(&generator), &generator),
            reportedAt: date(&generator), dueAt: maybe(date(&generator), &generator), warnAt: maybe(date(&generator), &generator),
            overdue: Bool.random(using: &generator), escalationLevel: ["grid", "street", "district"].randomElement(using: &generator)!,
            whistle: maybe(Whistle(
                level: "street", departments: (0..<Int.random(in: 1...3, using: &generator)).map { _ in text(&generator) },
                leadDepartment: text(&generator), reportBy: date(&generator), leader: maybe(text(&generator), &generator)), &generator),
            reopenCount: Int.random(in: 0...3, using: &generator), returnCount: Int.random(in: 0...3, using: &generator),
            needsSupervisorReview: Bool.random(using: &generator), satisfaction: maybe(Satisfaction.allCases.randomElement(using: &generator)!, &generator),
            duplicateReports: Int.random(in: 0...50, using: &generator),
            attachments: (0..<Int.random(in: 0...2, using: &generator)).map { _ in
                AttachmentReference(url: "https://files.example/\(text(&generator))", sha256: String(repeating: "ab", count: 32), size: Int.random(in: 1...1 << 30, using: &generator))
            },
            timeline: maybe(timeline, &generator))
    }

    /// Decodes `bytes` as `T` with the wire's decoder.
    private func decoded<T: Decodable>(_ type: T.Type, _ bytes: [UInt8]) throws -> T {
        try WireCoding.decodeParams(T.self, from: bytes)
    }

    @Test("a record, a report's answer and a page decode the same from the record's own JSON as from JSONEncoder's")
    func sameAsJSONEncoder() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let records = (0..<Int.random(in: 0...4, using: &generator)).map { _ in record(&generator) }
            let single = record(&generator)
            #expect(try decoded(CaseRecord.self, WireCoding.encode(single)) == decoded(CaseRecord.self, WireCoding.encodeWithJSONEncoder(single)))

            let answer = DispatchAPI.Report.Result(case: single, merged: Bool.random(using: &generator))
            #expect(try decoded(DispatchAPI.Report.Result.self, WireCoding.encode(answer))
                == decoded(DispatchAPI.Report.Result.self, WireCoding.encodeWithJSONEncoder(answer)))

            let page = DispatchAPI.List.Result(cases: records, nextCursor: maybe(text(&generator), &generator))
            let own = try WireCoding.encode(page)
            #expect(try decoded(DispatchAPI.List.Result.self, own) == decoded(DispatchAPI.List.Result.self, WireCoding.encodeWithJSONEncoder(page)))
            // Valid JSON for any parser, not just ours.
            #expect((try? JSONSerialization.jsonObject(with: Data(own))) != nil)
        }
    }

    @Test("nil members are left out, as JSONEncoder leaves them out")
    func nilMembersLeftOut() throws {
        var generator = SystemRandomNumberGenerator()
        var bare = record(&generator)
        bare.location = nil
        bare.whistle = nil
        bare.timeline = nil
        bare.department = nil
        let json = String(decoding: try WireCoding.encode(bare), as: UTF8.self)
        for member in ["location", "whistle", "timeline", "department"] {
            #expect(!json.contains("\"\(member)\":"))
        }
        #expect(json.contains("\"attachments\":["))
    }
}

@Suite("Case events' own JSON")
struct CaseEventWireJSONTests {
    private func event(_ generator: inout some RandomNumberGenerator) -> CaseEvent {
        let texts = ["", "路灯不亮", "a/b \"q\" \\ \n\t\u{7F}", "🚧"]
        func text() -> String { texts.randomElement(using: &generator)! + String(Int.random(in: 0..<1_000, using: &generator)) }
        return CaseEvent(
            caseId: UUID.random().uuidString.lowercased(), number: text(), event: "case.claimed",
            fromState: Bool.random(using: &generator) ? CaseState.allCases.randomElement(using: &generator)! : nil,
            toState: CaseState.allCases.randomElement(using: &generator)!, category: text(), orgPath: "d01.s02",
            department: Bool.random(using: &generator) ? text() : nil, actor: text(),
            note: Bool.random(using: &generator) ? text() : nil,
            at: Date(timeIntervalSince1970: Double.random(in: 1_600_000_000..<2_000_000_000, using: &generator)))
    }

    @Test("pushed and stored forms decode as JSONEncoder's do")
    func sameAsJSONEncoder() throws {
        var generator = SystemRandomNumberGenerator()
        let payloadEncoder = JSONEncoder()
        payloadEncoder.outputFormatting = [.sortedKeys]
        payloadEncoder.dateEncodingStrategy = .iso8601
        for _ in 0..<500 {
            let event = event(&generator)
            #expect(try WireCoding.decodeParams(CaseEvent.self, from: WireCoding.encode(event))
                == WireCoding.decodeParams(CaseEvent.self, from: WireCoding.encodeWithJSONEncoder(event)))
            let stored = try WireCoding.decodeParams(CaseEvent.self, from: Array(event.payloadJSON.utf8))
            #expect(try stored == WireCoding.decodeParams(CaseEvent.self, from: Array(payloadEncoder.encode(event))))
            // Dates to the second, as the `.iso8601` strategy writes them.
            #expect(event.payloadJSON.contains("\"at\":\"\(event.at.formatted(.iso8601))\""))
        }
    }
}
