import DistrictContracts
import DistrictRuntime
import Testing

@Suite("Runtime configuration")
struct RuntimeConfigurationTests {
    @Test("defaults suit the embedded setup")
    func defaults() throws {
        let configuration = try RuntimeConfiguration.fromEnvironment(service: .dispatch, [:])
        #expect(configuration.listenHost == "127.0.0.1")
        #expect(configuration.listenPort == 7402)
        #expect(configuration.metricsPort == 9402)
        #expect(configuration.tls.certificateChainPath == "./var/certs/dispatch.pem")
        #expect(configuration.clientCertificates == .optional)
        #expect(configuration.databaseURL == RuntimeConfiguration.defaultDatabaseURL)
        #expect(configuration.maximumFrameBytes == 1 << 20)
        #expect(configuration.migrateOnStart)
    }

    @Test("variables override defaults")
    func overrides() throws {
        let configuration = try RuntimeConfiguration.fromEnvironment(service: .notify, [
            "DISTRICT_LISTEN_HOST": "0.0.0.0", "DISTRICT_LISTEN_PORT": "9000", "DISTRICT_CERT_DIR": "/certs",
            "DISTRICT_CLIENT_CERTS": "required", "DISTRICT_MIGRATE_ON_START": "false", "DISTRICT_MAX_FRAME_BYTES": "2048",
        ])
        #expect(configuration.listenHost == "0.0.0.0")
        #expect(configuration.listenPort == 9000)
        #expect(configuration.tls.privateKeyPath == "/certs/notify-key.pem")
        #expect(configuration.tls.trustRootsPath == "/certs/ca.pem")
        #expect(configuration.clientCertificates == .required)
        #expect(!configuration.migrateOnStart)
        #expect(configuration.maximumFrameBytes == 2048)
    }

    @Test(
        "bad values are refused with the variable's name",
        arguments: [
            ("DISTRICT_LISTEN_PORT", "70000"), ("DISTRICT_LISTEN_PORT", "abc"), ("DISTRICT_CLIENT_CERTS", "sometimes"),
            ("DISTRICT_MIGRATE_ON_START", "maybe"), ("DISTRICT_LOG_FORMAT", "xml"), ("DISTRICT_MAX_FRAME_BYTES", "0"),
            ("DISTRICT_LOG_LEVEL", "loud"),
        ])
    func badValues(variable: String, value: String) {
        #expect {
            _ = try RuntimeConfiguration.fromEnvironment(service: .legal, [variable: value])
        } throws: { error in
            (error as? ConfigurationError)?.variable == variable
        }
    }
}
