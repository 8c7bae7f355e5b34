import DistrictStorage
import Logging
import PostgresNIO

// Transaction ids and snapshot xmin are cluster-wide: a transaction of a test running in parallel
// (in another database on the same server) can hold events back for a moment. These helpers wait
// for that by re-reading until nothing is held back — the outcome, not the timing, is asserted.

/// Reads up to `limit` events after `position`, re-reading while committed events are held back.
func readSettled(
    after position: EventPosition, streams: [String]? = nil, limit: Int = 1000,
    database: Database, logger: Logger
) async throws -> [StoredEvent] {
    while true {
        let batch = try await database.withConnection { connection in
            try await EventLog.readBatch(after: position, streams: streams, limit: limit, on: connection, logger: logger)
        }
        if !batch.hasHeldBackEvents || batch.events.count >= limit { return batch.events }
        await Task.yield()
    }
}

/// Runs batches until the consumer is caught up: nothing delivered, nothing held back, not locked elsewhere.
func drain(
    _ consumer: EventConsumer, limit: Int,
    handler: ([StoredEvent], PostgresConnection) async throws -> Void
) async throws {
    while true {
        let result = try await consumer.processBatch(limit: limit, handler: handler)
        if result.delivered == 0 && !result.hasHeldBackEvents && !result.isLockedElsewhere { return }
        if result.delivered == 0 { await Task.yield() }
    }
}
