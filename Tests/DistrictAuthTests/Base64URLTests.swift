@testable import DistrictAuth
import Foundation
import Testing

@Suite("Base64url")
struct Base64URLTests {
    @Test("agrees with Foundation's base64 for every length from 0 to 96 bytes")
    func agreesWithFoundation() {
        var generator = SystemRandomNumberGenerator()
        for length in 0...96 {
            let bytes = Data((0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) })
            let expected = bytes.base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
            #expect(Base64URL.encode(bytes) == expected)
            #expect(Base64URL.decode(expected) == bytes)
        }
    }

    @Test("refuses padding, the standard alphabet, impossible lengths and non-zero unused bits", arguments: ["QQ==", "a+b/", "QUJDR", "QR", "QUJ"])
    func refuses(_ text: String) {
        // "QR" and "QUJ" end in bits that must be zero ("QQ" and "QUI" are the valid forms).
        #expect(Base64URL.decode(text) == nil)
    }

    @Test("accepts the canonical forms")
    func canonical() {
        #expect(Base64URL.decode("QQ") == Data("A".utf8))
        #expect(Base64URL.decode("QUI") == Data("AB".utf8))
        #expect(Base64URL.decode("") == Data())
    }
}
