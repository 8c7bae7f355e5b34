import DistrictContracts
import DistrictProtocol
import Testing
import TestSupport

@Suite("Mutual TLS")
struct MutualTLSTests {
    @Test("with client certificates required, a district certificate is let in and reported")
    func districtCertificateAccepted() async throws {
        var router = echoRouter()
        router.register(WhoAmI.self) { _, context in
            WhoAmI.Result(commonName: context.peer.certificateCommonName)
        }
        try await withTestServer(router: router, configure: { $0.clientCertificates = .required }) { server in
            let client = try makeClient(port: server.port, credentials: TestPKI.shared.credentials("identity"))
            let answer = try await client.call(WhoAmI.self, Empty())
            #expect(answer.commonName == "identity")
            await client.close()
        }
    }

    @Test("with client certificates required, a client without one is refused")
    func missingCertificateRefused() async throws {
        try await withTestServer(router: echoRouter(), configure: { $0.clientCertificates = .required }) { server in
            let client = try makeClient(port: server.port)
            await #expect(throws: (any Error).self) {
                _ = try await client.call(SystemAPI.Echo.self, .init(text: "x"), timeout: .seconds(5))
            }
            await client.close()
        }
    }

    @Test("a certificate from another CA is refused, whatever the policy", arguments: [ClientCertificatePolicyArgument.required, .optional])
    func foreignCertificateRefused(policy: ClientCertificatePolicyArgument) async throws {
        try await withTestServer(router: echoRouter(), configure: { $0.clientCertificates = policy.policy }) { server in
            // The client trusts the district CA (so the server is fine) but presents a foreign certificate.
            let client = try makeClient(port: server.port, credentials: TestPKI.shared.foreignCredentials("dept-test"))
            await #expect(throws: (any Error).self) {
                _ = try await client.call(SystemAPI.Echo.self, .init(text: "x"), timeout: .seconds(5))
            }
            await client.close()
        }
    }

    @Test("a client that does not trust the server's CA refuses to talk")
    func serverFromForeignCARefused() async throws {
        try await withTestServer(router: echoRouter()) { server in
            let client = try makeClient(port: server.port, trustRootsPath: "\(TestPKI.shared.foreignDirectory)/ca.pem")
            await #expect(throws: (any Error).self) {
                _ = try await client.call(SystemAPI.Echo.self, .init(text: "x"), timeout: .seconds(5))
            }
            await client.close()
        }
    }
}

enum ClientCertificatePolicyArgument: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case required, optional
    var policy: DistrictWire.ClientCertificatePolicy { self == .required ? .required : .optional }
    var testDescription: String { rawValue }
}

enum WhoAmI: MethodDescriptor {
    static let name = "test.whoami"
    typealias Params = Empty
    struct Result: Codable, Sendable { var commonName: String? }
}

import DistrictWire
