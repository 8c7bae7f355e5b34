import DistrictContracts
public import DistrictRuntime
public import DistrictStorage
import Foundation
public import Logging
import PostgresNIO
public import ServiceLifecycle

/// Keeps the org paths dispatch stores (cases, grids, daily and monthly statistics roll-ups) current when the
/// identity service moves a subtree: consumes `org.moved` from the `identity.org` stream
/// with a checkpointed consumer, so each move is applied exactly once across replicas, in
/// the same transaction as the checkpoint.
public struct OrgPathFollower: Service {
    /// The consumer's name in `events.consumer_checkpoints`.
    public static let consumerName = "dispatch.org-paths"

    /// The stream the follower reads.
    static let stream = "identity.org"

    let consumer: EventConsumer
    let notifier: EventNotifier
    let logger: Logger

    /// A follower over `database`, woken by `notifier`.
    public init(database: Database, notifier: EventNotifier, logger: Logger) {
        self.consumer = EventConsumer(name: Self.consumerName, streams: [Self.stream], database: database, logger: logger)
        self.notifier = notifier
        self.logger = logger
    }

    /// Every stored org path: table, column, and what else the update sets (grids bump
    /// `updated_at`, which the in-memory grid index watches).
    static let pathColumns: [(table: String, column: String, alsoSet: String)] = [
        ("dispatch.cases", "org_path", ""),
        ("dispatch.grids", "path", "updated_at = now(), "),
        ("dispatch.case_stats_daily", "org_path", ""),
        ("dispatch.case_stats_monthly", "org_path", ""),
    ]

    private struct Moved: Decodable {
        struct Node: Decodable { var path: String }
        var node: Node
        var previousPath: String
    }

    /// Applies moves until shutdown; idle until the notifier reports new events of the
    /// `identity.org` stream (or its once-a-second re-check), so the district's other
    /// commits (reports above all) cost the follower nothing.
    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let generation = notifier.generation(of: Self.stream)
                do {
                    let result = try await processOnce()
                    if result.isFull { continue }
                    if result.hasHeldBackEvents || result.isLockedElsewhere {
                        try? await Task.sleep(for: .milliseconds(500))
                        continue
                    }
                } catch {
                    if Task.isCancelled { return }
                    logger.warning("org path follower failed; retrying", metadata: ["error": "\(String(reflecting: error))"])
                    try? await Task.sleep(for: .seconds(1))
                    continue
                }
                await notifier.wait(after: generation, of: Self.stream)
            }
        }
    }

    /// Applies the next batch of org events; returns what the consumer saw.
    @discardableResult
    public func processOnce() async throws -> EventConsumer.BatchResult {
        let logger = self.logger
        return try await consumer.processBatch(limit: 100) { events, connection in
            for event in events where event.type == "org.moved" {
                let moved = try JSONDecoder().decode(Moved.self, from: Data(event.payloadJSON.utf8))
                let from = moved.previousPath
                let to = moved.node.path
                var changed = 0
                for (table, column, alsoSet) in Self.pathColumns {
                    // Fixed table and column names; the paths are bound.
                    var binds = PostgresBindings()
                    binds.append(to)
                    binds.append(from)
                    let rows = try await connection.query(
                        PostgresQuery(
                            unsafeSQL: """
                            UPDATE \(table) SET \(alsoSet)\(column) = $1::ltree || subpath(\(column), nlevel($2::ltree))
                            WHERE \(column) <@ $2::ltree RETURNING 1
                            """,
                            binds: binds),
                        logger: logger)
                    for try await _ in rows { changed += 1 }
                }
                logger.info("org move applied to dispatch", metadata: ["org.from": "\(from)", "org.to": "\(to)", "org.rows": "\(changed)"])
            }
        }
    }
}
