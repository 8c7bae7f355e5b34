import DistrictProtocol
import Foundation

/// Writes a JSON array of flat records by hand, for `jsonb_to_recordset`: the report
/// writer's group rows, where `JSONEncoder` cost a fifth of the service's CPU at saturation.
/// Keys are written as given (the statements' snake_case column names); nil values are
/// written as `null`; dates go as Unix seconds, which the statements turn into timestamps
/// with `to_timestamp`. The JSON itself is ``WireJSONWriter``'s.
struct JSONRecordWriter {
    private var writer = WireJSONWriter()

    /// An empty array.
    init() {
        writer.beginArray()
    }

    /// Starts the next record.
    mutating func beginRecord() {
        writer.beginObject()
    }

    /// Ends the current record.
    mutating func endRecord() {
        writer.endObject()
    }

    /// A string field, or `null`.
    mutating func field(_ key: StaticString, _ value: String?) {
        writer.key(key)
        if let value { writer.value(value) } else { writer.null() }
    }

    /// An integer field, or `null`.
    mutating func field(_ key: StaticString, _ value: Int?) {
        writer.key(key)
        if let value { writer.value(value) } else { writer.null() }
    }

    /// A number field, or `null` (also for a value JSON cannot carry).
    mutating func field(_ key: StaticString, _ value: Double?) {
        writer.key(key)
        if let value { writer.value(value) } else { writer.null() }
    }

    /// A point in time as Unix seconds, or `null`.
    mutating func field(_ key: StaticString, _ value: Date?) {
        field(key, value?.timeIntervalSince1970)
    }

    /// A field whose value is already JSON text.
    mutating func field(_ key: StaticString, json: String) {
        writer.key(key)
        writer.value(json: json)
    }

    /// The array as text.
    mutating func finish() -> String {
        writer.endArray()
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}
