public import DispatchDomain
import DistrictContracts
public import DistrictStorage
import Foundation
public import Logging
import PostgresNIO
public import ServiceLifecycle

/// Sends the 80 % warning of each running deadline once, and marks each passed deadline
/// overdue once, escalating the case one level (grid → street → district). Safe with
/// several replicas: each batch locks its cases `FOR UPDATE SKIP LOCKED`, and a case once
/// warned or marked is excluded from the next query.
public struct DeadlineSweeper: Service {
    /// Cases handled per batch.
    public static let batchSize = 100
    /// The states in which deadlines run.
    static let runningStates = "('reported', 'accepted', 'dispatched', 'claimed', 'in_progress', 'returned', 'escalated', 'reopened')"

    let database: Database
    let clock: any DispatchClock
    let logger: Logger
    let interval: Duration

    /// A sweeper over `database`, reading the time from `clock`, looking every `interval`.
    public init(database: Database, clock: any DispatchClock, logger: Logger, interval: Duration = .seconds(1)) {
        self.database = database
        self.clock = clock
        self.logger = logger
        self.interval = interval
    }

    /// Sweeps until shutdown: at once after a full batch, else after `interval` (an indexed
    /// query on two partial indexes, so a short interval costs little).
    public func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                let handled = try await sweep()
                if handled >= Self.batchSize { continue }
            } catch {
                logger.warning("deadline sweep failed", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }

    /// One pass at the clock's current time; returns how many cases it warned or marked.
    @discardableResult
    public func sweep() async throws -> Int {
        let now = clock.now()
        let logger = self.logger
        return try await database.withTransaction { connection in
            var handled = 0
            let warnings = try await DispatchHandlers.decodeCases(connection.query(PostgresQuery(
                unsafeSQL: """
                SELECT to_jsonb(c)::text FROM dispatch.cases c
                WHERE NOT warned AND warn_at <= $1 AND state IN \(Self.runningStates)
                ORDER BY warn_at LIMIT \(Self.batchSize) FOR UPDATE SKIP LOCKED
                """, binds: try Self.binds(now)), logger: logger))
            for var row in warnings {
                row.warned = true
                row.version += 1
                try await DispatchHandlers.save(row, "case.deadline_warning", from: row.state, actor: "system", note: "80 % of the time used", at: now,
                    on: connection, logger: logger)
                handled += 1
            }
            let overdue = try await DispatchHandlers.decodeCases(connection.query(PostgresQuery(
                unsafeSQL: """
                SELECT to_jsonb(c)::text FROM dispatch.cases c
                WHERE NOT overdue AND due_at <= $1 AND state IN \(Self.runningStates)
                ORDER BY due_at LIMIT \(Self.batchSize) FOR UPDATE SKIP LOCKED
                """, binds: try Self.binds(now)), logger: logger))
            for var row in overdue {
                row.overdue = true
                row.wasOverdue = true
                row.warned = true
                row.escalationLevel = EscalationLevel.next(after: row.escalationLevel)
                row.version += 1
                try await DispatchHandlers.save(row, "case.overdue", from: row.state, actor: "system", note: "escalated to \(row.escalationLevel)", at: now,
                    on: connection, logger: logger)
                handled += 1
            }
            return handled
        }
    }

    private static func binds(_ now: Date) throws -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(now)
        return binds
    }
}
