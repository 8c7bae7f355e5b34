import DistrictContracts
import DistrictProtocol
public import DistrictServer
public import DistrictStorage
import Logging

/// `events.subscribe`: streams of the shared event log pushed to a subscriber, resumable by
/// cursor, never skipping an event and never repeating one.
public enum EventSubscriptions {
    /// Events read per database round trip.
    public static let batchSize = 500
    /// The most streams one subscription may name.
    public static let maximumStreams = 32

    /// Registers `events.subscribe`. Until the identity service issues tokens, only callers
    /// with a district client certificate (services, district IT, departments with
    /// certificates) may subscribe: the log holds every service's events.
    public static func register(into router: inout MethodRouter, database: Database, notifier: EventNotifier) {
        router.register(subscription: EventsAPI.Subscribe.self) { params, context, subscription in
            guard context.peer.certificateCommonName != nil else {
                throw DistrictError(.permissionDenied, "events.subscribe needs a district client certificate")
            }
            guard !params.streams.isEmpty, params.streams.count <= maximumStreams,
                params.streams.allSatisfy({ !$0.isEmpty && $0.utf8.count <= 64 })
            else {
                throw DistrictError.invalidParams("streams must name 1 to \(maximumStreams) streams of 1 to 64 bytes", field: "streams")
            }
            let start: EventPosition
            if let cursor = params.cursor {
                guard let position = EventPosition(cursor: cursor) else {
                    throw DistrictError.invalidParams("cursor is not one this service issued", field: "cursor")
                }
                start = position
            } else {
                start = .start
            }
            let result = EventsAPI.Subscribe.Result(subscription: subscription, cursor: start.cursor)
            return SubscriptionStart(result: result) { sink in
                var position = start
                while !Task.isCancelled {
                    let generation = notifier.generation
                    let events = try await EventLog.read(after: position, streams: params.streams, limit: batchSize, using: database, logger: context.logger)
                    for event in events {
                        try await sink.send(
                            EventsAPI.Subscribe.Event(
                                stream: event.stream, type: event.type, key: event.key, orgPath: event.orgPath,
                                payload: event.payloadJSON, occurredAt: event.occurredAt),
                            cursor: event.position.cursor)
                        position = event.position
                    }
                    if events.count < batchSize {
                        await notifier.wait(after: generation)
                    }
                }
            }
        }
    }
}
