public import Logging
public import PostgresNIO

/// A durable, named reader of the event log that hands each event to its handler once,
/// also when several replicas run the same consumer.
///
/// The consumer's position lives in `events.consumer_checkpoints`. Each batch is one transaction
/// that locks the checkpoint row (`FOR UPDATE SKIP LOCKED`), reads the readable events after it
/// (see ``EventLog``), runs the handler on the same connection and advances the checkpoint. The
/// handler's own writes therefore commit together with the checkpoint, or not at all.
public struct EventConsumer: Sendable {
    /// The result of one batch.
    public struct BatchResult: Sendable, Hashable {
        /// Number of events handed to the handler (and committed past).
        public var delivered: Int
        /// The batch was full; more events may be readable right away.
        public var isFull: Bool
        /// Committed events exist that are not readable yet (an older transaction is still open).
        public var hasHeldBackEvents: Bool
        /// Another replica holds this consumer's checkpoint; nothing was done.
        public var isLockedElsewhere: Bool
    }

    /// The consumer's durable name (primary key of its checkpoint).
    public let name: String
    /// Streams to read, or `nil` for all.
    public let streams: [String]?
    /// The database to read from.
    public let database: Database
    private let logger: Logger

    /// Creates a consumer; its checkpoint row is created on first use, at ``EventPosition/start``.
    public init(name: String, streams: [String]? = nil, database: Database, logger: Logger) {
        self.name = name
        self.streams = streams
        self.database = database
        var logger = logger
        logger[metadataKey: "consumer.name"] = "\(name)"
        self.logger = logger
    }

    /// Processes at most `limit` events; returns how many were handed to `handler`
    /// (0 if there were none or another replica is busy with this consumer).
    ///
    /// `handler` runs inside the batch transaction; if it throws, the transaction rolls back and
    /// the same events are offered again next time.
    public func processNextBatch(
        limit: Int = 100,
        handler: ([StoredEvent], PostgresConnection) async throws -> Void
    ) async throws -> Int {
        try await self.processBatch(limit: limit, handler: handler).delivered
    }

    /// Like ``processNextBatch(limit:handler:)``, with details for deciding when to call again.
    public func processBatch(
        limit: Int = 100,
        handler: ([StoredEvent], PostgresConnection) async throws -> Void
    ) async throws -> BatchResult {
        try await self.database.withConnection { connection in
            // Outside the batch transaction, so the batch transaction holds no row lock but the
            // checkpoint's (a first-time insert may still wait for another replica inserting it).
            try await connection.query(
                "INSERT INTO events.consumer_checkpoints (consumer) VALUES (\(self.name)) ON CONFLICT DO NOTHING",
                logger: self.logger
            )
            return try await Database.transaction(on: connection, logger: self.logger) { connection in
                var checkpoint: EventPosition?
                let rows = try await connection.query(
                    """
                    SELECT tx_id::text, event_id FROM events.consumer_checkpoints
                    WHERE consumer = \(self.name) FOR UPDATE SKIP LOCKED
                    """,
                    logger: self.logger
                )
                for try await (tx, eventID) in rows.decode((String, Int64).self) {
                    checkpoint = EventPosition(transactionID: UInt64(tx) ?? 0, eventID: eventID)
                }
                guard let checkpoint else {
                    return BatchResult(delivered: 0, isFull: false, hasHeldBackEvents: false, isLockedElsewhere: true)
                }
                let batch = try await EventLog.readBatch(
                    after: checkpoint, streams: self.streams, limit: limit, on: connection, logger: self.logger
                )
                if let last = batch.events.last?.position {
                    try await handler(batch.events, connection)
                    try await connection.query(
                        """
                        UPDATE events.consumer_checkpoints
                        SET tx_id = \(String(last.transactionID))::xid8, event_id = \(last.eventID), updated_at = now()
                        WHERE consumer = \(self.name)
                        """,
                        logger: self.logger
                    )
                    self.logger.debug("consumer advanced", metadata: ["consumer.position": "\(last.cursor)"])
                }
                return BatchResult(
                    delivered: batch.events.count, isFull: batch.events.count >= limit,
                    hasHeldBackEvents: batch.hasHeldBackEvents, isLockedElsewhere: false
                )
            }
        }
    }

    /// The consumer's committed checkpoint (``EventPosition/start`` if it never ran).
    public func checkpoint() async throws -> EventPosition {
        try await self.database.withConnection { connection in
            let rows = try await connection.query(
                "SELECT tx_id::text, event_id FROM events.consumer_checkpoints WHERE consumer = \(self.name)",
                logger: self.logger
            )
            var position = EventPosition.start
            for try await (tx, eventID) in rows.decode((String, Int64).self) {
                position = EventPosition(transactionID: UInt64(tx) ?? 0, eventID: eventID)
            }
            return position
        }
    }

    /// Processes batches until cancelled: again at once after a full batch, after a notification
    /// when idle, within milliseconds while events are held back, and also after `listener`'s
    /// re-check interval while another replica holds the checkpoint.
    public func run(
        listener: EventListener,
        limit: Int = 100,
        handler: ([StoredEvent], PostgresConnection) async throws -> Void
    ) async throws {
        // Events held back by an older open transaction become readable when it ends, which
        // may send no notification: look again soon instead of after the re-check interval.
        var heldBackRetry = HeldBackRetry()
        try await listener.run {
            let result = try await self.processBatch(limit: limit, handler: handler)
            if result.isFull { return .immediately }
            if result.isLockedElsewhere { return .afterNotificationOrInterval }
            if result.hasHeldBackEvents { return .afterNotificationOrDelay(heldBackRetry.next()) }
            heldBackRetry.reset()
            return .afterNotification
        }
    }
}
