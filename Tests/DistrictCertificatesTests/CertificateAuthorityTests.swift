import DistrictCertificates
import Foundation
import Testing
import X509

@Suite("CertificateAuthority")
struct CertificateAuthorityTests {
    @Test("a new CA is a self-signed, critical CA:true root with keyCertSign and cRLSign")
    func authorityShape() throws {
        let now = Date()
        let ca = try CertificateAuthority.create(districtName: "Riverside", now: now)
        let certificate = ca.certificate

        #expect(certificate.subject == certificate.issuer)
        #expect(certificate.publicKey.isValidSignature(certificate.signature, for: certificate))
        #expect("\(certificate.subject)".contains("CN=Riverside District CA"))
        #expect("\(certificate.subject)".contains("O=District Governance"))
        #expect(certificate.extensions.first { $0.oid == .X509ExtensionID.basicConstraints }?.critical == true)
        guard case .isCertificateAuthority = try certificate.extensions.basicConstraints else {
            Issue.record("CA lacks basicConstraints CA:true")
            return
        }
        let usage = try #require(try certificate.extensions.keyUsage)
        #expect(usage.keyCertSign && usage.cRLSign)
        #expect(!usage.digitalSignature)
        let tenYears = certificate.notValidAfter.timeIntervalSince(now)
        #expect(abs(tenYears - 10 * 365 * 86_400) < 1)
    }

    @Test("a leaf verifies against its CA and not against another CA")
    func leafVerifiesOnlyAgainstItsCA() async throws {
        let ca = try CertificateAuthority.create(districtName: "Riverside")
        let other = try CertificateAuthority.create(districtName: "Riverside")
        let leaf = try ca.issue(
            commonName: "dispatch", dnsNames: ["localhost", "dispatch"], ipAddresses: ["127.0.0.1", "::1"]
        )

        #expect(await verifies(leaf.certificate, against: ca.certificate))
        #expect(await verifies(leaf.certificate, against: other.certificate) == false)
    }

    @Test("server identity checks pass for the SAN names and addresses only")
    func serverIdentity() async throws {
        let ca = try CertificateAuthority.create(districtName: "Riverside")
        let leaf = try ca.issue(
            commonName: "dispatch", dnsNames: ["localhost", "dispatch"], ipAddresses: ["127.0.0.1", "::1"]
        )
        #expect(await verifies(leaf.certificate, against: ca.certificate, hostname: "dispatch"))
        #expect(await verifies(leaf.certificate, against: ca.certificate, ip: "::1"))
        #expect(await verifies(leaf.certificate, against: ca.certificate, ip: "127.0.0.1"))
        #expect(await verifies(leaf.certificate, against: ca.certificate, hostname: "legal") == false)
        #expect(await verifies(leaf.certificate, against: ca.certificate, ip: "10.0.0.1") == false)
    }

    @Test("leaf extensions: serial, key usage, EKU by usage, key identifiers")
    func leafExtensions() throws {
        let ca = try CertificateAuthority.create(districtName: "Riverside")
        let service = try ca.issue(commonName: "dispatch", dnsNames: ["dispatch"])
        let client = try ca.issue(commonName: "operator", usage: .client)

        #expect(service.certificate.serialNumber != client.certificate.serialNumber)
        #expect(service.certificate.issuer == ca.certificate.subject)
        guard case .notCertificateAuthority = try service.certificate.extensions.basicConstraints else {
            Issue.record("leaf is not CA:false")
            return
        }
        let usage = try #require(try service.certificate.extensions.keyUsage)
        #expect(usage.digitalSignature && !usage.keyCertSign)

        let serviceEKU = try #require(try service.certificate.extensions.extendedKeyUsage)
        #expect(serviceEKU.contains(.serverAuth) && serviceEKU.contains(.clientAuth))
        let clientEKU = try #require(try client.certificate.extensions.extendedKeyUsage)
        #expect(clientEKU.contains(.clientAuth) && !clientEKU.contains(.serverAuth))
        #expect(try client.certificate.extensions.subjectAlternativeNames == nil)

        let caKeyID = try #require(try ca.certificate.extensions.subjectKeyIdentifier)
        let aki = try #require(try service.certificate.extensions.authorityKeyIdentifier)
        #expect(aki.keyIdentifier == caKeyID.keyIdentifier)
        let ski = try #require(try service.certificate.extensions.subjectKeyIdentifier)
        #expect(ski == SubjectKeyIdentifier(hash: service.certificate.publicKey))
    }

    @Test("default leaf validity is 825 days, never beyond the CA")
    func leafValidity() throws {
        let now = Date()
        let ca = try CertificateAuthority.create(districtName: "Riverside", now: now)
        let leaf = try ca.issue(commonName: "operator", usage: .client, now: now)
        #expect(abs(leaf.certificate.notValidAfter.timeIntervalSince(now) - 825 * 86_400) < 1)
        #expect(leaf.certificate.notValidBefore <= now)

        let shortCA = try CertificateAuthority.create(districtName: "Riverside", validity: 86_400, now: now)
        let capped = try shortCA.issue(commonName: "operator", usage: .client, now: now)
        #expect(capped.certificate.notValidAfter == shortCA.certificate.notValidAfter)
    }

    @Test("an expired leaf does not verify")
    func expiredLeaf() async throws {
        let longAgo = Date(timeIntervalSinceNow: -3 * 365 * 86_400)
        let ca = try CertificateAuthority.create(districtName: "Riverside", now: longAgo)
        let leaf = try ca.issue(commonName: "operator", usage: .client, validity: 86_400, now: longAgo)
        #expect(await verifies(leaf.certificate, against: ca.certificate) == false)
    }

    @Test("a CA loaded from PEM issues leaves that verify against the original")
    func loadedCAIssues() async throws {
        let ca = try CertificateAuthority.create(districtName: "Riverside")
        let loaded = try CertificateAuthority(
            certificatePEM: ca.credential.certificatePEM, privateKeyPEM: ca.credential.privateKeyPEM
        )
        #expect(loaded.certificate == ca.certificate)
        let leaf = try loaded.issue(commonName: "notify", dnsNames: ["notify"])
        #expect(await verifies(leaf.certificate, against: ca.certificate))
    }

    @Test("a CA with someone else's key is rejected")
    func mismatchedCAKey() throws {
        let ca = try CertificateAuthority.create(districtName: "Riverside")
        let other = try CertificateAuthority.create(districtName: "Riverside")
        #expect {
            try CertificateAuthority(
                certificatePEM: ca.credential.certificatePEM, privateKeyPEM: other.credential.privateKeyPEM
            )
        } throws: { ($0 as? PKIError)?.code == .keyMismatch }
    }

    @Test("an unparsable IP address is rejected")
    func invalidIP() throws {
        let ca = try CertificateAuthority.create(districtName: "Riverside")
        #expect {
            try ca.issue(commonName: "dispatch", ipAddresses: ["localhost"])
        } throws: { ($0 as? PKIError)?.code == .invalidIPAddress }
    }
}
