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
        var text = ""
        text.reserveCapacity(10)
        Self.append(year, digits: 4, to: &text)
        text += "-"
        Self.append(month, digits: 2, to: &text)
        text += "-"
        Self.append(day, digits: 2, to: &text)
        return text
    }

    /// Appends `value` in decimal, left-padded with zeros to `digits` digits.
    public static func append(_ value: Int, digits: Int, to text: inout String) {
        let decimal = String(value)
        if decimal.utf8.count < digits { text += String(repeating: "0", count: digits - decimal.utf8.count) }
        text += decimal
    }
}
