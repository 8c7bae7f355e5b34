public import Foundation
import DistrictProtocol

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
        civilDate(of: instant).isoDay
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

    /// The calendar day at UTC+8 of `instant`.
    static func civilDate(of instant: Date) -> CivilDate {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down)) + utcOffsetSeconds
        return CivilDate(daysSinceEpoch: CivilDate.days(fromUnixSeconds: seconds))
    }
}
