import DistrictAuth
import DistrictProtocol
import Foundation
import Testing

@Suite("TokenVerifier")
struct TokenVerifierTests {
    let signer = TokenSigner.generate(kid: "k1")

    private func expectRefused(_ token: String, _ fragment: String, keys: KeySet? = nil, at date: Date = TokenFixtures.issuedAt) throws {
        let verifier = TokenFixtures.verifier(try keys ?? TokenFixtures.keySet(signer), at: date)
        let error = #expect(throws: DistrictError.self) { try verifier.verify(token) }
        #expect(error?.code == .unauthenticated)
        #expect(error?.message.contains(fragment) == true, "\(error?.message ?? "no error"), wanted '\(fragment)'")
    }

    @Test func roundTripGivesTheSamePrincipal() throws {
        let claims = TokenFixtures.claims()
        let token = try signer.sign(claims)
        let verifier = TokenFixtures.verifier(try TokenFixtures.keySet(signer))
        #expect(try verifier.verify(token) == TokenFixtures.principal)
        #expect(try verifier.verifiedClaims(token) == claims)
        #expect(claims.expiresAt - claims.issuedAt == 900)
    }

    @Test func signerReloadsFromItsStoredKey() throws {
        let reloaded = try TokenSigner(kid: "k1", privateKey: signer.privateKeyRepresentation)
        let token = try reloaded.sign(TokenFixtures.claims())
        #expect(try TokenFixtures.verifier(try TokenFixtures.keySet(signer)).verify(token) == TokenFixtures.principal)
        #expect(throws: DistrictError.self) { try TokenSigner(kid: "k1", privateKey: Data([1, 2, 3])) }
    }

    @Test func refusesATamperedPayload() throws {
        let token = try signer.sign(TokenFixtures.claims())
        let forged = TokenFixtures.tamper(token, segment: 1) {
            $0.replacingOccurrences(of: "grid_worker", with: "district_command_centre")
        }
        #expect(forged != token)
        try expectRefused(forged, "signature does not verify")
    }

    @Test func refusesATamperedHeader() throws {
        let token = try signer.sign(TokenFixtures.claims())
        let forged = TokenFixtures.tamper(token, segment: 0) { $0.replacingOccurrences(of: "JWT", with: "JWS") }
        #expect(forged != token)
        try expectRefused(forged, "signature does not verify")
    }

    @Test func refusesASignatureFromAForeignKey() throws {
        let foreign = TokenSigner.generate(kid: "k1")
        try expectRefused(try foreign.sign(TokenFixtures.claims()), "signature does not verify")
    }

    @Test func refusesAnUnknownKeyID() throws {
        let other = TokenSigner.generate(kid: "k9")
        try expectRefused(try other.sign(TokenFixtures.claims()), "unknown key id 'k9'")
    }

    @Test(arguments: ["none", "HS256", "RS256", "ES256", "eddsa"])
    func refusesOtherAlgorithms(_ alg: String) throws {
        let token = try signer.sign(TokenFixtures.claims())
        let parts = token.split(separator: ".")
        let header = TokenFixtures.base64URL(#"{"alg":"\#(alg)","kid":"k1","typ":"JWT"}"#)
        try expectRefused("\(header).\(parts[1]).", "algorithm '\(alg)' is not accepted")
        try expectRefused("\(header).\(parts[1]).\(parts[2])", "algorithm '\(alg)' is not accepted")
    }

    @Test func refusesCriticalHeaderExtensions() throws {
        let claims = TokenFixtures.base64URL(try JSONEncoder().encode(TokenFixtures.claims()))
        let header = TokenFixtures.base64URL(#"{"alg":"EdDSA","kid":"k1","crit":["exp"]}"#)
        try expectRefused("\(header).\(claims).AAAA", "critical extensions")
    }

    @Test func expiryHonoursTheLeeway() throws {
        let token = try signer.sign(TokenFixtures.claims(lifetime: 900))
        let keys = try TokenFixtures.keySet(signer)
        let inLeeway = TokenFixtures.issuedAt.addingTimeInterval(900 + 29)
        #expect(try TokenFixtures.verifier(keys, at: inLeeway).verify(token) == TokenFixtures.principal)
        try expectRefused(token, "expired", at: TokenFixtures.issuedAt.addingTimeInterval(900 + 30))
        try expectRefused(token, "expired", at: TokenFixtures.issuedAt.addingTimeInterval(86_400))
    }

    @Test func refusesATokenIssuedInTheFuture() throws {
        let token = try signer.sign(TokenFixtures.claims())
        let keys = try TokenFixtures.keySet(signer)
        #expect(try TokenFixtures.verifier(keys, at: TokenFixtures.issuedAt.addingTimeInterval(-30)).verify(token) == TokenFixtures.principal)
        try expectRefused(token, "not yet valid", at: TokenFixtures.issuedAt.addingTimeInterval(-31))
    }

    @Test func refusesAWrongIssuer() throws {
        try expectRefused(try signer.sign(TokenFixtures.claims(issuer: "someone-else")), "issuer 'someone-else'")
    }

    @Test func refusesAnOversizedToken() throws {
        var claims = TokenFixtures.claims()
        claims.name = String(repeating: "x", count: 8 * 1024)
        try expectRefused(try signer.sign(claims), "larger than 8192 bytes")
    }

    @Test(arguments: ["", ".", "..", "abc", "a.b", "a.b.c", "a.b.c.d", "e30.e30.", "  ", "令牌.令牌.令牌"])
    func refusesGarbage(_ token: String) throws {
        try expectRefused(token, "malformed token")
    }

    @Test func base64URLIsStrict() throws {
        let token = try signer.sign(TokenFixtures.claims())
        let parts = token.split(separator: ".").map(String.init)
        // Padding, standard-alphabet characters and whitespace are all refused.
        try expectRefused(parts[0] + "=." + parts[1] + "." + parts[2], "malformed token header")
        try expectRefused(parts[0] + "." + parts[1] + "." + parts[2] + "==", "signature does not verify")
        try expectRefused(parts[0] + " ." + parts[1] + "." + parts[2], "malformed token header")
        // A last character with non-zero unused bits decodes, leniently, to the same bytes.
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let lastCharacter = try #require(parts[2].last)
        let last = try #require(alphabet.firstIndex(of: lastCharacter))
        let loose = String(parts[2].dropLast()) + String(alphabet[last | 1])
        try expectRefused(parts[0] + "." + parts[1] + "." + loose, "signature does not verify")
        let plus = parts[2].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        if plus != parts[2] {
            try expectRefused(parts[0] + "." + parts[1] + "." + plus, "signature does not verify")
        }
    }

    @Test func refusesUnsignedClaimsThatAreNotJSON() throws {
        // A validly signed token whose payload is not claims JSON.
        let header = TokenFixtures.base64URL(#"{"alg":"EdDSA","kid":"k1"}"#)
        try expectRefused("\(header).\(TokenFixtures.base64URL("[1]")).AAAA", "signature does not verify")
    }
}
