import Histogram

/// The measured window second by second: each operation is counted in the second of its
/// intended start (open loop) or of its send (closed loop), counting from the end of the
/// warm-up, so a stall shows in the seconds whose operations it held up, not spread over
/// the whole run's percentiles.
///
/// A second keeps a histogram only while some of its operations are still outstanding:
/// once the driver has moved past it and every operation it started has ended, its figures
/// are computed and the histogram is dropped, so a long soak run holds a few histograms,
/// not one per second.
struct LoadTimeline {
    private struct OpenSecond {
        var histogram = LoadRecorder.histogram()
        var started = 0
        var succeeded = 0
        var failed = 0
        var closed = false
    }

    private var open: [Int: OpenSecond] = [:]
    private var finished: [Int: SecondFigures] = [:]

    /// An operation of `second` started.
    mutating func started(in second: Int) {
        open[second, default: OpenSecond()].started += 1
    }

    /// An operation of `second` ended: with its latency in microseconds if it succeeded.
    mutating func ended(in second: Int, micros: UInt64?) {
        guard open[second] != nil else { return }
        // In place: a copy of the second taken out of the dictionary would share the
        // histogram's counts with it, and recording into it would copy all of them (about
        // 170 KB) for every operation.
        if let micros {
            open[second]?.succeeded += 1
            open[second]?.histogram.record(micros)
        } else {
            open[second]?.failed += 1
        }
        finishIfDone(second)
    }

    /// The driver will start no more operations in seconds before `second`.
    mutating func close(before second: Int) {
        for key in open.keys where key < second && !(open[key]?.closed ?? true) {
            open[key]?.closed = true
            finishIfDone(key)
        }
    }

    private mutating func finishIfDone(_ second: Int) {
        guard let tally = open[second], tally.closed, tally.succeeded + tally.failed == tally.started else { return }
        let figures = Self.figures(second, tally)
        // A second that an operation started in after it had been closed (a sender held up
        // for seconds between reading the clock and starting) keeps its earlier figures:
        // the counts add up, the percentiles are the larger of the two parts'.
        finished[second] = finished[second].map { $0.merged(with: figures) } ?? figures
        open[second] = nil
    }

    private static func figures(_ second: Int, _ tally: OpenSecond) -> SecondFigures {
        let latency = tally.histogram.totalCount > 0 ? LatencyFigures(tally.histogram) : nil
        return SecondFigures(
            second: second, started: tally.started, succeeded: tally.succeeded, failed: tally.failed,
            p50: latency?.p50 ?? 0, p99: latency?.p99 ?? 0, max: latency?.max ?? 0)
    }

    /// The most recent second whose operations have all ended.
    var lastFinished: SecondFigures? {
        finished.keys.max().flatMap { finished[$0] }
    }

    /// Every second from the first to the last that started an operation, in order; a
    /// second still open (operations that never ended) is given with what it has.
    var seconds: [SecondFigures] {
        let keys = Set(open.keys).union(finished.keys)
        guard let last = keys.max() else { return [] }
        return (0...last).map { second in
            if let done = finished[second] { return done }
            if let tally = open[second] { return Self.figures(second, tally) }
            return SecondFigures(second: second, started: 0, succeeded: 0, failed: 0, p50: 0, p99: 0, max: 0)
        }
    }
}

/// One second of the measured window (see ``LoadRecorder/timeline()``).
public struct SecondFigures: Codable, Sendable, Hashable {
    /// Seconds since the end of the warm-up: operations meant to start (open loop) or sent
    /// (closed loop) in [second, second + 1).
    public var second: Int
    /// Operations of this second that started.
    public var started: Int
    /// Those that succeeded.
    public var succeeded: Int
    /// Those that failed.
    public var failed: Int
    /// Median latency of the successful ones, milliseconds.
    public var p50: Double
    /// 99th percentile, milliseconds.
    public var p99: Double
    /// Largest, milliseconds.
    public var max: Double

    /// `s12: 400 ok, p99 9.10 ms, max 12.00 ms` (and the failures, if any).
    public var summary: String {
        String(format: "s%d: %d ok%@, p99 %.2f ms, max %.2f ms", second, succeeded, failed > 0 ? ", \(failed) failed" : "", p99, max)
    }

    func merged(with other: SecondFigures) -> SecondFigures {
        SecondFigures(
            second: second, started: started + other.started, succeeded: succeeded + other.succeeded, failed: failed + other.failed,
            p50: Swift.max(p50, other.p50), p99: Swift.max(p99, other.p99), max: Swift.max(max, other.max))
    }
}
