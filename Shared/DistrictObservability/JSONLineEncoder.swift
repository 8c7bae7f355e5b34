import DistrictProtocol
#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Logging

/// Builds one JSON log line byte by byte.
///
/// Strings are escaped by hand so a log line costs one growing byte array,
/// not a Foundation object graph.
struct JSONLineEncoder {
    private(set) var bytes: [UInt8]
    private var needsComma = false

    init(capacity: Int = 256) {
        self.bytes = []
        self.bytes.reserveCapacity(capacity)
        self.bytes.append(UInt8(ascii: "{"))
    }

    /// Appends `"key":"value"` to the top-level object.
    mutating func field(_ key: String, _ value: String) {
        self.key(key)
        Self.appendString(value, to: &self.bytes)
    }

    /// Appends `"key":<value>` to the top-level object, the value encoded as JSON.
    mutating func field(_ key: String, _ value: Logger.Metadata.Value) {
        self.key(key)
        Self.appendValue(value, to: &self.bytes)
    }

    /// Appends `"key":"<ISO-8601 UTC timestamp with milliseconds>"`.
    mutating func timestampField(_ key: String, seconds: Int, nanoseconds: Int) {
        self.key(key)
        Self.appendTimestamp(seconds: seconds, nanoseconds: nanoseconds, to: &self.bytes)
    }

    /// Closes the object and terminates the line.
    mutating func finish() -> [UInt8] {
        self.bytes.append(UInt8(ascii: "}"))
        self.bytes.append(UInt8(ascii: "\n"))
        return self.bytes
    }

    private mutating func key(_ key: String) {
        if self.needsComma { self.bytes.append(UInt8(ascii: ",")) }
        self.needsComma = true
        Self.appendString(key, to: &self.bytes)
        self.bytes.append(UInt8(ascii: ":"))
    }

    // MARK: Values

    static func appendValue(_ value: Logger.Metadata.Value, to bytes: inout [UInt8]) {
        switch value {
        case .string(let string):
            appendString(string, to: &bytes)
        case .stringConvertible(let convertible):
            appendString(convertible.description, to: &bytes)
        case .array(let array):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in array.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                appendValue(element, to: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case .dictionary(let dictionary):
            bytes.append(UInt8(ascii: "{"))
            // Sorted so that equal metadata always renders as equal text.
            for (index, key) in dictionary.keys.sorted().enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                appendString(key, to: &bytes)
                bytes.append(UInt8(ascii: ":"))
                appendValue(dictionary[key]!, to: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// Appends `string` as a quoted JSON string (see `JSONEscaping`).
    static func appendString(_ string: String, to bytes: inout [UInt8]) {
        JSONEscaping.appendQuoted(string, to: &bytes)
    }

    // MARK: Timestamps

    /// Appends `"YYYY-MM-DDTHH:MM:SS.mmmZ"` (UTC) for a point in time since the Unix epoch.
    static func appendTimestamp(seconds: Int, nanoseconds: Int, to bytes: inout [UInt8]) {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        bytes.append(UInt8(ascii: "\""))
        appendDigits(Int(parts.tm_year) + 1900, width: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(Int(parts.tm_mon) + 1, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(Int(parts.tm_mday), width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "T"))
        appendDigits(Int(parts.tm_hour), width: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(Int(parts.tm_min), width: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(Int(parts.tm_sec), width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "."))
        appendDigits(nanoseconds / 1_000_000, width: 3, to: &bytes)
        bytes.append(UInt8(ascii: "Z"))
        bytes.append(UInt8(ascii: "\""))
    }

    private static func appendDigits(_ value: Int, width: Int, to bytes: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var remaining = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8((remaining / divisor) % 10))
            remaining %= divisor
            divisor /= 10
        }
    }

    /// The current wall-clock time as seconds and nanoseconds since the Unix epoch.
    static func now() -> (seconds: Int, nanoseconds: Int) {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return (Int(spec.tv_sec), Int(spec.tv_nsec))
    }
}
