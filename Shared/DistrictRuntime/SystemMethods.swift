import DistrictContracts
import DistrictProtocol
public import DistrictServer
import Foundation

/// The `system.*` methods every service answers.
public enum SystemMethods {
    /// The longest `system.echo` delay, in milliseconds.
    public static let maximumEchoDelayMs = 10_000

    /// Registers `system.echo`.
    public static func registerEcho(into router: inout MethodRouter) {
        router.register(SystemAPI.Echo.self) { params, _ in
            if let delay = params.delayMs {
                guard (0...maximumEchoDelayMs).contains(delay) else {
                    throw DistrictError.invalidParams("delayMs must be between 0 and \(maximumEchoDelayMs)", field: "delayMs")
                }
                try await Task.sleep(for: .milliseconds(delay))
            }
            return SystemAPI.Echo.Result(text: params.text)
        }
    }

    /// Registers `system.health`, which reports the database through `databaseStatus`.
    public static func registerHealth(
        into router: inout MethodRouter,
        service: String,
        version: String,
        startedAt: ContinuousClock.Instant = .now,
        databaseStatus: @escaping @Sendable () async -> String
    ) {
        router.register(SystemAPI.Health.self) { _, _ in
            let database = await databaseStatus()
            return SystemAPI.Health.Result(
                status: database == "unreachable" ? "degraded" : "ok",
                service: service,
                version: version,
                uptimeSeconds: Double((ContinuousClock.now - startedAt) / .milliseconds(1)) / 1000,
                database: database,
                time: Date())
        }
    }
}
