import Foundation

/// A day of the proleptic Gregorian calendar, computed from a count of days since
/// 1970-01-01 (H. Hinnant's `civil_from_days`): dates written on the wire and district days
/// without building a `Calendar`'s date components or a format style per date.
public struct CivilDate: Sendable, Hashable {
    /// The year, e.g. 2026.
    public var year: Int
    /// The month, 1 to 12.
    public var month: Int
    /// The day of the month, 1 to 31.
    public var day: Int

    /// The day `days` after 1970-01-01 (before it when negative).
    public init(daysSinceEpoch days: Int) {
        let shifted = days + 719_468  // days since 0000-03-01
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// The whole days since 1970-01-01 of an instant `seconds` after it (rounded down).
    public static func days(fromUnixSeconds seconds: Int) -> Int {
        seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400)
    }

    /// `YYYY-MM-DD`.
    public var isoDay: String {
        guard Self.writableYears.contains(year) else {
            return String(format: "%04d-%02d-%02d", year, month, day)
        }
        return String(unsafeUninitializedCapacity: 10) { text in
            writeISODay(to: text)
            return 10
        }
    }

    /// The years ``writeISODay(to:)`` writes: those with four digits.
    static let writableYears = 0...9_999

    /// Writes `YYYY-MM-DD` to the first 10 bytes of `text`; the year must be one of
    /// ``writableYears``.
    func writeISODay(to text: UnsafeMutableBufferPointer<UInt8>) {
        Self.put(year, digits: 4, at: 0, in: text)
        text[4] = UInt8(ascii: "-")
        Self.put(month, digits: 2, at: 5, in: text)
        text[7] = UInt8(ascii: "-")
        Self.put(day, digits: 2, at: 8, in: text)
    }

    /// Writes `value` (not negative) in decimal as `digits` digits, zero-padded, at `offset`.
    static func put(_ value: Int, digits: Int, at offset: Int, in text: UnsafeMutableBufferPointer<UInt8>) {
        var rest = value
        for position in stride(from: offset + digits - 1, through: offset, by: -1) {
            text[position] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
    }
}
