public import ArgumentParser
import DistrictClient
import DistrictContracts
import DistrictWire
import Foundation
import Logging

/// How `districtctl` reaches a service: host, port, the district CA and the operator's
/// client certificate from the certificate directory.
struct ConnectionOptions: ParsableArguments {
    @OptionGroup var home: HomeOptions

    @Option(help: "The service host.")
    var host = "localhost"

    @Option(help: "The service port (default: the service's standard port).")
    var port: Int?

    @Option(help: "A bearer token sent with the call (default: $DISTRICT_TOKEN).")
    var token: String?

    @Option(help: "The client certificate name in the certificate directory.")
    var certificate = "operator"

    @Option(help: "Seconds to wait for an answer.")
    var timeout = 30

    func client(for service: DistrictService, connections: Int = 1) throws -> DistrictClient {
        let directory = home.certificates
        let credentials = TLSCredentials(directory: directory, name: certificate)
        let hasCertificate = FileManager.default.fileExists(atPath: credentials.certificateChainPath)
        var logger = Logger(label: "districtctl")
        logger.logLevel = .warning
        return try DistrictClient(
            configuration: ClientConfiguration(
                host: host,
                port: port ?? service.defaultPort,
                trustRootsPath: "\(directory)/ca.pem",
                clientCredentials: hasCertificate ? credentials : nil,
                token: token ?? ProcessInfo.processInfo.environment["DISTRICT_TOKEN"],
                clientName: "districtctl/\(DistrictVersion.current)",
                connections: connections,
                defaultTimeout: .seconds(timeout)),
            logger: logger)
    }
}

extension DistrictService: ExpressibleByArgument {}
