import ArgumentParser
import DistrictAuth
import Foundation

extension BenchCommand {
    /// `districtctl bench tokens`: access-token verification in process, as every service
    /// does it for every request that carries a token.
    struct Tokens: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tokens", abstract: "Measure access-token verification (Ed25519) in process.")

        @Option(help: "Tokens verified per task.")
        var count = 20_000

        @Option(help: "Concurrent tasks (the machine's cores by default).")
        var tasks = ProcessInfo.processInfo.activeProcessorCount

        func run() async throws {
            let signer = TokenSigner.generate(kid: "bench")
            var keys = KeySet()
            try keys.insert(signer.publicKey)
            let principal = Principal(
                subject: "u-1", name: "网格员 张三", kind: .staff,
                bindings: [RoleBinding(.gridWorker, at: try OrgPath("d01.s03.c12.g0457"))], department: nil)
            let token = try signer.sign(AccessTokenClaims(for: principal, issuedAt: Date()))
            let verifier = TokenVerifier(keys: keys)
            let count = self.count
            let started = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<tasks {
                    group.addTask {
                        for _ in 0..<count { _ = try verifier.verify(token) }
                    }
                }
                try await group.waitForAll()
            }
            let elapsed = ContinuousClock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let total = Double(count * tasks)
            print("""
                token verification (EdDSA, \(token.utf8.count)-byte token), \(tasks) task(s) × \(count)
                  verifications/s  \(String(format: "%.0f", total / seconds))
                  per verification \(String(format: "%.1f", seconds / total * 1e6)) µs of wall time
                """)
        }
    }
}
