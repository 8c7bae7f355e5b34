public import Logging
public import ServiceLifecycle

/// Keeps a ``KeyRing`` current: loads it at start (retrying while the database or the
/// key table is not there yet) and then every ``interval``, so retired keys drop out.
public struct KeyRingRefresher: Service {
    /// The ring to refresh.
    public let ring: KeyRing
    /// Time between refreshes.
    public let interval: Duration
    let logger: Logger

    /// Creates a refresher for `ring`.
    public init(ring: KeyRing, interval: Duration = .seconds(60), logger: Logger) {
        self.ring = ring
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        guard ring.isRefreshable else { return }
        var failures = 0
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await ring.refresh()
                if failures > 0 { logger.info("token keys loaded", metadata: ["auth.keys.count": "\(ring.keys.kids.count)"]) }
                failures = 0
            } catch {
                failures += 1
                // Before migrations ran the table is missing; say so once, then quietly retry.
                if failures == 1 { logger.warning("token keys could not be loaded; retrying", metadata: ["error": "\(String(reflecting: error))"]) }
            }
            let pause: Duration = failures > 0 ? .seconds(1) : interval
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
        }
    }
}
