public import Logging
import PostgresNIO
import Synchronization

/// Wakes a reader when new events may be readable, using `LISTEN district_events` on one pooled
/// connection, with a fallback re-check interval.
///
/// A `NOTIFY` is sent when a transaction that appended events commits. But an event can become
/// *readable* later, when an older transaction (which held the snapshot xmin back) ends, and that
/// transaction may send no notification. So a reader that saw held-back events asks to be woken
/// after a notification *or* after ``recheckInterval``, whichever comes first.
public struct EventListener: Sendable {
    /// When to call the body again.
    public enum Next: Sendable, Hashable {
        /// Right away (e.g. the last batch was full).
        case immediately
        /// After the next notification.
        case afterNotification
        /// After the next notification or the re-check interval, whichever is first.
        case afterNotificationOrInterval
        /// After the next notification or `delay`, whichever is first (or the re-check
        /// interval, when that is shorter).
        case afterNotificationOrDelay(Duration)
        /// Stop listening: ``EventListener/run(notified:_:)`` returns.
        case stop
    }

    /// The database whose pool lends the listening connection.
    public let database: Database
    /// The channel to `LISTEN` on.
    public let channel: String
    /// The longest wait while the body returns ``Next/afterNotificationOrInterval``.
    public let recheckInterval: Duration
    private let logger: Logger

    /// Creates a listener; nothing happens until ``run(_:)``.
    public init(
        database: Database,
        channel: String = EventLog.notificationChannel,
        recheckInterval: Duration = .seconds(1),
        logger: Logger
    ) {
        self.database = database
        self.channel = channel
        self.recheckInterval = recheckInterval
        var logger = logger
        logger[metadataKey: "listener.channel"] = "\(channel)"
        self.logger = logger
    }

    private final class WakeState: Sendable {
        let notified = Mutex(false)
    }

    private enum ListenerEnded: Error {
        case notificationsEnded
    }

    /// Listens, then calls `body` once and again whenever it asks to be woken.
    ///
    /// Notifications that arrive while `body` runs are remembered, so none is lost.
    /// `notified` sees each notification's payload (the stream whose events were appended)
    /// as it arrives, before `body` is woken for it.
    /// Runs until `body` returns ``Next/stop``, the task is cancelled or `body` throws; throws
    /// if the listening connection ends.
    public func run(
        notified: @escaping @Sendable (_ payload: String) -> Void = { _ in },
        _ body: () async throws -> Next
    ) async throws {
        try await self.database.withConnection { connection in
            try await connection.listen(on: self.channel) { notifications in
                let state = WakeState()
                let (wakes, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
                try await withThrowingTaskGroup(of: Void.self) { group in
                    // Both helpers run forever; stop them whenever the loop ends.
                    defer { group.cancelAll() }
                    group.addTask {
                        for try await notification in notifications {
                            notified(notification.payload)
                            state.notified.withLock { $0 = true }
                            continuation.yield()
                        }
                        throw ListenerEnded.notificationsEnded
                    }
                    group.addTask {
                        while true {
                            try await Task.sleep(for: self.recheckInterval)
                            continuation.yield()
                        }
                    }
                    var wakeIterator = wakes.makeAsyncIterator()
                    while true {
                        try Task.checkCancellation()
                        state.notified.withLock { $0 = false }
                        switch try await body() {
                        case .stop:
                            return
                        case .immediately:
                            continue
                        case .afterNotification:
                            while !state.notified.withLock({ $0 }) {
                                guard await wakeIterator.next() != nil else { return }
                                try Task.checkCancellation()
                            }
                        case .afterNotificationOrInterval:
                            if !state.notified.withLock({ $0 }) {
                                guard await wakeIterator.next() != nil else { return }
                            }
                        case .afterNotificationOrDelay(let delay):
                            if !state.notified.withLock({ $0 }) {
                                // A stale wake from this timer later only runs the body once more.
                                let timer = Task {
                                    try await Task.sleep(for: delay)
                                    continuation.yield()
                                }
                                defer { timer.cancel() }
                                guard await wakeIterator.next() != nil else { return }
                            }
                        }
                    }
                }
            }
        }
    }
}
