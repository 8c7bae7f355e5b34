import DistrictProtocol
import Foundation
import IdentityService
import Testing

@Suite("Identity secret")
struct IdentitySecretTests {
    @Test("sealed values open with the same secret and purpose only")
    func sealAndOpen() throws {
        let secret = IdentitySecret.random()
        let sealed = try secret.seal("13812345678", for: .phone)
        #expect(!String(decoding: sealed, as: UTF8.self).contains("13812345678"))
        #expect(try secret.openString(sealed, for: .phone) == "13812345678")
        // The same plaintext seals differently each time (random nonce).
        #expect(try secret.seal("13812345678", for: .phone) != sealed)
        #expect(throws: DistrictError.self) { try secret.open(sealed, for: .idNumber) }
        #expect(throws: DistrictError.self) { try IdentitySecret.random().open(sealed, for: .phone) }
        var altered = sealed
        altered[altered.count - 1] ^= 1
        #expect(throws: DistrictError.self) { try secret.open(altered, for: .phone) }
    }

    @Test("lookup hashes are stable per secret and differ by purpose and secret")
    func lookupHashes() throws {
        let bytes = Data((0..<32).map { UInt8($0) })
        let one = try IdentitySecret(districtSecret: bytes)
        let same = try IdentitySecret(districtSecret: bytes)
        let hash = one.lookupHash("13812345678", for: .phone)
        #expect(hash.count == 64)
        #expect(hash == same.lookupHash("13812345678", for: .phone))
        #expect(hash != one.lookupHash("13812345678", for: .idNumber))
        #expect(hash != IdentitySecret.random().lookupHash("13812345678", for: .phone))
        #expect(throws: DistrictError.self) { try IdentitySecret(districtSecret: Data(count: 16)) }
    }
}
