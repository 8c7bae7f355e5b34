import DistrictProtocol
import Testing

@Suite("JSON object scanner")
struct JSONObjectScannerTests {
    @Test("returns the raw ranges of top-level members")
    func members() throws {
        let text = #" { "id" : 7, "method":"a.b", "params": {"x": [1, 2.5e3, "}"], "y": null}, "t": "\u4e2d\"" } "#
        let bytes = Array(text.utf8)
        let members = try JSONObjectScanner.scanObject(bytes)
        #expect(members.map(\.key) == ["id", "method", "params", "t"])
        let params = members[2]
        #expect(String(decoding: bytes[params.value], as: UTF8.self) == #"{"x": [1, 2.5e3, "}"], "y": null}"#)
    }

    @Test("unescapes member names")
    func escapedKeys() throws {
        let members = try JSONObjectScanner.scanObject(Array(#"{"a\nb":1,"\u0041":2}"#.utf8))
        #expect(members.map(\.key) == ["a\nb", "A"])
    }

    @Test(
        "refuses what is not JSON",
        arguments: [
            "", "{", "}", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{a:1}", "{\"a\":01}", "{\"a\":1.}",
            "{\"a\":-}", "{\"a\":tru}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":1} x", "{\"a\":\"\u{01}\"}",
            "{\"a\":[1,2}", "{'a':1}",
        ])
    func invalid(_ text: String) {
        #expect(throws: JSONScanError.self) { try JSONObjectScanner.scanObject(Array(text.utf8)) }
    }

    @Test("tells valid JSON that is not an object apart", arguments: ["[1,2]", "\"text\"", "42", "null", "true"])
    func notObject(_ text: String) {
        #expect(throws: JSONScanError.notAnObject) { try JSONObjectScanner.scanObject(Array(text.utf8)) }
    }

    @Test("refuses invalid UTF-8 inside strings and outside")
    func invalidUTF8() {
        let cases: [[UInt8]] = [
            Array(#"{"a":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8),  // bad continuation
            Array(#"{"a":""#.utf8) + [0xC0, 0xAF] + Array(#""}"#.utf8),  // overlong
            Array(#"{"a":""#.utf8) + [0xED, 0xA0, 0x80] + Array(#""}"#.utf8),  // surrogate
            Array(#"{"a":""#.utf8) + [0xF4, 0x90, 0x80, 0x80] + Array(#""}"#.utf8),  // > U+10FFFF
            Array(#"{"a":""#.utf8) + [0xE4, 0xB8] + Array(#""}"#.utf8),  // truncated
            Array(#"{"a":"#.utf8) + [0xFF] + Array(#"}"#.utf8),
        ]
        for bytes in cases {
            #expect(throws: JSONScanError.self) { try JSONObjectScanner.scanObject(bytes) }
        }
    }

    @Test("accepts Chinese text and emoji")
    func unicode() throws {
        let members = try JSONObjectScanner.scanObject(Array(#"{"描述":"楼道堆物 🚧"}"#.utf8))
        #expect(members.first?.key == "描述")
    }

    @Test("refuses nesting beyond the maximum depth")
    func depth() {
        let deep = "{\"a\":" + String(repeating: "[", count: 200) + String(repeating: "]", count: 200) + "}"
        #expect(throws: JSONScanError.tooDeep) { try JSONObjectScanner.scanObject(Array(deep.utf8)) }
        let fine = "{\"a\":" + String(repeating: "[", count: 10) + String(repeating: "]", count: 10) + "}"
        #expect(throws: Never.self) { try JSONObjectScanner.scanObject(Array(fine.utf8)) }
    }

    @Test("refuses duplicate member names")
    func duplicates() {
        #expect(throws: JSONScanError.duplicateKey("id")) { try JSONObjectScanner.scanObject(Array(#"{"id":1,"id":2}"#.utf8)) }
    }
}
