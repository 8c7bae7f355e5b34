/// Why a frame is not a single JSON object.
public enum JSONScanError: Error, Hashable, Sendable {
    /// The bytes are not valid UTF-8.
    case invalidUTF8(offset: Int)
    /// The text is not valid JSON (RFC 8259).
    case invalidJSON(offset: Int)
    /// Valid JSON, but the top-level value is not an object.
    case notAnObject
    /// Arrays or objects nest deeper than the scanner allows.
    case tooDeep
    /// The object has the same member name twice.
    case duplicateKey(String)
}

/// One top-level member of a scanned object: its name and the byte range of its raw value.
public struct JSONMember: Sendable, Hashable {
    /// The member name, unescaped.
    public var key: String
    /// The byte range of the member's value within the scanned buffer.
    public var value: Range<Int>
}

/// Validates that a buffer holds exactly one JSON object in UTF-8 and returns the byte
/// ranges of its top-level members without building any other values.
///
/// Routing a request needs `id` and `method`, while `params` is decoded once into the
/// method's own type; scanning avoids decoding the envelope twice.
public struct JSONObjectScanner {
    /// Nesting deeper than this is refused, so hostile input cannot exhaust the stack.
    public static let maximumDepth = 64

    private let bytes: UnsafeRawBufferPointer
    private var index = 0

    private init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// Scans `bytes`, which must contain one JSON object (surrounding whitespace allowed).
    public static func scanObject(_ bytes: UnsafeRawBufferPointer) throws(JSONScanError) -> [JSONMember] {
        var scanner = JSONObjectScanner(bytes)
        scanner.skipWhitespace()
        guard scanner.index < bytes.count else { throw .invalidJSON(offset: scanner.index) }
        guard bytes[scanner.index] == UInt8(ascii: "{") else {
            // Tell "valid JSON but not an object" apart from garbage.
            try scanner.scanValue(depth: 0)
            scanner.skipWhitespace()
            guard scanner.index == bytes.count else { throw .invalidJSON(offset: scanner.index) }
            throw .notAnObject
        }
        let members = try scanner.scanObjectMembers(depth: 0, collect: true)
        scanner.skipWhitespace()
        guard scanner.index == bytes.count else { throw .invalidJSON(offset: scanner.index) }
        return members
    }

    /// Scans a byte array; see ``scanObject(_:)-(UnsafeRawBufferPointer)``.
    public static func scanObject(_ bytes: [UInt8]) throws(JSONScanError) -> [JSONMember] {
        do {
            return try bytes.withUnsafeBytes { try scanObject($0) }
        } catch let error as JSONScanError {
            throw error
        } catch {
            preconditionFailure("unreachable: \(error)")
        }
    }

    // MARK: Grammar

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func expect(_ byte: UInt8) throws(JSONScanError) {
        guard index < bytes.count, bytes[index] == byte else { throw .invalidJSON(offset: index) }
        index += 1
    }

    private mutating func scanValue(depth: Int) throws(JSONScanError) {
        guard index < bytes.count else { throw .invalidJSON(offset: index) }
        switch bytes[index] {
        case UInt8(ascii: "{"): _ = try scanObjectMembers(depth: depth + 1, collect: false)
        case UInt8(ascii: "["): try scanArray(depth: depth + 1)
        case UInt8(ascii: "\""): _ = try scanString()
        case UInt8(ascii: "t"): try scanLiteral("true")
        case UInt8(ascii: "f"): try scanLiteral("false")
        case UInt8(ascii: "n"): try scanLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try scanNumber()
        default:
            if bytes[index] >= 0x80, !Self.isValidUTF8(bytes, from: index) {
                throw .invalidUTF8(offset: index)
            }
            throw .invalidJSON(offset: index)
        }
    }

    private mutating func scanObjectMembers(depth: Int, collect: Bool) throws(JSONScanError) -> [JSONMember] {
        guard depth <= Self.maximumDepth else { throw .tooDeep }
        try expect(UInt8(ascii: "{"))
        var members: [JSONMember] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return members
        }
        while true {
            skipWhitespace()
            let keyRange = try scanString()
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            skipWhitespace()
            let valueStart = index
            try scanValue(depth: depth)
            if collect {
                let key = JSONText.unescapeString(UnsafeRawBufferPointer(rebasing: bytes[keyRange]))
                if members.contains(where: { $0.key == key }) { throw .duplicateKey(key) }
                members.append(JSONMember(key: key, value: valueStart..<index))
            }
            skipWhitespace()
            guard index < bytes.count else { throw .invalidJSON(offset: index) }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            try expect(UInt8(ascii: "}"))
            return members
        }
    }

    private mutating func scanArray(depth: Int) throws(JSONScanError) {
        guard depth <= Self.maximumDepth else { throw .tooDeep }
        try expect(UInt8(ascii: "["))
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return
        }
        while true {
            skipWhitespace()
            try scanValue(depth: depth)
            skipWhitespace()
            guard index < bytes.count else { throw .invalidJSON(offset: index) }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            try expect(UInt8(ascii: "]"))
            return
        }
    }

    /// Scans a string literal and returns the range of its contents (without quotes).
    private mutating func scanString() throws(JSONScanError) -> Range<Int> {
        try expect(UInt8(ascii: "\""))
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return start..<(index - 1)
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { throw .invalidJSON(offset: index) }
                switch bytes[index] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                    UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    index += 1
                case UInt8(ascii: "u"):
                    guard index + 4 < bytes.count else { throw .invalidJSON(offset: index) }
                    for offset in 1...4 where JSONText.hexValue(bytes[index + offset]) == nil {
                        throw .invalidJSON(offset: index + offset)
                    }
                    index += 5
                default:
                    throw .invalidJSON(offset: index)
                }
            case 0x00..<0x20:
                throw .invalidJSON(offset: index)
            case 0x80...:
                let length = Self.utf8SequenceLength(bytes, at: index)
                guard length > 0 else { throw .invalidUTF8(offset: index) }
                index += length
            default:
                index += 1
            }
        }
        throw .invalidJSON(offset: index)
    }

    private mutating func scanLiteral(_ literal: StaticString) throws(JSONScanError) {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw .invalidJSON(offset: index) }
        let start = literal.utf8Start
        for offset in 0..<count where bytes[index + offset] != start[offset] {
            throw .invalidJSON(offset: index + offset)
        }
        index += count
    }

    private mutating func scanNumber() throws(JSONScanError) {
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count else { throw .invalidJSON(offset: index) }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            try scanDigits()
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            try scanDigits()
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            try scanDigits()
        }
    }

    private mutating func scanDigits() throws(JSONScanError) {
        let start = index
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
            index += 1
        }
        guard index > start else { throw .invalidJSON(offset: index) }
    }

    // MARK: UTF-8

    private static func isValidUTF8(_ bytes: UnsafeRawBufferPointer, from index: Int) -> Bool {
        utf8SequenceLength(bytes, at: index) > 0
    }

    /// The length of the well-formed UTF-8 sequence at `index`, or 0 if it is ill-formed
    /// (bad lead byte, missing continuation, overlong form, surrogate, beyond U+10FFFF).
    static func utf8SequenceLength(_ bytes: UnsafeRawBufferPointer, at index: Int) -> Int {
        let lead = bytes[index]
        let length: Int
        var lower: UInt8 = 0x80
        var upper: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; upper = 0x9F
        case 0xF0: length = 4; lower = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; upper = 0x8F
        default: return 0
        }
        guard index + length <= bytes.count else { return 0 }
        let second = bytes[index + 1]
        guard second >= lower, second <= upper else { return 0 }
        for offset in 2..<max(2, length) where bytes[index + offset] & 0xC0 != 0x80 {
            return 0
        }
        return length
    }
}
