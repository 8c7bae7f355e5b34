/// The result of one read of the event log.
public struct EventBatch: Sendable, Hashable {
    /// Readable events strictly after the requested position, in log order.
    public var events: [StoredEvent]
    /// True when committed events after the last returned one exist but are not readable yet,
    /// because an older transaction is still in progress (it holds the snapshot's xmin back).
    /// They become readable when that transaction ends, which may send no `NOTIFY`:
    /// readers should re-check after a short interval.
    public var hasHeldBackEvents: Bool
    /// The horizon of the read: every event of a transaction below it was final and readable.
    /// When the batch was not full, the reader has seen every event after its position
    /// below the horizon that it asked for, and may move its position up to ``caughtUpTo``.
    public var horizon: UInt64

    /// Creates a batch.
    public init(events: [StoredEvent], hasHeldBackEvents: Bool, horizon: UInt64 = 0) {
        self.events = events
        self.hasHeldBackEvents = hasHeldBackEvents
        self.horizon = horizon
    }

    /// The position just below every transaction at or above the horizon: a reader whose
    /// batch was not full has seen, of the streams it read, everything up to here.
    public var caughtUpTo: EventPosition {
        EventPosition(transactionID: max(horizon, 1) - 1, eventID: Int64.max)
    }
}
