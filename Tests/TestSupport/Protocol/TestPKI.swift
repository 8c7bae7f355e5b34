import DistrictCertificates
public import DistrictWire
import Foundation

/// Certificates for tests: one district CA with service and client certificates, and a
/// second, foreign CA whose certificates the district must refuse. Made once per test
/// process in a temporary directory.
public struct TestPKI: Sendable {
    /// The district certificate directory.
    public let directory: String
    /// A directory made by an unrelated CA.
    public let foreignDirectory: String

    /// The shared instance.
    public static let shared: TestPKI = {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("district-test-pki-\(UUID().uuidString)")
        let district = base.appendingPathComponent("district").path
        let foreign = base.appendingPathComponent("foreign").path
        do {
            try DistrictPKI.initialize(directory: district, districtName: "Test", clients: [DistrictPKI.operatorClient, "dept-test"])
            try DistrictPKI.initialize(directory: foreign, districtName: "Foreign", clients: [DistrictPKI.operatorClient, "dept-test"])
        } catch {
            fatalError("cannot create test certificates: \(error)")
        }
        return TestPKI(directory: district, foreignDirectory: foreign)
    }()

    /// The district CA certificate.
    public var caPath: String { "\(directory)/ca.pem" }

    /// Credentials of a service or client of the district.
    public func credentials(_ name: String) -> TLSCredentials {
        TLSCredentials(directory: directory, name: name)
    }

    /// Credentials issued by the foreign CA (trusting the foreign CA).
    public func foreignCredentials(_ name: String) -> TLSCredentials {
        TLSCredentials(directory: foreignDirectory, name: name)
    }
}
