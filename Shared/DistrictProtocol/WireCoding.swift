public import Foundation

/// The JSON conventions of the wire: camelCase member names as declared, dates as
/// ISO 8601 strings in UTC with fractional seconds, and sorted keys off for speed.
public enum WireCoding {
    /// A decoder configured for the wire.
    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            if let date = parseDate(text) { return date }
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected an ISO 8601 date-time, got \(text)")
        }
        return decoder
    }

    /// An encoder configured for the wire.
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(formatDate(date))
        }
        return encoder
    }

    /// Formats a date as `2026-11-22T08:30:00.123Z` (UTC, milliseconds rounded down), as
    /// Foundation's ISO 8601 format style writes it, by arithmetic on the instant: building
    /// that style for each date was most of what encoding a case record's dates cost.
    ///
    /// Without `fractionalSeconds`, `2026-11-22T08:30:00Z` (seconds rounded down), as
    /// `JSONEncoder`'s `.iso8601` strategy writes it (event payloads).
    public static func formatDate(_ date: Date, fractionalSeconds: Bool = true) -> String {
        let sinceReference = date.timeIntervalSinceReferenceDate
        let wholeSeconds = sinceReference.rounded(.down)
        let milliseconds = min(999, Int((sinceReference - wholeSeconds) * 1_000))
        let unixSeconds = Int(wholeSeconds) + 978_307_200  // 2001-01-01 in Unix seconds
        let days = CivilDate.days(fromUnixSeconds: unixSeconds)
        let secondOfDay = unixSeconds - days * 86_400
        let civil = CivilDate(daysSinceEpoch: days)
        guard CivilDate.writableYears.contains(civil.year) else {
            return fractionalSeconds
                ? date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
                : date.formatted(.iso8601)
        }
        return String(unsafeUninitializedCapacity: 24) { text in
            func put(_ value: Int, digits: Int, at offset: Int) { CivilDate.put(value, digits: digits, at: offset, in: text) }
            civil.writeISODay(to: text)
            text[10] = UInt8(ascii: "T")
            put(secondOfDay / 3_600, digits: 2, at: 11)
            text[13] = UInt8(ascii: ":")
            put(secondOfDay / 60 % 60, digits: 2, at: 14)
            text[16] = UInt8(ascii: ":")
            put(secondOfDay % 60, digits: 2, at: 17)
            guard fractionalSeconds else {
                text[19] = UInt8(ascii: "Z")
                return 20
            }
            text[19] = UInt8(ascii: ".")
            put(milliseconds, digits: 3, at: 20)
            text[23] = UInt8(ascii: "Z")
            return 24
        }
    }

    /// Parses an ISO 8601 date-time with or without fractional seconds.
    public static func parseDate(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true)) {
            return date
        }
        return try? Date(text, strategy: .iso8601)
    }

    /// Shared instances: their configuration never changes after creation, and
    /// Foundation's coders are safe to use from several threads at once.
    private static let sharedDecoder = makeDecoder()
    private static let sharedEncoder = makeEncoder()

    /// Decodes `bytes` (raw JSON) as `T`, mapping failures to `invalid_params`.
    public static func decodeParams<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws(DistrictError) -> T {
        do {
            return try sharedDecoder.decode(T.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw DistrictError(.invalidParams, describe(error), details: path(of: error).map { ["field": $0] })
        } catch {
            throw DistrictError(.invalidParams, "params could not be decoded")
        }
    }

    /// Encodes a value to raw JSON bytes.
    ///
    /// A ``WireJSONEncodable`` value writes itself; anything else goes through `JSONEncoder`.
    public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        if let writing = value as? any WireJSONEncodable {
            var writer = WireJSONWriter()
            writing.writeWireJSON(to: &writer)
            return writer.bytes
        }
        return Array(try sharedEncoder.encode(value))
    }

    /// Encodes a value with `JSONEncoder` even if it writes itself (for tests that compare the two).
    public static func encodeWithJSONEncoder<T: Encodable>(_ value: T) throws -> [UInt8] {
        Array(try sharedEncoder.encode(value))
    }

    private static func path(of error: DecodingError) -> String? {
        let path: [any CodingKey]
        switch error {
        case .keyNotFound(let key, let context): path = context.codingPath + [key]
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            path = context.codingPath
        @unknown default: return nil
        }
        guard !path.isEmpty else { return nil }
        return path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): return "missing field '\(key.stringValue)'"
        case .typeMismatch(let type, _): return "wrong type, expected \(type)"
        case .valueNotFound(let type, _): return "missing value, expected \(type)"
        case .dataCorrupted(let context): return context.debugDescription
        @unknown default: return "params could not be decoded"
        }
    }
}
