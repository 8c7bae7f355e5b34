@testable import DispatchDomain
import Foundation
import Testing

@Suite("DistrictDay")
struct DistrictDayTests {
    /// The day by Foundation's calendar at UTC+8, as `DistrictDay.of` used to compute it.
    private func calendarDay(_ instant: Date) -> String {
        let parts = DistrictDay.calendar.dateComponents([.year, .month, .day], from: instant)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }

    @Test("the day turns at midnight in Beijing, 16:00 UTC")
    func midnightAtUTCPlusEight() throws {
        let formatter = ISO8601DateFormatter()
        let beforeMidnight = try #require(formatter.date(from: "2026-12-31T15:59:59Z"))
        #expect(DistrictDay.of(beforeMidnight) == "2026-12-31")
        #expect(DistrictDay.of(beforeMidnight.addingTimeInterval(0.999)) == "2026-12-31")
        #expect(DistrictDay.of(beforeMidnight.addingTimeInterval(1)) == "2027-01-01")
        #expect(DistrictDay.year(of: beforeMidnight) == 2026)
        #expect(DistrictDay.year(of: beforeMidnight.addingTimeInterval(1)) == 2027)
        #expect(DistrictDay.of(try #require(formatter.date(from: "2028-02-28T16:00:00Z"))) == "2028-02-29")
        #expect(DistrictDay.of(try #require(formatter.date(from: "1969-12-31T15:59:59Z"))) == "1969-12-31")
        #expect(DistrictDay.of(try #require(formatter.date(from: "1969-12-31T16:00:00Z"))) == "1970-01-01")
    }

    @Test("agrees with the Gregorian calendar at UTC+8 from 1901 to 2199")
    func agreesWithCalendar() {
        var generator = SystemRandomNumberGenerator()
        let from = -2_177_452_800.0  // 1901-01-01
        let to = 7_258_118_400.0  // 2200-01-01
        var instants = (0..<20_000).map { _ in Date(timeIntervalSince1970: Double.random(in: from..<to, using: &generator)) }
        // Every district midnight of 2024 to 2026 and the second before it.
        for day in 0..<(3 * 366) {
            let midnight = 1_704_038_400.0 + Double(day) * 86_400  // 2024-01-01T00:00+08:00
            instants.append(Date(timeIntervalSince1970: midnight))
            instants.append(Date(timeIntervalSince1970: midnight - 0.5))
        }
        for instant in instants {
            let expected = calendarDay(instant)
            #expect(DistrictDay.of(instant) == expected, "\(instant.timeIntervalSince1970)")
            #expect(DistrictDay.year(of: instant) == Int(expected.prefix(4)))
        }
    }
}
