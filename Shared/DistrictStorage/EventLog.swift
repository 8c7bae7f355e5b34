public import Logging
public import PostgresNIO
import Foundation

/// The shared event log (`events.log`), written as a transactional outbox.
///
/// Writers append events inside the same transaction as the state change they announce, so both
/// commit or neither does. Each row records its transaction id (`tx_id`).
///
/// ## Why readers never skip an event
/// Row ids are handed out at insert time, but transactions commit in any order: transaction A may
/// insert id 10 and commit after transaction B inserted id 11 and committed. A reader that
/// remembered "up to id 11" would skip id 10 forever. Instead, readers order by `(tx_id, id)` and
/// only return rows with `tx_id < pg_snapshot_xmin(pg_current_snapshot())`: every transaction below
/// the snapshot's xmin has finished, and every transaction that could still commit has an id at or
/// above xmin — larger than any position already handed out. So nothing can later appear before a
/// position a reader has passed. The price: a long-running transaction (any transaction holding a
/// transaction id) delays readers until it ends.
///
/// The horizon and the rows must come from one snapshot, so ``readBatch(after:streams:limit:on:logger:)``
/// reads both in one statement. With the horizon taken by a statement of its own (as this type
/// once did) the consumer tests, run beside other suites on a busy server, saw a reader pass
/// an event of a transaction below that horizon which its next statement did not yet see,
/// in about half of the runs; in one statement they passed every run.
public enum EventLog {
    /// The `LISTEN` channel a statement-level trigger notifies (payload: stream name) when events are appended.
    public static let notificationChannel = "district_events"

    /// Appends `events` on `connection`, inside the caller's open transaction.
    ///
    /// - Returns: The positions of the new events, in order.
    @discardableResult
    public static func append(_ events: [NewEvent], on connection: PostgresConnection, logger: Logger) async throws -> [EventPosition] {
        var positions: [EventPosition] = []
        positions.reserveCapacity(events.count)
        for event in events {
            let rows = try await connection.query(
                """
                INSERT INTO events.log (stream, type, key, org_path, payload)
                VALUES (\(event.stream), \(event.type), \(event.key), \(event.orgPath), \(event.payloadJSON)::jsonb)
                RETURNING tx_id::text, id
                """,
                logger: logger
            )
            for try await (transactionID, eventID) in rows.decode((String, Int64).self) {
                positions.append(EventPosition(transactionID: UInt64(transactionID) ?? 0, eventID: eventID))
            }
        }
        return positions
    }

    /// The oldest transaction id that may still commit (`pg_snapshot_xmin` of a fresh
    /// snapshot): every event with a smaller `tx_id` is final, and no event still to come
    /// can have a smaller one.
    public static func horizon(on connection: PostgresConnection, logger: Logger) async throws -> UInt64 {
        var horizon: UInt64 = 0
        for try await xmin in try await connection.query(
            "SELECT pg_snapshot_xmin(pg_current_snapshot())::text", logger: logger
        ).decode(String.self) {
            horizon = UInt64(xmin) ?? 0
        }
        return horizon
    }

    /// Reads up to `limit` readable events strictly after `position`, optionally only of `streams`.
    ///
    /// Only returns events that no later commit can precede (see the type documentation).
    public static func read(
        after position: EventPosition, streams: [String]? = nil, limit: Int,
        on connection: PostgresConnection, logger: Logger
    ) async throws -> [StoredEvent] {
        try await self.readBatch(after: position, streams: streams, limit: limit, on: connection, logger: logger).events
    }

    /// Reads like ``read(after:streams:limit:using:logger:)`` on a leased connection.
    public static func read(
        after position: EventPosition, streams: [String]? = nil, limit: Int,
        using database: Database, logger: Logger
    ) async throws -> [StoredEvent] {
        try await database.withConnection { connection in
            try await self.read(after: position, streams: streams, limit: limit, on: connection, logger: logger)
        }
    }

    /// Reads like ``read(after:streams:limit:on:logger:)`` and also tells whether events are held back.
    public static func readBatch(
        after position: EventPosition, streams: [String]? = nil, limit: Int,
        on connection: PostgresConnection, logger: Logger
    ) async throws -> EventBatch {
        // One statement, so one snapshot for the horizon, the events and the held-back check:
        // rows below the snapshot's xmin are final and visible in it; rows at or above it are
        // held back. (Separate statements would each take their own snapshot.) The horizon is
        // a scalar subquery (an init plan), so both scans use it as an index condition; the
        // held-back check is an ordered `LIMIT 1` so it never becomes a sequential scan. The
        // last row, with a NULL id, carries the horizon and says whether any event after
        // `position` is held back.
        guard let streams else {
            return try await readBatchOfAllStreams(after: position, limit: limit, on: connection, logger: logger)
        }
        var binds = PostgresBindings()
        binds.append(String(position.transactionID))
        binds.append(position.eventID)
        binds.append(limit)
        binds.append(streams)
        let query = PostgresQuery(
            unsafeSQL: """
                WITH e AS (
                    SELECT l.id, l.tx_id, l.stream, l.type, l.key, l.org_path, l.payload, l.occurred_at FROM events.log l
                    WHERE l.tx_id < (SELECT pg_snapshot_xmin(pg_current_snapshot()))
                      AND (l.tx_id, l.id) > ($1::xid8, $2) AND l.stream = ANY($4)
                    ORDER BY l.tx_id, l.id LIMIT $3
                )
                SELECT id, tx_id::text, stream, type, key, org_path, payload::text, occurred_at FROM (SELECT * FROM e ORDER BY tx_id, id) ordered
                UNION ALL
                SELECT NULL, (SELECT pg_snapshot_xmin(pg_current_snapshot()))::text, NULL, NULL, NULL, NULL, NULL, CASE WHEN (
                    SELECT l.tx_id FROM events.log l
                    WHERE l.tx_id >= (SELECT pg_snapshot_xmin(pg_current_snapshot()))
                      AND (l.tx_id, l.id) > ($1::xid8, $2) AND l.stream = ANY($4)
                    ORDER BY l.tx_id, l.id LIMIT 1
                ) IS NOT NULL THEN now() END
                """,
            binds: binds)
        let rows = try await connection.query(query, logger: logger).decode(BatchRow.self)
        return try await batch(of: rows, limit: limit)
    }

    /// A row of a batch read: an event, or (with a NULL id) the horizon and whether any
    /// event is held back.
    typealias BatchRow = (Int64?, String?, String?, String?, String?, String?, String?, Date?)

    /// ``readBatch(after:streams:limit:on:logger:)`` for all streams: `events.read_after`,
    /// the same statement as a function planned once per connection (see
    /// ``CoreMigrations/eventRead``), run as a prepared statement.
    private static func readBatchOfAllStreams(
        after position: EventPosition, limit: Int, on connection: PostgresConnection, logger: Logger
    ) async throws -> EventBatch {
        let rows = try await connection.execute(
            ReadAllStreamsStatement(after: position, limit: limit), logger: logger)
        return try await batch(of: rows, limit: limit)
    }

    /// The events and the last row's horizon and held-back flag of a batch read.
    private static func batch(
        of rows: some AsyncSequence<BatchRow, any Error>, limit: Int
    ) async throws -> EventBatch {
        var events: [StoredEvent] = []
        var heldBack = false
        var horizon: UInt64 = 0
        for try await (id, tx, stream, type, key, orgPath, payload, occurredAt) in rows {
            guard let id, let tx, let stream, let type, let payload, let occurredAt else {
                // The last row: the horizon, and whether anything after `position` is held back.
                heldBack = occurredAt != nil
                horizon = tx.flatMap { UInt64($0) } ?? 0
                continue
            }
            events.append(StoredEvent(
                position: EventPosition(transactionID: UInt64(tx) ?? 0, eventID: id),
                stream: stream, type: type, key: key, orgPath: orgPath, payloadJSON: payload, occurredAt: occurredAt
            ))
        }
        // A full batch: the caller reads again right away, held back or not.
        return EventBatch(events: events, hasHeldBackEvents: events.count < limit && heldBack, horizon: horizon)
    }
}

/// `events.read_after`: the readable events of all streams after a position, then the
/// horizon row (see ``EventLog/readBatch(after:streams:limit:on:logger:)``).
struct ReadAllStreamsStatement: PostgresPreparedStatement {
    static let sql = """
        SELECT id, tx_id, stream, type, key, org_path, payload, occurred_at
        FROM events.read_after($1::xid8, $2, $3::int)
        """
    static let bindingDataTypes: [PostgresDataType] = [.text, .int8, .int8]
    typealias Row = EventLog.BatchRow

    var after: EventPosition
    var limit: Int

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(String(after.transactionID))
        bindings.append(after.eventID)
        bindings.append(Int64(limit))
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        try row.decode(Row.self)
    }
}
