import DistrictObservability
import Synchronization

/// Collects the lines a ``LogLineWriter`` hands over, for inspection in tests.
final class LineCollector: Sendable {
    private let lines = Mutex<[[UInt8]]>([])

    var writer: LogLineWriter {
        LogLineWriter { line in self.lines.withLock { $0.append(line) } }
    }

    var strings: [String] {
        self.lines.withLock { $0.map { String(decoding: $0, as: UTF8.self) } }
    }
}
