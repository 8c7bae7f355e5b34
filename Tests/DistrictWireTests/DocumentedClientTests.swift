import Foundation
import Testing
import TestSupport

@Suite("The protocol document")
struct DocumentedClientTests {
    /// `docs/examples/district_client.py` is written from `docs/protocol.md` alone; it
    /// must work against the real server.
    @Test("the Python client from docs/protocol.md works against a real server")
    func pythonClient() async throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let script = repository.appendingPathComponent("docs/examples/district_client.py").path
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") || FileManager.default.fileExists(atPath: "/usr/local/bin/python3") else {
            Issue.record("python3 is needed to check the documented client")
            return
        }
        try await withTestServer(router: echoRouter()) { server in
            let output = try await runProcess("/usr/bin/env", ["python3", script, "localhost", String(server.port), TestPKI.shared.caPath])
            #expect(output.status == 0, "python client failed: \(output.text)")
            #expect(output.text.contains("closed"))
            #expect(output.text.contains("frame_too_large"))
        }
    }
}
