import DistrictCertificates
import Foundation
import Testing
import X509

@Suite("IssuedCredential and PEMFile")
struct IssuedCredentialTests {
    @Test("PEM round trip keeps certificate and key")
    func pemRoundTrip() throws {
        let ca = try CertificateAuthority.create(districtName: "Riverside")
        let issued = try ca.issue(commonName: "legal", dnsNames: ["legal"], ipAddresses: ["::1"])

        #expect(issued.certificatePEM.hasPrefix("-----BEGIN CERTIFICATE-----"))
        #expect(issued.privateKeyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----"))

        let parsed = try IssuedCredential(certificatePEM: issued.certificatePEM, privateKeyPEM: issued.privateKeyPEM)
        #expect(parsed.certificate == issued.certificate)
        #expect(parsed.privateKey == issued.privateKey)
        #expect(try PEMFile.pem(for: parsed.certificate) == issued.certificatePEM)
        #expect(try PEMFile.pem(for: parsed.privateKey) == issued.privateKeyPEM)
    }

    @Test("files written by PEMFile read back; keys are 0600, certificates 0644")
    func fileRoundTrip() async throws {
        try await withTemporaryDirectory { directory in
            let ca = try CertificateAuthority.create(districtName: "Riverside")
            let certURL = directory.appendingPathComponent("ca.pem")
            let keyURL = directory.appendingPathComponent("ca-key.pem")
            try PEMFile.write(ca.credential.certificatePEM, to: certURL, mode: PEMFile.certificateMode)
            try PEMFile.write(ca.credential.privateKeyPEM, to: keyURL, mode: PEMFile.privateKeyMode)

            #expect(try PEMFile.readCertificate(at: certURL) == ca.certificate)
            #expect(try PEMFile.readPrivateKey(at: keyURL) == ca.credential.privateKey)
            #expect(try posixMode(keyURL) == 0o600)
            #expect(try posixMode(certURL) == 0o644)
            // No temporary files are left behind.
            #expect(try Set(FileManager.default.contentsOfDirectory(atPath: directory.path)) == ["ca.pem", "ca-key.pem"])
        }
    }

    @Test("PEMFile.write refuses to overwrite unless asked")
    func refusesOverwrite() async throws {
        try await withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("x.pem")
            try PEMFile.write("first", to: url, mode: 0o644)
            #expect {
                try PEMFile.write("second", to: url, mode: 0o644)
            } throws: { ($0 as? PKIError)?.code == .fileExists }
            #expect(try String(contentsOf: url, encoding: .utf8) == "first")

            try PEMFile.write("third", to: url, mode: 0o600, replacingExisting: true)
            #expect(try String(contentsOf: url, encoding: .utf8) == "third")
            #expect(try posixMode(url) == 0o600)
        }
    }

    @Test("a certificate bundle reads back in order")
    func bundle() async throws {
        try await withTemporaryDirectory { directory in
            let first = try CertificateAuthority.create(districtName: "A")
            let second = try CertificateAuthority.create(districtName: "B")
            let url = directory.appendingPathComponent("bundle.pem")
            try PEMFile.write(
                first.credential.certificatePEM + "\n" + second.credential.certificatePEM, to: url, mode: 0o644
            )
            #expect(try PEMFile.readCertificates(at: url) == [first.certificate, second.certificate])
        }
    }
}
