import DistrictAuth
import DistrictProtocol
import DistrictRuntime
import DistrictServer
import Foundation
import Logging
import Synchronization
import Testing

@Suite("Authenticator")
struct AuthenticatorTests {
    private let signer = TokenSigner.generate(kid: "k1")

    private func context(token: String? = nil, certificate: String? = nil) -> RequestContext {
        RequestContext(requestID: .number(1), method: "test", token: token, peer: PeerIdentity(certificateCommonName: certificate), logger: Logger(label: "test"))
    }

    private func authenticator(now: @escaping @Sendable () -> Date = { Date() }) throws -> Authenticator {
        var keys = KeySet()
        try keys.insert(signer.publicKey)
        return Authenticator(keys: keys, now: now)
    }

    private func gridWorkerToken(signer: TokenSigner? = nil, issuedAt: Date = Date()) throws -> String {
        let principal = Principal(subject: "u-7", name: "网格员", kind: .staff, bindings: [RoleBinding(.gridWorker, at: try OrgPath("d01.s03.c12.g0457"))], department: nil)
        return try (signer ?? self.signer).sign(AccessTokenClaims(for: principal, issuedAt: issuedAt))
    }

    @Test("a valid token gives its principal, and the policy decides by org path")
    func token() async throws {
        let authenticator = try authenticator()
        let context = context(token: try gridWorkerToken())
        #expect(try await authenticator.principal(for: context).subject == "u-7")
        try await authenticator.authorize(context, .caseRead, on: Resource(path: try OrgPath("d01.s03.c12.g0457")))
        await #expect { try await authenticator.authorize(context, .caseRead, on: Resource(path: try OrgPath("d01.s03.c12.g0458"))) } throws: {
            ($0 as? DistrictError)?.code == .permissionDenied
        }
    }

    @Test("a tampered token, or a token without configured keys, is unauthenticated")
    func badTokens() async throws {
        // Change one character of the signature (the third segment).
        let original = try gridWorkerToken()
        var parts = original.split(separator: ".").map(String.init)
        let first = parts[2].removeFirst()
        parts[2] = (first == "A" ? "B" : "A") + parts[2]
        let token = parts.joined(separator: ".")
        let authenticator = try authenticator()
        // Verified once and remembered: the tampered copy must still be refused.
        _ = try await authenticator.principal(for: context(token: original))
        await #expect { try await authenticator.principal(for: context(token: token)) } throws: { ($0 as? DistrictError)?.code == .unauthenticated }
        await #expect { try await Authenticator(keys: nil).principal(for: context(token: try gridWorkerToken())) } throws: {
            ($0 as? DistrictError)?.code == .unauthenticated
        }
    }

    @Test("a remembered token is refused once it expires")
    func rememberedTokenExpires() async throws {
        let clock = Mutex(Date())
        let authenticator = try authenticator(now: { clock.withLock { $0 } })
        let token = try gridWorkerToken(issuedAt: clock.withLock { $0 })
        _ = try await authenticator.principal(for: context(token: token))
        clock.withLock { $0 += 16 * 60 }
        await #expect { try await authenticator.principal(for: context(token: token)) } throws: { ($0 as? DistrictError)?.code == .unauthenticated }
    }

    @Test("certificates identify services; no credentials is unauthenticated")
    func certificates() async throws {
        let authenticator = try authenticator()
        #expect(try await authenticator.principal(for: context(certificate: "dispatch")).kind == .service)
        #expect(try await authenticator.principal(for: context(certificate: "dept-test")).kind == .serviceAccount)
        await #expect { try await authenticator.principal(for: context()) } throws: { ($0 as? DistrictError)?.code == .unauthenticated }
    }

    @Test("a key published just after a refresh is found by waiting for the next one; forged key ids share one reload")
    func unknownKeyRefreshes() async throws {
        let published = Mutex(KeySet())
        let loads = Mutex(0)
        let ring = KeyRing(loader: {
            loads.withLock { $0 += 1 }
            return published.withLock { $0 }
        })
        try await ring.refresh()
        let authenticator = Authenticator(keyRing: ring)
        let rotated = TokenSigner.generate(kid: "k2")
        try published.withLock { try $0.insert(rotated.publicKey) }
        // The ring was refreshed a moment ago: the unknown key id waits for the next
        // refresh (inside the throttle interval) instead of being refused.
        #expect(try await authenticator.principal(for: context(token: try gridWorkerToken(signer: rotated))).subject == "u-7")
        #expect(loads.withLock { $0 } == 2)
        // Twenty requests with forged key ids at once: all refused, one reload between them.
        let forged = try (0..<20).map { try gridWorkerToken(signer: TokenSigner.generate(kid: "forged-\($0)")) }
        let refused = await withTaskGroup(of: Bool.self) { group in
            for token in forged {
                group.addTask {
                    do {
                        _ = try await authenticator.principal(for: self.context(token: token))
                        return false
                    } catch {
                        return (error as? DistrictError)?.code == .unauthenticated
                    }
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(refused == 20)
        #expect(loads.withLock { $0 } == 3)
    }
}
