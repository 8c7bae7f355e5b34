import DistrictStorage
import Logging
import ServiceLifecycle

/// Makes sure a signing key exists as soon as the service starts (the first start of a
/// fresh install creates and publishes one), then idles until shutdown. It retries while
/// the migrations that create the tables have not run yet.
struct SigningKeyBootstrap: Service {
    let keys: SigningKeyStore
    let logger: Logger

    func run() async throws {
        var attempt = 0
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                _ = try await keys.currentSigner(logger: logger)
                break
            } catch {
                attempt += 1
                if attempt % 30 == 0 {
                    logger.warning("no signing key yet; retrying", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: .seconds(1))
            }
        }
        try? await gracefulShutdown()
    }
}
