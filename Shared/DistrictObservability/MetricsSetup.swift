import Metrics
public import Prometheus
import Synchronization

/// Prometheus-backed swift-metrics setup: one registry, one factory over it.
///
/// `init` builds both without touching global state (what tests use);
/// ``bootstrap(durationBuckets:)`` additionally installs the factory as the
/// process's `MetricsSystem` backend, once.
public struct MetricsSetup: Sendable {
    /// The registry every metric of this setup lives in; render it for `/metrics`.
    public let registry: PrometheusCollectorRegistry

    /// The swift-metrics factory writing into ``registry``.
    ///
    /// Pass it to `Counter(label:dimensions:factory:)` and friends to record
    /// without a global bootstrap. Timers become Prometheus histograms in seconds
    /// with ``defaultDurationBuckets``.
    public let factory: PrometheusMetricsFactory

    /// Histogram buckets for swift-metrics `Timer`s, spanning request latencies
    /// from 0.5 ms to 10 s in a 1–2.5–5 progression.
    public static let defaultDurationBuckets: [Duration] = [
        .microseconds(500),
        .milliseconds(1),
        .microseconds(2500),
        .milliseconds(5),
        .milliseconds(10),
        .milliseconds(25),
        .milliseconds(50),
        .milliseconds(100),
        .milliseconds(250),
        .milliseconds(500),
        .seconds(1),
        .milliseconds(2500),
        .seconds(5),
        .seconds(10),
    ]

    private static let installed = Mutex<MetricsSetup?>(nil)

    /// Creates a registry and a factory over it, without bootstrapping `MetricsSystem`.
    /// - Parameters:
    ///   - registry: The registry to record into; a fresh one by default.
    ///   - durationBuckets: Histogram buckets for timers.
    public init(
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        durationBuckets: [Duration] = MetricsSetup.defaultDurationBuckets
    ) {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = durationBuckets
        self.registry = registry
        self.factory = factory
    }

    /// Creates a setup and bootstraps `MetricsSystem` with its factory.
    ///
    /// Only the first call in a process bootstraps; later calls return that first
    /// setup unchanged (their `durationBuckets` are ignored) instead of crashing, as a
    /// second `MetricsSystem.bootstrap` would.
    public static func bootstrap(
        durationBuckets: [Duration] = MetricsSetup.defaultDurationBuckets
    ) -> MetricsSetup {
        self.installed.withLock { installed in
            if let installed { return installed }
            let setup = MetricsSetup(durationBuckets: durationBuckets)
            MetricsSystem.bootstrap(setup.factory)
            installed = setup
            return setup
        }
    }

    /// The registry's current state in the Prometheus text exposition format (0.0.4).
    public func render() -> String {
        self.registry.emitToString()
    }

    /// Appends the registry's current state in the Prometheus text format to `buffer`.
    public func render(into buffer: inout [UInt8]) {
        self.registry.emit(into: &buffer)
    }
}
