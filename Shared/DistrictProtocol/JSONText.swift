/// Small helpers for JSON text that the envelope code needs without a full decoder.
public enum JSONText {
    /// `value` as a JSON string literal, quotes included, escaped per RFC 8259.
    public static func quoted(_ value: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(value.utf8.count + 2)
        JSONEscaping.appendQuoted(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Unescapes the contents of a string literal that ``JSONObjectScanner`` validated
    /// (the bytes between the quotes).
    public static func unescapeString(_ contents: UnsafeRawBufferPointer) -> String {
        guard contents.contains(UInt8(ascii: "\\")) else {
            return String(decoding: contents, as: UTF8.self)
        }
        var scalars = String.UnicodeScalarView()
        var utf8: [UInt8] = []
        var index = 0
        func flush() {
            if !utf8.isEmpty {
                scalars.append(contentsOf: String(decoding: utf8, as: UTF8.self).unicodeScalars)
                utf8.removeAll(keepingCapacity: true)
            }
        }
        while index < contents.count {
            let byte = contents[index]
            guard byte == UInt8(ascii: "\\"), index + 1 < contents.count else {
                utf8.append(byte)
                index += 1
                continue
            }
            flush()
            let escape = contents[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                var code = hex4(contents, at: index)
                index += 4
                if (0xD800...0xDBFF).contains(code), index + 5 < contents.count,
                    contents[index] == UInt8(ascii: "\\"), contents[index + 1] == UInt8(ascii: "u")
                {
                    let low = hex4(contents, at: index + 2)
                    if (0xDC00...0xDFFF).contains(low) {
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        index += 6
                    }
                }
                scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
            default:
                scalars.append(Unicode.Scalar(escape))
            }
        }
        flush()
        return String(scalars)
    }

    /// Parses a JSON number that must be an integer without fraction or exponent.
    public static func integer(_ raw: UnsafeRawBufferPointer) -> Int64? {
        guard !raw.isEmpty, raw.count <= 20 else { return nil }
        return Int64(String(decoding: raw, as: UTF8.self))
    }

    static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    private static func hex4(_ bytes: UnsafeRawBufferPointer, at index: Int) -> UInt32 {
        var value: UInt32 = 0
        for offset in 0..<4 {
            value = value << 4 | (hexValue(bytes[index + offset]) ?? 0)
        }
        return value
    }
}
