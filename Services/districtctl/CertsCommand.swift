import ArgumentParser
import DistrictCertificates
import Foundation

/// `districtctl certs …`: the district CA and the certificates of services and clients.
struct CertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certs", abstract: "Manage the district CA and certificates.",
        subcommands: [Initialize.self, IssueClient.self])

    /// `districtctl certs init`.
    struct Initialize: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Create the district CA and a certificate per service (keeps existing files).")

        @OptionGroup var home: HomeOptions

        @Option(help: "The district's name, used in the CA's name.")
        var district = "Local"

        @Option(name: .customLong("dns"), help: "An extra DNS name for every service certificate (repeatable).")
        var dnsNames: [String] = []

        func run() throws {
            let report = try DistrictPKI.initialize(directory: home.certificates, districtName: district, additionalDNSNames: dnsNames)
            print(CertsCommand.describe(report))
        }
    }

    /// `districtctl certs issue-client NAME`.
    struct IssueClient: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "issue-client",
            abstract: "Issue a client certificate (e.g. for a department's system) from the existing CA.")

        @OptionGroup var home: HomeOptions

        @Argument(help: "The client's name, e.g. dept-urban-management")
        var name: String

        func run() throws {
            _ = try DistrictPKI.issueClientCertificate(directory: URL(fileURLWithPath: home.certificates), name: name)
            print("issued \(home.certificates)/\(name).pem and \(name)-key.pem (hand both and ca.pem to the client)")
        }
    }

    static func describe(_ report: PKIReport) -> String {
        var lines = ["certificates in \(report.directory.path):"]
        for entry in report.entries {
            lines.append("  \(entry.outcome == .created ? "created" : "kept   ") \(entry.name)")
        }
        lines.append("  \(report.secretKey == .created ? "created" : "kept   ") \(DistrictSecretKey.fileName) (back it up with the database)")
        return lines.joined(separator: "\n")
    }
}
