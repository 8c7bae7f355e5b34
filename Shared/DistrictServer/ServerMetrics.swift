import CoreMetrics
import DistrictProtocol
import Synchronization

/// Metrics of one protocol server: per-method request counts, latency and errors, and
/// open connections. Instruments are created once per method, not per request.
final class ServerMetrics: Sendable {
    struct MethodInstruments: Sendable {
        let requests: Counter
        let duration: Timer
    }

    private let service: String
    private let instruments = Mutex<[String: MethodInstruments]>([:])
    private let errors = Mutex<[String: Counter]>([:])
    let openConnections: Gauge
    let acceptedConnections: Counter
    private let connectionCount = Mutex(0)

    init(service: String) {
        self.service = service
        self.openConnections = Gauge(label: "rpc_open_connections", dimensions: [("service", service)])
        self.acceptedConnections = Counter(label: "rpc_connections_total", dimensions: [("service", service)])
    }

    /// Instruments for a method; unknown methods share one bucket to bound cardinality.
    func method(_ name: String, known: Bool) -> MethodInstruments {
        let key = known ? name : "unknown"
        return instruments.withLock { instruments in
            if let existing = instruments[key] { return existing }
            let dimensions = [("service", service), ("method", key)]
            let created = MethodInstruments(
                requests: Counter(label: "rpc_requests_total", dimensions: dimensions),
                duration: Timer(label: "rpc_request_duration_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds))
            instruments[key] = created
            return created
        }
    }

    func recordError(method: String, known: Bool, code: ErrorCode) {
        let key = "\(known ? method : "unknown")|\(code.rawValue)"
        let counter = errors.withLock { errors in
            if let existing = errors[key] { return existing }
            let created = Counter(label: "rpc_errors_total", dimensions: [("service", service), ("method", known ? method : "unknown"), ("code", code.rawValue)])
            errors[key] = created
            return created
        }
        counter.increment()
    }

    func connectionOpened() {
        acceptedConnections.increment()
        let open = connectionCount.withLock { $0 += 1; return $0 }
        openConnections.record(open)
    }

    func connectionClosed() {
        let open = connectionCount.withLock { $0 -= 1; return $0 }
        openConnections.record(open)
    }
}
