public import Foundation

/// The district's calendar: days run midnight to midnight in China Standard Time (UTC+8),
/// for case numbers, statistics days and anything else counted per day.
public enum DistrictDay {
    /// The Gregorian calendar at UTC+8.
    public static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 8 * 3600)!
        return calendar
    }()

    /// The offset of China Standard Time from UTC, which has no daylight saving time.
    static let utcOffsetSeconds = 8 * 3600

    /// The district day (`YYYY-MM-DD`) `instant` falls on.
    ///
    /// Computed from the instant's seconds (UTC+8 is a fixed offset, and the Gregorian
    /// calendar is arithmetic); the same as ``calendar``'s day, without building date
    /// components and formatting them, which every report did.
    public static func of(_ instant: Date) -> String {
        let (year, month, day) = civilDate(of: instant)
        var text = ""
        text.reserveCapacity(10)
        appendPadded(year, width: 4, to: &text)
        text += "-"
        appendPadded(month, width: 2, to: &text)
        text += "-"
        appendPadded(day, width: 2, to: &text)
        return text
    }

    /// The year (at UTC+8) `instant` falls in.
    public static func year(of instant: Date) -> Int {
        civilDate(of: instant).year
    }

    /// The first day (`YYYY-MM-01`) of the month of district day `day` (`YYYY-MM-DD`): the
    /// key of the monthly statistics.
    public static func month(of day: String) -> String {
        String(day.prefix(8)) + "01"
    }

    /// Year, month and day at UTC+8 of `instant` in the proleptic Gregorian calendar
    /// (H. Hinnant's `civil_from_days`).
    static func civilDate(of instant: Date) -> (year: Int, month: Int, day: Int) {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down)) + utcOffsetSeconds
        let days = seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400)
        let shifted = days + 719_468  // days since 0000-03-01
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    private static func appendPadded(_ value: Int, width: Int, to text: inout String) {
        let digits = String(value)
        if digits.count < width { text += String(repeating: "0", count: width - digits.count) }
        text += digits
    }
}
