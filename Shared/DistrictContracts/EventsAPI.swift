public import DistrictProtocol
public import Foundation

/// The event-log subscription every service offers over its own streams.
public enum EventsAPI {
    /// `events.subscribe`: pushes the events of the given streams committed after `cursor`
    /// (from the start when absent), then new ones as they commit. Resubscribing with the
    /// cursor of the last event received replays exactly what was missed.
    public enum Subscribe: SubscriptionDescriptor {
        public static let name = "events.subscribe"

        /// What to receive.
        public struct Params: Codable, Sendable, Hashable {
            /// Stream names, e.g. `["dispatch.case"]`; at least one.
            public var streams: [String]
            /// Resume after this cursor; nil starts at the beginning of the log.
            public var cursor: String?

            /// Creates subscription parameters.
            public init(streams: [String], cursor: String? = nil) {
                self.streams = streams
                self.cursor = cursor
            }
        }

        /// The acknowledgement.
        public struct Result: SubscriptionAcknowledgement, Hashable {
            /// The subscription id, for `protocol.unsubscribe`.
            public var subscription: String
            /// The cursor the subscription starts after.
            public var cursor: String

            /// Creates an acknowledgement.
            public init(subscription: String, cursor: String) {
                self.subscription = subscription
                self.cursor = cursor
            }
        }

        /// One event of the log.
        public struct Event: Codable, Sendable, Hashable {
            /// The stream, e.g. `dispatch.case`.
            public var stream: String
            /// The event type, e.g. `case.reported`.
            public var type: String
            /// The aggregate the event is about, e.g. a case id.
            public var key: String?
            /// The org path the event belongs to, for permission filtering.
            public var orgPath: String?
            /// The event's payload as JSON text.
            public var payload: String
            /// When the event was recorded.
            public var occurredAt: Date

            /// Creates an event.
            public init(stream: String, type: String, key: String?, orgPath: String?, payload: String, occurredAt: Date) {
                self.stream = stream
                self.type = type
                self.key = key
                self.orgPath = orgPath
                self.payload = payload
                self.occurredAt = occurredAt
            }
        }
    }
}
