import DistrictProtocol
import Foundation

/// Writes a JSON array of flat records by hand, for `jsonb_to_recordset`: the report
/// writer's group rows, where `JSONEncoder` cost a fifth of the service's CPU at saturation.
/// Keys are written as given (the statements' snake_case column names); dates go as Unix
/// seconds, which the statements turn into timestamps with `to_timestamp`.
struct JSONRecordWriter {
    private var bytes: [UInt8] = [UInt8(ascii: "[")]
    private var records = 0
    private var fields = 0

    /// Starts the next record.
    mutating func beginRecord() {
        if records > 0 { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "{"))
        records += 1
        fields = 0
    }

    /// Ends the current record.
    mutating func endRecord() {
        bytes.append(UInt8(ascii: "}"))
    }

    /// A string field, or `null`.
    mutating func field(_ key: StaticString, _ value: String?) {
        self.key(key)
        if let value { JSONEscaping.appendQuoted(value, to: &bytes) } else { appendNull() }
    }

    /// An integer field, or `null`.
    mutating func field(_ key: StaticString, _ value: Int?) {
        self.key(key)
        if let value { bytes.append(contentsOf: String(value).utf8) } else { appendNull() }
    }

    /// A number field, or `null` (also for a value JSON cannot carry).
    mutating func field(_ key: StaticString, _ value: Double?) {
        self.key(key)
        if let value, value.isFinite { bytes.append(contentsOf: "\(value)".utf8) } else { appendNull() }
    }

    /// A point in time as Unix seconds, or `null`.
    mutating func field(_ key: StaticString, _ value: Date?) {
        field(key, value?.timeIntervalSince1970)
    }

    /// A field whose value is already JSON text.
    mutating func field(_ key: StaticString, json: String) {
        self.key(key)
        bytes.append(contentsOf: json.utf8)
    }

    /// The array as text.
    mutating func finish() -> String {
        bytes.append(UInt8(ascii: "]"))
        return String(decoding: bytes, as: UTF8.self)
    }

    private mutating func key(_ key: StaticString) {
        if fields > 0 { bytes.append(UInt8(ascii: ",")) }
        fields += 1
        bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    private mutating func appendNull() {
        bytes.append(contentsOf: "null".utf8)
    }
}
