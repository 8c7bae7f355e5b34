import DistrictAuth
import DistrictProtocol
import DistrictRuntime
import DistrictServer
import Foundation
import Logging
import Testing

@Suite("Authenticator")
struct AuthenticatorTests {
    private let signer = TokenSigner.generate(kid: "k1")

    private func context(token: String? = nil, certificate: String? = nil) -> RequestContext {
        RequestContext(requestID: .number(1), method: "test", token: token, peer: PeerIdentity(certificateCommonName: certificate), logger: Logger(label: "test"))
    }

    private func authenticator() throws -> Authenticator {
        var keys = KeySet()
        try keys.insert(signer.publicKey)
        return Authenticator(verifier: TokenVerifier(keys: keys))
    }

    private func gridWorkerToken() throws -> String {
        let principal = Principal(subject: "u-7", name: "网格员", kind: .staff, bindings: [RoleBinding(.gridWorker, at: try OrgPath("d01.s03.c12.g0457"))], department: nil)
        return try signer.sign(AccessTokenClaims(for: principal, issuedAt: Date()))
    }

    @Test("a valid token gives its principal, and the policy decides by org path")
    func token() throws {
        let authenticator = try authenticator()
        let context = context(token: try gridWorkerToken())
        #expect(try authenticator.principal(for: context).subject == "u-7")
        #expect(throws: Never.self) { try authenticator.authorize(context, .caseRead, on: Resource(path: try OrgPath("d01.s03.c12.g0457"))) }
        #expect { try authenticator.authorize(context, .caseRead, on: Resource(path: try OrgPath("d01.s03.c12.g0458"))) } throws: {
            ($0 as? DistrictError)?.code == .permissionDenied
        }
    }

    @Test("a tampered token, or a token without configured keys, is unauthenticated")
    func badTokens() throws {
        // Change one character of the signature (the third segment).
        let original = try gridWorkerToken()
        var parts = original.split(separator: ".").map(String.init)
        let first = parts[2].removeFirst()
        parts[2] = (first == "A" ? "B" : "A") + parts[2]
        let token = parts.joined(separator: ".")
        #expect { try authenticator().principal(for: context(token: token)) } throws: { ($0 as? DistrictError)?.code == .unauthenticated }
        #expect { try Authenticator(verifier: nil).principal(for: context(token: try gridWorkerToken())) } throws: {
            ($0 as? DistrictError)?.code == .unauthenticated
        }
    }

    @Test("certificates identify services; no credentials is unauthenticated")
    func certificates() throws {
        let authenticator = try authenticator()
        #expect(try authenticator.principal(for: context(certificate: "dispatch")).kind == .service)
        #expect(try authenticator.principal(for: context(certificate: "dept-test")).kind == .serviceAccount)
        #expect { try authenticator.principal(for: context()) } throws: { ($0 as? DistrictError)?.code == .unauthenticated }
    }

    @Test("keys load from a JWKS file; a missing file means no keys")
    func loading() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString).json").path
        var keys = KeySet()
        try keys.insert(signer.publicKey)
        try JSONEncoder().encode(keys).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let loaded = try Authenticator.loadingKeys(at: path)
        #expect(try loaded.principal(for: context(token: try gridWorkerToken())).subject == "u-7")
        #expect(try Authenticator.loadingKeys(at: path + ".missing").verifier == nil)
    }
}
