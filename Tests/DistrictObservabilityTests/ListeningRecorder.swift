import Synchronization

/// Records the ports an `onListening` callback reports.
final class ListeningRecorder: Sendable {
    private let recorded = Mutex<[Int]>([])

    func record(_ port: Int) {
        self.recorded.withLock { $0.append(port) }
    }

    var ports: [Int] {
        self.recorded.withLock { $0 }
    }
}
