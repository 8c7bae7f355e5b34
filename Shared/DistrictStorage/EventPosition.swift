/// A position in the event log: the (transaction id, event id) of an event.
///
/// Events are ordered by transaction id first, then event id; a reader that has seen
/// everything up to a position resumes strictly after it.
public struct EventPosition: Comparable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The id (`xid8`) of the transaction that appended the event.
    public var transactionID: UInt64
    /// The event's row id (`events.log.id`).
    public var eventID: Int64

    /// Creates a position.
    public init(transactionID: UInt64, eventID: Int64) {
        self.transactionID = transactionID
        self.eventID = eventID
    }

    /// Before every event.
    public static let start = EventPosition(transactionID: 0, eventID: 0)

    /// Orders by transaction id, then event id.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.transactionID, lhs.eventID) < (rhs.transactionID, rhs.eventID)
    }

    /// The resumable cursor string `"<txid>-<eventid>"`; treat it as opaque outside this module.
    public var cursor: String { "\(self.transactionID)-\(self.eventID)" }

    /// Parses a ``cursor`` string; `nil` if it is not exactly two non-negative decimal numbers joined by `-`.
    public init?(cursor: String) {
        let parts = cursor.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2,
              parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let transactionID = UInt64(parts[0]),
              let eventID = Int64(parts[1])
        else {
            return nil
        }
        self.init(transactionID: transactionID, eventID: eventID)
    }

    /// The cursor string.
    public var description: String { self.cursor }
}
