public import Foundation

/// A value that writes its own wire JSON, for the answers sent most often (case records):
/// ``WireCoding/encode(_:)`` uses it instead of `JSONEncoder`, whose generic containers
/// were most of the cost of an answer. The JSON must decode with ``WireCoding`` to the
/// same value as `JSONEncoder`'s would: the same member names, nil members left out.
public protocol WireJSONEncodable: Encodable {
    /// Writes the value (one JSON value) to `writer`.
    func writeWireJSON(to writer: inout WireJSONWriter)
}

/// Writes JSON text by hand with the wire's conventions: members in the order written,
/// strings escaped per RFC 8259, dates as ``WireCoding/formatDate(_:)`` writes them.
public struct WireJSONWriter {
    /// The JSON written so far.
    public private(set) var bytes: [UInt8] = []
    private var needsComma = false

    /// An empty writer.
    public init() {
        bytes.reserveCapacity(1_024)
    }

    /// Starts an object (`{`).
    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    /// Ends the current object (`}`).
    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// Starts an array (`[`).
    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    /// Ends the current array (`]`).
    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes a member name; the next value written is its value.
    public mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// A string value.
    public mutating func value(_ string: String) {
        separate()
        JSONEscaping.appendQuoted(string, to: &bytes)
        needsComma = true
    }

    /// An integer value.
    public mutating func value(_ number: Int) {
        separate()
        bytes.append(contentsOf: String(number).utf8)
        needsComma = true
    }

    /// A number value; `null` for infinity and NaN, which JSON cannot carry.
    public mutating func value(_ number: Double) {
        separate()
        bytes.append(contentsOf: (number.isFinite ? "\(number)" : "null").utf8)
        needsComma = true
    }

    /// A Boolean value.
    public mutating func value(_ flag: Bool) {
        separate()
        bytes.append(contentsOf: (flag ? "true" : "false").utf8)
        needsComma = true
    }

    /// `null`.
    public mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
        needsComma = true
    }

    /// A value that is already JSON text, copied as it is.
    public mutating func value(json: String) {
        separate()
        bytes.append(contentsOf: json.utf8)
        needsComma = true
    }

    /// A date value, as ``WireCoding/formatDate(_:)`` writes it.
    public mutating func value(_ date: Date) {
        value(WireCoding.formatDate(date))
    }

    /// A value that writes itself.
    public mutating func value(_ encodable: some WireJSONEncodable) {
        encodable.writeWireJSON(to: &self)
    }

    /// An array of values that write themselves.
    public mutating func value(_ elements: [some WireJSONEncodable]) {
        beginArray()
        for element in elements { element.writeWireJSON(to: &self) }
        endArray()
    }

    /// An array of strings.
    public mutating func value(_ strings: [String]) {
        beginArray()
        for string in strings { value(string) }
        endArray()
    }

    /// A member with a string value, left out when nil (as `JSONEncoder` leaves out nil members).
    public mutating func member(_ name: StaticString, _ string: String?) {
        guard let string else { return }
        key(name)
        value(string)
    }

    /// A member with an integer value.
    public mutating func member(_ name: StaticString, _ number: Int) {
        key(name)
        value(number)
    }

    /// A member with a number value.
    public mutating func member(_ name: StaticString, _ number: Double) {
        key(name)
        value(number)
    }

    /// A member with a Boolean value.
    public mutating func member(_ name: StaticString, _ flag: Bool) {
        key(name)
        value(flag)
    }

    /// A member with a date value, left out when nil.
    public mutating func member(_ name: StaticString, _ date: Date?) {
        guard let date else { return }
        key(name)
        value(date)
    }

    /// A member whose value writes itself, left out when nil.
    public mutating func member(_ name: StaticString, _ encodable: (some WireJSONEncodable)?) {
        guard let encodable else { return }
        key(name)
        value(encodable)
    }

    /// A member with an array of values that write themselves, left out when nil.
    public mutating func member(_ name: StaticString, _ elements: [some WireJSONEncodable]?) {
        guard let elements else { return }
        key(name)
        value(elements)
    }

    /// A member with an array of strings.
    public mutating func member(_ name: StaticString, _ strings: [String]) {
        key(name)
        value(strings)
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }
}
