import DistrictAuth
import DistrictProtocol
import Foundation
import Testing

@Suite("KeySet")
struct KeyRotationTests {
    @Test func rotationVerifiesOldAndNewUntilTheOldKeyIsRemoved() throws {
        let old = TokenSigner.generate(kid: "2026-10")
        let new = TokenSigner.generate(kid: "2026-11")
        let oldToken = try old.sign(TokenFixtures.claims())
        let newToken = try new.sign(TokenFixtures.claims())

        var keys = try TokenFixtures.keySet(old, new)
        #expect(keys.kids == ["2026-10", "2026-11"])
        #expect(try TokenFixtures.verifier(keys).verify(oldToken) == TokenFixtures.principal)
        #expect(try TokenFixtures.verifier(keys).verify(newToken) == TokenFixtures.principal)

        keys.remove(kid: "2026-10")
        let error = #expect(throws: DistrictError.self) { try TokenFixtures.verifier(keys).verify(oldToken) }
        #expect(error?.code == .unauthenticated)
        #expect(try TokenFixtures.verifier(keys).verify(newToken) == TokenFixtures.principal)
    }

    @Test func jwksJSONRoundTrip() throws {
        let signers = [TokenSigner.generate(kid: "a"), TokenSigner.generate(kid: "b")]
        let keys = try KeySet(signers.map(\.publicKey))
        let json = try JSONEncoder().encode(keys)

        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        let entries = try #require(object["keys"] as? [[String: String]])
        #expect(entries.map { $0["kid"] } == ["a", "b"])
        #expect(entries.allSatisfy { $0["kty"] == "OKP" && $0["crv"] == "Ed25519" })
        #expect(entries.allSatisfy { ($0["x"]?.count ?? 0) == 43 && !($0["x"]?.contains("=") ?? true) })

        let decoded = try JSONDecoder().decode(KeySet.self, from: json)
        #expect(decoded.keys == keys.keys)
        let token = try signers[1].sign(TokenFixtures.claims())
        #expect(try TokenFixtures.verifier(decoded).verify(token) == TokenFixtures.principal)
    }

    @Test func decodingSkipsOtherKeyTypesAndRefusesMalformedKeys() throws {
        let good = TokenSigner.generate(kid: "ed").publicKey
        let json = #"{"keys":[{"kty":"RSA","crv":"","kid":"rsa","x":"","n":"abc","e":"AQAB"},{"kty":"OKP","crv":"Ed25519","kid":"ed","x":"\#(good.x)","use":"sig"}]}"#
        let keys = try JSONDecoder().decode(KeySet.self, from: Data(json.utf8))
        #expect(keys.kids == ["ed"])

        let short = #"{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"ed","x":"AAAA"}]}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(KeySet.self, from: Data(short.utf8)) }
        let twice = #"{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"ed","x":"\#(good.x)"},{"kty":"OKP","crv":"Ed25519","kid":"ed","x":"\#(good.x)"}]}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(KeySet.self, from: Data(twice.utf8)) }
    }

    @Test func insertRefusesNonEd25519Keys() {
        var keys = KeySet()
        let error = #expect(throws: DistrictError.self) {
            try keys.insert(JSONWebKey(kty: "OKP", crv: "X25519", kid: "x", x: "AAAA"))
        }
        #expect(error?.code == .invalidParams)
        #expect(keys.kids.isEmpty)
    }
}
