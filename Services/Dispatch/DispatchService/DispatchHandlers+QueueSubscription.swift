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
            let streams = [DispatchAPI.departmentStream(params.department)]
            let database = self.database
            let notifier = self.notifier
            let decoder = Self.rowDecoder()
            let logger = context.logger
            return SubscriptionStart(result: .init(subscription: subscription, cursor: start.cursor)) { sink in
                var position = start
                while !Task.isCancelled {
                    let generation = notifier.generation
                    let events = try await EventLog.read(after: position, streams: streams, limit: EventSubscriptions.batchSize, using: database, logger: logger)
                    for event in events {
                        position = event.position
                        guard let orgPath = event.orgPath.flatMap({ try? OrgPath($0) }), path.contains(orgPath),
                            let payload = try? decoder.decode(CaseEvent.self, from: Data(event.payloadJSON.utf8))
                        else { continue }
                        try await sink.send(payload, cursor: event.position.cursor)
                    }
                    if events.count < EventSubscriptions.batchSize {
                        await notifier.wait(after: generation)
                    }
                }
            }
        }
    }
}
