import DistrictProtocol
import Foundation
import Testing

@Suite("UUID.random")
struct UUIDRandomTests {
    /// A generator that repeats one word, so the bits the version and variant set are visible.
    struct Repeating: RandomNumberGenerator {
        var word: UInt64
        mutating func next() -> UInt64 { word }
    }

    @Test("Foundation's random(using:), which random() relies on, sets the version (4) and the variant (10) and keeps every other bit")
    func versionAndVariant() {
        var ones = Repeating(word: .max)
        #expect(UUID.random(using: &ones).uuidString == "FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF")
        var zeros = Repeating(word: 0)
        #expect(UUID.random(using: &zeros).uuidString == "00000000-0000-4000-8000-000000000000")
    }

    @Test("system-random UUIDs are version 4 and do not repeat")
    func systemRandom() {
        let uuids = (0..<10_000).map { _ in UUID.random() }
        #expect(Set(uuids).count == uuids.count)
        for uuid in uuids.prefix(100) {
            let text = uuid.uuidString
            #expect(Array(text)[14] == "4")
            #expect("89AB".contains(Array(text)[19]))
        }
    }
}
