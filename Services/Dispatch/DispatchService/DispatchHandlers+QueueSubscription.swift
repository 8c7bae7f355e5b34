import DispatchDomain
import DistrictAuth
import DistrictContracts
import DistrictProtocol
import DistrictRuntime
import DistrictServer
import DistrictStorage
import Foundation

extension DispatchHandlers {
    /// Registers `dispatch.queue.subscribe`: the department's stream of the shared event
    /// log, filtered to the caller's subtree, resumable by cursor (see `EventLog` for why
    /// no event is skipped or repeated).
    func registerQueueSubscription(on router: inout MethodRouter) {
        router.register(subscription: DispatchAPI.QueueSubscribe.self) { params, context, subscription in
            guard MatterCatalogue.isCode(params.department) else {
                throw DistrictError.invalidParams("department is not a department code", field: "department")
            }
            let path = try Self.parsePath(params.path, field: "path")
            let start: EventPosition
            if let cursor = params.cursor {
                guard let position = EventPosition(cursor: cursor) else {
                    throw DistrictError.invalidParams("cursor is not one this service issued", field: "cursor")
                }
                start = position
            } else {
                start = .start
            }
            try await authenticator.authorize(context, .caseRead, on: Resource(path: path, department: params.department))
            let stream = DispatchAPI.departmentStream(params.department)
            let database = self.database
            let notifier = self.notifier
            let decoder = Self.rowDecoder()
            let logger = context.logger
            let tail = self.tail
            return SubscriptionStart(result: .init(subscription: subscription, cursor: start.cursor)) { sink in
                var position = start
                while !Task.isCancelled {
                    // Caught up: read the shared tail (one database read for all subscribers),
                    // woken only by reads that brought this department's events.
                    let tailGeneration = tail.generation(of: stream)
                    if let read = tail.events(of: stream, after: position, limit: EventSubscriptions.batchSize) {
                        for event in read.events {
                            position = event.position
                            try await send(event)
                        }
                        position = max(position, read.through)
                        if read.isCaughtUp { await tail.wait(after: tailGeneration, of: stream) }
                        continue
                    }
                    // Behind the tail: read the database, as a resume does.
                    let generation = notifier.generation
                    let batch = try await database.withConnection { connection in
                        try await EventLog.readBatch(after: position, streams: [stream], limit: EventSubscriptions.batchSize, on: connection, logger: logger)
                    }
                    for event in batch.events {
                        position = event.position
                        try await send(event)
                    }
                    if batch.events.count < EventSubscriptions.batchSize {
                        // Everything of this department below the horizon is sent: move up to it,
                        // so a quiet department joins the tail instead of reading the database
                        // on every notification.
                        position = max(position, batch.caughtUpTo)
                        if tail.events(of: stream, after: position, limit: 0) == nil { await notifier.wait(after: generation) }
                    }
                }

                func send(_ event: StoredEvent) async throws {
                    guard let orgPath = event.orgPath.flatMap({ try? OrgPath($0) }), path.contains(orgPath),
                        let payload = try? decoder.decode(CaseEvent.self, from: Data(event.payloadJSON.utf8))
                    else { return }
                    try await sink.send(payload, cursor: event.position.cursor)
                }
            }
        }
    }
}
