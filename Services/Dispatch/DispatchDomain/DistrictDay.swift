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

    /// The district day (`YYYY-MM-DD`) `instant` falls on.
    public static func of(_ instant: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }

    /// The first day (`YYYY-MM-01`) of the month of district day `day` (`YYYY-MM-DD`): the
    /// key of the monthly statistics.
    public static func month(of day: String) -> String {
        String(day.prefix(8)) + "01"
    }
}
