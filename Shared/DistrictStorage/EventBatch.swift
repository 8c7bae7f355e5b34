/// The result of one read of the event log.
public struct EventBatch: Sendable, Hashable {
    /// Readable events strictly after the requested position, in log order.
    public var events: [StoredEvent]
    /// True when committed events after the last returned one exist but are not readable yet,
    /// because an older transaction is still in progress (it holds the snapshot's xmin back).
    /// They become readable when that transaction ends, which may send no `NOTIFY`:
    /// readers should re-check after a short interval.
    public var hasHeldBackEvents: Bool

    /// Creates a batch.
    public init(events: [StoredEvent], hasHeldBackEvents: Bool) {
        self.events = events
        self.hasHeldBackEvents = hasHeldBackEvents
    }
}
