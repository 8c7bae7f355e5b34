import DistrictCertificates
import Foundation
import Testing
import X509

@Suite("DistrictPKI")
struct DistrictPKITests {
    static let serviceNames = ["identity", "dispatch", "mediation", "legal", "notify"]

    @Test("first run creates the CA, five services and the operator client")
    func firstRun() async throws {
        try await withTemporaryDirectory { directory in
            let report = try DistrictPKI.initialize(directory: directory, districtName: "Riverside")

            #expect(report.created == ["ca"] + Self.serviceNames + ["operator"])
            #expect(report.kept.isEmpty)
            var expected: Set<String> = ["ca.pem", "ca-key.pem", "operator.pem", "operator-key.pem", DistrictSecretKey.fileName]
            for name in Self.serviceNames { expected.formUnion(["\(name).pem", "\(name)-key.pem"]) }
            #expect(Set(try snapshot(directory).keys) == expected)

            let layout = PKILayout(directory: directory)
            let ca = try PEMFile.readCertificate(at: layout.caCertificate)
            for name in Self.serviceNames + ["operator"] {
                let leaf = try PEMFile.readCertificate(at: layout.certificate(for: name))
                #expect(await verifies(leaf, against: ca), "\(name) does not chain to ca.pem")
            }
        }
    }

    @Test("service SANs cover localhost, 127.0.0.1, ::1 and the Compose names")
    func serviceNames() async throws {
        try await withTemporaryDirectory { directory in
            try DistrictPKI.initialize(
                directory: directory,
                services: ServiceIdentity.all.map { $0.name == "dispatch" ? ServiceIdentity(name: "dispatch", extraDNSNames: ["dispatch.example.org"]) : $0 },
                additionalDNSNames: ["gov.example.org"]
            )
            let layout = PKILayout(directory: directory)
            let ca = try PEMFile.readCertificate(at: layout.caCertificate)
            for name in Self.serviceNames {
                let leaf = try PEMFile.readCertificate(at: layout.certificate(for: name))
                let dns = try dnsNames(of: leaf)
                for expected in ["localhost", name, "district-\(name)", "gov.example.org"] {
                    #expect(dns.contains(expected), "\(name) lacks \(expected)")
                }
                let ips = try ipAddresses(of: leaf)
                #expect(ips.contains(ipv4Loopback) && ips.contains(ipv6Loopback), "\(name) lacks loopback IPs")
                #expect(await verifies(leaf, against: ca, hostname: "district-\(name)"))
                #expect(await verifies(leaf, against: ca, ip: "::1"))
            }
            let dispatch = try PEMFile.readCertificate(at: layout.certificate(for: "dispatch"))
            #expect(try dnsNames(of: dispatch).contains("dispatch.example.org"))
            let legal = try PEMFile.readCertificate(at: layout.certificate(for: "legal"))
            #expect(try !dnsNames(of: legal).contains("dispatch.example.org"))

            let operatorCert = try PEMFile.readCertificate(at: layout.certificate(for: "operator"))
            let eku = try #require(try operatorCert.extensions.extendedKeyUsage)
            #expect(eku.contains(.clientAuth) && !eku.contains(.serverAuth))
        }
    }

    @Test("a second run keeps every file byte-identical")
    func secondRunKeepsFiles() async throws {
        try await withTemporaryDirectory { directory in
            try DistrictPKI.initialize(directory: directory)
            let before = try snapshot(directory)
            let report = try DistrictPKI.initialize(directory: directory)
            #expect(report.created.isEmpty)
            #expect(report.kept == ["ca"] + Self.serviceNames + ["operator"])
            #expect(try snapshot(directory) == before)
        }
    }

    @Test("a missing service is issued alone, from the existing CA")
    func addsOnlyMissing() async throws {
        try await withTemporaryDirectory { directory in
            let layout = PKILayout(directory: directory)
            try DistrictPKI.initialize(directory: directory, services: [.identity, .dispatch])
            let before = try snapshot(directory)

            let report = try DistrictPKI.initialize(directory: directory, services: [.identity, .dispatch, .legal])
            #expect(report.created == ["legal"])
            #expect(report.kept == ["ca", "identity", "dispatch", "operator"])

            let after = try snapshot(directory)
            #expect(Set(after.keys) == Set(before.keys).union(["legal.pem", "legal-key.pem"]))
            for (name, bytes) in before { #expect(after[name] == bytes, "\(name) changed") }

            let ca = try PEMFile.readCertificate(at: layout.caCertificate)
            let legal = try PEMFile.readCertificate(at: layout.certificate(for: "legal"))
            #expect(await verifies(legal, against: ca))
        }
    }

    @Test("key files are 0600")
    func keyModes() async throws {
        try await withTemporaryDirectory { directory in
            let report = try DistrictPKI.initialize(directory: directory)
            try DistrictPKI.issueClientCertificate(directory: directory, name: "dept-urban-management")
            let layout = PKILayout(directory: directory)
            for entry in report.entries {
                #expect(try posixMode(entry.privateKeyFile) == 0o600, "\(entry.privateKeyFile.lastPathComponent)")
                #expect(try posixMode(entry.certificateFile) == 0o644, "\(entry.certificateFile.lastPathComponent)")
            }
            #expect(try posixMode(layout.privateKey(for: "dept-urban-management")) == 0o600)
        }
    }

    @Test("a department client certificate is issued once and never overwritten")
    func departmentClient() async throws {
        try await withTemporaryDirectory { directory in
            try DistrictPKI.initialize(directory: directory)
            let layout = PKILayout(directory: directory)
            let issued = try DistrictPKI.issueClientCertificate(directory: directory, name: "dept-urban-management")
            let before = try snapshot(directory)

            let ca = try PEMFile.readCertificate(at: layout.caCertificate)
            #expect(await verifies(issued.certificate, against: ca))
            let eku = try #require(try issued.certificate.extensions.extendedKeyUsage)
            #expect(eku.contains(.clientAuth) && !eku.contains(.serverAuth))
            #expect(try DistrictPKI.loadCredential(layout: layout, name: "dept-urban-management").certificate == issued.certificate)

            #expect {
                try DistrictPKI.issueClientCertificate(directory: directory, name: "dept-urban-management")
            } throws: { ($0 as? PKIError)?.code == .fileExists }
            #expect(try snapshot(directory) == before)
        }
    }

    @Test("a client certificate needs the CA")
    func clientNeedsCA() async throws {
        try await withTemporaryDirectory { directory in
            #expect {
                try DistrictPKI.issueClientCertificate(directory: directory, name: "dept-water")
            } throws: { ($0 as? PKIError)?.code == .missingAuthority }
            let files = try snapshot(directory)
            #expect(files.isEmpty)
        }
    }

    @Test("a half key pair is reported, not replaced")
    func halfPair() async throws {
        try await withTemporaryDirectory { directory in
            try DistrictPKI.initialize(directory: directory)
            let layout = PKILayout(directory: directory)
            try FileManager.default.removeItem(at: layout.privateKey(for: "notify"))
            let before = try snapshot(directory)
            #expect {
                try DistrictPKI.initialize(directory: directory)
            } throws: { ($0 as? PKIError)?.code == .incompleteKeyPair }
            #expect(try snapshot(directory) == before)
        }
    }

    @Test("leaves without their CA are reported, not orphaned")
    func leavesWithoutCA() async throws {
        try await withTemporaryDirectory { directory in
            try DistrictPKI.initialize(directory: directory)
            let layout = PKILayout(directory: directory)
            try FileManager.default.removeItem(at: layout.caCertificate)
            try FileManager.default.removeItem(at: layout.caPrivateKey)
            #expect {
                try DistrictPKI.initialize(directory: directory)
            } throws: { ($0 as? PKIError)?.code == .missingAuthority }
            #expect(!FileManager.default.fileExists(atPath: layout.caCertificate.path))
        }
    }

    @Test("a kept leaf from a different CA is reported")
    func foreignLeaf() async throws {
        try await withTemporaryDirectory { directory in
            try DistrictPKI.initialize(directory: directory, services: [.dispatch], clients: [])
            let layout = PKILayout(directory: directory)
            let foreign = try CertificateAuthority.create(districtName: "Elsewhere").issue(commonName: "operator", usage: .client)
            try PEMFile.write(foreign.certificatePEM, to: layout.certificate(for: "operator"), mode: 0o644)
            try PEMFile.write(foreign.privateKeyPEM, to: layout.privateKey(for: "operator"), mode: 0o600)
            #expect {
                try DistrictPKI.initialize(directory: directory, services: [.dispatch], clients: ["operator"])
            } throws: { ($0 as? PKIError)?.code == .notIssuedByAuthority }
        }
    }

    @Test("overwrite replaces the CA and every credential, and keeps the district secret")
    func overwrite() async throws {
        try await withTemporaryDirectory { directory in
            try DistrictPKI.initialize(directory: directory)
            let before = try snapshot(directory)
            let report = try DistrictPKI.initialize(directory: directory, overwrite: true)
            #expect(report.kept.isEmpty)
            let after = try snapshot(directory)
            #expect(Set(after.keys) == Set(before.keys))
            for (name, bytes) in before where name != DistrictSecretKey.fileName {
                #expect(after[name] != bytes, "\(name) was not replaced")
            }
            #expect(after[DistrictSecretKey.fileName] == before[DistrictSecretKey.fileName])
        }
    }

    @Test(
        "unusable names are rejected before anything is written",
        arguments: ["", "ca", "CA", "../evil", "a/b", ".hidden", "dispatch-key", "operator"]
    )
    func invalidNames(name: String) async throws {
        try await withTemporaryDirectory { directory in
            // "operator" is invalid here only because it is listed twice.
            #expect {
                try DistrictPKI.initialize(directory: directory, clients: ["operator", name])
            } throws: { ($0 as? PKIError)?.code == .invalidName }
            let files = try snapshot(directory)
            #expect(files.isEmpty)
        }
    }

    @Test("the String-path overload uses the same layout")
    func stringPath() async throws {
        try await withTemporaryDirectory { directory in
            let nested = directory.appendingPathComponent("certs/dev")
            let report = try DistrictPKI.initialize(directory: nested.path, services: [.notify], clients: [])
            #expect(report.created == ["ca", "notify"])
            try DistrictPKI.issueClientCertificate(directory: nested.path, name: "dept-water")
            #expect(FileManager.default.fileExists(atPath: PKILayout(directory: nested.path).certificate(for: "notify").path))
        }
    }
}
