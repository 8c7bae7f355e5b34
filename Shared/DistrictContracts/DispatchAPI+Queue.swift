public import DistrictProtocol
public import Foundation

/// One change of a case, as announced on `dispatch.case` and `dispatch.dept.<code>` and
/// pushed to department queue subscribers.
public struct CaseEvent: Codable, Sendable, Hashable {
    /// The case id.
    public var caseId: String
    /// The case number.
    public var number: String
    /// The event type, e.g. `case.dispatched`.
    public var event: String
    /// The state before (nil for `case.reported`).
    public var fromState: CaseState?
    /// The state after.
    public var toState: CaseState
    /// The category code.
    public var category: String
    /// The case's org path.
    public var orgPath: String
    /// The department the case is dispatched to after the change.
    public var department: String?
    /// Who made the change (`system` for automatic ones).
    public var actor: String
    /// The note or reason.
    public var note: String?
    /// When it happened.
    public var at: Date

    /// Creates an event.
    public init(
        caseId: String, number: String, event: String, fromState: CaseState?, toState: CaseState, category: String,
        orgPath: String, department: String?, actor: String, note: String?, at: Date
    ) {
        self.caseId = caseId
        self.number = number
        self.event = event
        self.fromState = fromState
        self.toState = toState
        self.category = category
        self.orgPath = orgPath
        self.department = department
        self.actor = actor
        self.note = note
        self.at = at
    }
}

extension DispatchAPI {
    /// `dispatch.queue.subscribe`: pushes every change of the cases that concern a
    /// department (dispatched to it, taken from it, whistled to it) under `path`, after
    /// `cursor`, then new ones as they commit. Resubscribing with the cursor of the last
    /// event received replays exactly what was missed. Needs `case.read` at `path` for
    /// the department (its handlers, leads and service accounts).
    public enum QueueSubscribe: SubscriptionDescriptor {
        public static let name = "dispatch.queue.subscribe"

        /// The queue.
        public struct Params: Codable, Sendable, Hashable {
            /// The department code.
            public var department: String
            /// The subtree, e.g. `d01`.
            public var path: String
            /// Resume after this cursor; nil starts at the beginning.
            public var cursor: String?
            /// Creates the parameters.
            public init(department: String, path: String, cursor: String? = nil) {
                self.department = department
                self.path = path
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

        public typealias Event = CaseEvent
    }
}
