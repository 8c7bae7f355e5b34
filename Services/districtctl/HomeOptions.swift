import ArgumentParser
import Foundation

/// Where `districtctl` keeps the embedded setup: certificates, the PostgreSQL cluster, logs.
struct HomeOptions: ParsableArguments {
    @Option(name: .long, help: "The district's working directory (default: $DISTRICT_HOME or ./var).")
    var home: String?

    var directory: String {
        let path = home ?? ProcessInfo.processInfo.environment["DISTRICT_HOME"] ?? "var"
        return URL(fileURLWithPath: path).standardizedFileURL.path
    }

    var certificates: String {
        ProcessInfo.processInfo.environment["DISTRICT_CERT_DIR"] ?? "\(directory)/certs"
    }

    var postgresData: String { "\(directory)/postgres" }
}
