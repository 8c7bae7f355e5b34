import ArgumentParser
import DistrictContracts
import DistrictProtocol
import Foundation

/// `districtctl status`: `system.health` of every service.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show the health of every service.")

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        var healthy = true
        print("service    port   status     version  uptime     database")
        for service in DistrictService.allCases {
            var options = connection
            options.port = nil
            options.timeout = 5
            let client = try options.client(for: service)
            do {
                let health = try await client.call(SystemAPI.Health.self, Empty(), timeout: .seconds(5))
                print(row(service.rawValue, service.defaultPort, health.status, health.version, String(format: "%.0fs", health.uptimeSeconds), health.database))
                healthy = healthy && health.status == "ok"
            } catch {
                print(row(service.rawValue, service.defaultPort, "down", "-", "-", "\(error)"))
                healthy = false
            }
            await client.close()
        }
        if !healthy { throw ExitCode(1) }
    }

    private func row(_ columns: any CustomStringConvertible...) -> String {
        let widths = [10, 6, 10, 8, 10, 0]
        return zip(columns, widths).map { column, width in
            let text = column.description
            return width == 0 ? text : text.padding(toLength: max(width, text.count), withPad: " ", startingAt: 0)
        }.joined(separator: " ")
    }
}
