import DistrictCertificates
import Foundation
import Testing

@Suite("District secret key")
struct DistrictSecretKeyTests {
    @Test("created once with mode 0600, kept by later runs and by a forced re-issue of the certificates")
    func createdOnceNeverReplaced() async throws {
        try await withTemporaryDirectory { directory in
            let first = try DistrictPKI.initialize(directory: directory)
            #expect(first.secretKey == .created)
            let file = DistrictSecretKey.file(in: PKILayout(directory: directory))
            #expect(try posixMode(file) == 0o600)
            let secret = try DistrictSecretKey.read(at: file)
            #expect(secret.count == 32)

            let again = try DistrictPKI.initialize(directory: directory)
            #expect(again.secretKey == .kept)
            let reissued = try DistrictPKI.initialize(directory: directory, overwrite: true)
            #expect(reissued.secretKey == .kept)
            #expect(try DistrictSecretKey.read(at: file) == secret)
        }
    }

    @Test("a malformed secret file is refused, not replaced")
    func malformedRefused() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent(DistrictSecretKey.fileName)
            try Data("c2hvcnQ=\n".utf8).write(to: file)
            #expect { try DistrictSecretKey.ensure(at: file) } throws: { ($0 as? PKIError)?.code == .malformed }
            #expect(try String(contentsOf: file, encoding: .utf8) == "c2hvcnQ=\n")
        }
    }
}
