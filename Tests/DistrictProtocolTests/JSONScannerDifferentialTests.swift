import DistrictProtocol
import Foundation
import Testing
import TestSupport

/// Compares the scanner with Foundation's JSON parser on many mutated frames: both must
/// agree on what is a JSON object. A deterministic generator keeps failures reproducible.
@Suite("JSON scanner against Foundation")
struct JSONScannerDifferentialTests {
    private static let seeds: [String] = [
        #"{"id":1,"method":"system.echo","params":{"text":"你好","delayMs":5}}"#,
        #"{"id":"r-9","method":"dispatch.report","params":{"location":{"lat":39.9,"lon":116.4},"tags":["a","b"],"urgent":true,"note":null}}"#,
        #"{"a":[1,-2.5e-3,0,{"b":"\u00e9\n\"q\""}],"c":{}}"#,
        #" { "x" : [ ] , "y" : [ [ ] ] } "#,
    ]

    private static func hasTrailingComma(_ bytes: [UInt8]) -> Bool {
        let compact = bytes.filter { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        return zip(compact, compact.dropFirst()).contains { $0 == UInt8(ascii: ",") && ($1 == UInt8(ascii: "]") || $1 == UInt8(ascii: "}")) }
    }

    @Test("trailing commas are refused")
    func trailingCommas() {
        #expect(throws: JSONScanError.self) { try JSONObjectScanner.scanObject(Array(#"{"a":[1,]}"#.utf8)) }
        #expect(throws: JSONScanError.self) { try JSONObjectScanner.scanObject(Array(#"{"a":1,}"#.utf8)) }
    }

    @Test("agrees with JSONSerialization on 20,000 mutated frames")
    func agreesWithFoundation() throws {
        var random = SeededRandom(seed: 20261122)
        let alphabet = Array(#"{}[]:,"\-+.0123456789eEtruefalsn ab\u"#.utf8) + [0x00, 0x0A, 0xC3, 0xA9, 0xFF, 0xE4]
        var disagreements: [String] = []
        for round in 0..<20_000 {
            var bytes = Array(Self.seeds[round % Self.seeds.count].utf8)
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let position = Int.random(in: 0...bytes.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0 where position < bytes.count: bytes.remove(at: position)
                case 1 where position < bytes.count: bytes[position] = alphabet.randomElement(using: &random)!
                default: bytes.insert(alphabet.randomElement(using: &random)!, at: position)
                }
            }
            let scanned: Bool
            do {
                _ = try JSONObjectScanner.scanObject(bytes)
                scanned = true
            } catch .duplicateKey, .tooDeep {
                continue  // Foundation accepts duplicates and deeper nesting; we refuse by design.
            } catch {
                scanned = false
            }
            let foundation = (try? JSONSerialization.jsonObject(with: Data(bytes))) is [String: Any]
            if !scanned, foundation, Self.hasTrailingComma(bytes) {
                continue  // Foundation tolerates `[1,]` and `{"a":1,}`; RFC 8259 does not, nor do we.
            }
            if scanned != foundation {
                disagreements.append("scanner \(scanned), Foundation \(foundation): \(String(decoding: bytes, as: UTF8.self).debugDescription)")
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.count) disagreements, first: \(disagreements.prefix(5).joined(separator: "\n"))")
    }
}
