import DistrictContracts
import DistrictProtocol
import Foundation
import Testing

@Suite("Wire coding")
struct WireCodingTests {
    @Test("params decode errors name the field")
    func fieldNamed() {
        #expect {
            try WireCoding.decodeParams(SystemAPI.Echo.Params.self, from: Array(#"{"text":5}"#.utf8))
        } throws: { error in
            guard let error = error as? DistrictError else { return false }
            return error.code == .invalidParams && error.details?["field"] == "text"
        }
        #expect {
            try WireCoding.decodeParams(SystemAPI.Echo.Params.self, from: Array(#"{}"#.utf8))
        } throws: { error in
            (error as? DistrictError)?.details?["field"] == "text"
        }
    }

    @Test("dates travel as ISO 8601 with milliseconds")
    func dates() throws {
        let date = Date(timeIntervalSince1970: 1_795_000_000.123)
        let report = SystemAPI.Health.Result(status: "ok", service: "dispatch", version: "1", uptimeSeconds: 1, database: "ok", time: date)
        let json = String(decoding: try WireCoding.encode(report), as: UTF8.self)
        #expect(json.contains("\"time\":\"2026-11-18T"))
        let back = try WireCoding.decodeParams(SystemAPI.Health.Result.self, from: Array(json.utf8))
        #expect(abs(back.time.timeIntervalSince(date)) < 0.001)
    }

    /// Foundation's ISO 8601 format style, which `formatDate` used to build per date.
    private func styled(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }

    @Test("formatDate writes what Foundation's ISO 8601 style writes, from 1901 to 2199")
    func formatDateAgreesWithFoundation() {
        var generator = SystemRandomNumberGenerator()
        var dates = (0..<20_000).map { _ in
            Date(timeIntervalSinceReferenceDate: Double.random(in: -3_155_673_600 ..< 6_279_753_600, using: &generator))
        }
        // Whole milliseconds as clients send them, midnights, the reference date, leap days.
        dates += (0..<2_000).map { _ in
            Date(timeIntervalSince1970: Double(Int.random(in: 0 ..< 4_102_444_800_000, using: &generator)) / 1_000)
        }
        dates += [0, -0.0005, 0.9995, 0.999_999_9, -86_400, 60 * 86_400 - 0.001].map { Date(timeIntervalSinceReferenceDate: $0) }
        dates += [951_782_400, 951_868_799.999, 1_709_164_800.5, 1_795_000_000.123, 0, -1.5].map { Date(timeIntervalSince1970: $0) }
        var mismatches: [String] = []
        for date in dates where WireCoding.formatDate(date) != styled(date) {
            mismatches.append("\(date.timeIntervalSinceReferenceDate): \(WireCoding.formatDate(date)) against \(styled(date))")
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.prefix(5))")
        let secondsMismatches = dates.filter { WireCoding.formatDate($0, fractionalSeconds: false) != $0.formatted(.iso8601) }
        #expect(secondsMismatches.isEmpty, "to the second: \(secondsMismatches.count) mismatches, first: \(secondsMismatches.prefix(3))")
    }

    @Test("formatted dates parse back to their millisecond, rounded down")
    func formatDateRoundTrips() throws {
        for milliseconds in stride(from: -86_400_000, to: 4_102_444_800_000, by: 9_876_543_211) {
            for fraction in [0.0, 0.000_4, 0.000_6] {
                let date = Date(timeIntervalSince1970: Double(milliseconds) / 1_000 + fraction)
                let parsed = try #require(WireCoding.parseDate(WireCoding.formatDate(date)))
                // Never later; earlier by less than a millisecond, give or take the binary
                // fraction of a decimal millisecond (as Foundation's own style writes it).
                #expect(parsed <= date.addingTimeInterval(1e-6), "\(WireCoding.formatDate(date))")
                #expect(date.timeIntervalSince(parsed) < 0.001 + 1e-6, "\(WireCoding.formatDate(date))")
            }
        }
    }
}
