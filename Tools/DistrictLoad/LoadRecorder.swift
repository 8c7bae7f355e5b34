public import DistrictProtocol
import Histogram
import Synchronization

/// Collects the outcome of every measured operation: latencies (microseconds) in an HDR
/// histogram per label, successes, and errors by code. Safe from any task.
public final class LoadRecorder: Sendable {
    private struct State {
        var histograms: [String: Histogram<UInt64>] = [:]
        var succeeded = 0
        var errors: [String: Int] = [:]
        var timeline = LoadTimeline()
    }

    private let state = Mutex(State())

    /// An empty recorder.
    public init() {}

    static func histogram() -> Histogram<UInt64> {
        Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: .three)
    }

    /// Records one successful operation that took `latency` (under `label`, and under
    /// `"all"`); with `second`, also in that second of the timeline (see ``started(in:)``).
    public func succeeded(_ label: String = "all", latency: Duration, second: Int? = nil) {
        let micros = UInt64(max(1, latency / .microseconds(1)))
        state.withLock { state in
            state.succeeded += 1
            state.histograms["all", default: Self.histogram()].record(micros)
            if label != "all" { state.histograms[label, default: Self.histogram()].record(micros) }
            if let second { state.timeline.ended(in: second, micros: micros) }
        }
    }

    /// An operation of the measured window's `second` started (the driver calls this,
    /// then ``succeeded(_:latency:second:)`` or ``failed(_:second:)`` with the same second).
    public func started(in second: Int) {
        state.withLock { $0.timeline.started(in: second) }
    }

    /// No more operations will start in seconds before `second`.
    public func closeSeconds(before second: Int) {
        state.withLock { $0.timeline.close(before: second) }
    }

    /// Records a step's latency under `label` without counting an operation.
    public func step(_ label: String, latency: Duration) {
        let micros = UInt64(max(1, latency / .microseconds(1)))
        state.withLock { $0.histograms[label, default: Self.histogram()].record(micros) }
    }

    /// Records one failed operation; with `second`, also in that second of the timeline.
    public func failed(_ error: any Error, second: Int? = nil) {
        let code = (error as? DistrictError)?.code.rawValue ?? "transport"
        state.withLock { state in
            state.errors[code, default: 0] += 1
            if let second { state.timeline.ended(in: second, micros: nil) }
        }
    }

    /// The measured window second by second (the seconds the driver reported operations in).
    public func timeline() -> [SecondFigures] {
        state.withLock { $0.timeline.seconds }
    }

    /// The most recent second whose operations have all ended, for a progress line.
    public var lastFinishedSecond: SecondFigures? {
        state.withLock { $0.timeline.lastFinished }
    }

    /// Operations that succeeded so far.
    public var succeededCount: Int { state.withLock { $0.succeeded } }

    /// Errors so far, by code.
    public var errors: [String: Int] { state.withLock { $0.errors } }

    /// Latency figures per label.
    public func latencies() -> [String: LatencyFigures] {
        state.withLock { state in
            state.histograms.mapValues(LatencyFigures.init)
        }
    }
}

/// Latency percentiles in milliseconds.
public struct LatencyFigures: Codable, Sendable, Hashable {
    /// Samples.
    public var count: Int
    /// Median.
    public var p50: Double
    /// 90th percentile.
    public var p90: Double
    /// 99th percentile.
    public var p99: Double
    /// 99.9th percentile.
    public var p999: Double
    /// Largest.
    public var max: Double
}

extension LatencyFigures {
    /// The figures of a histogram of microseconds.
    init(_ histogram: Histogram<UInt64>) {
        func ms(_ micros: UInt64) -> Double { Double(micros) / 1000 }
        self.init(
            count: Int(histogram.totalCount), p50: ms(histogram.valueAtPercentile(50)), p90: ms(histogram.valueAtPercentile(90)),
            p99: ms(histogram.valueAtPercentile(99)), p999: ms(histogram.valueAtPercentile(99.9)), max: ms(histogram.max))
    }
}
