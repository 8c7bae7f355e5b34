/// When a value cached from the database must be checked again, and which caller checks.
///
/// Once a value is older than ``interval``, the first caller to notice gets a ``Ticket``
/// and checks the database; the callers that come while it does keep using the cached
/// value, instead of each asking the database the same question at the same moment.
/// A value that was never loaded, or was invalidated (a change made through this
/// replica), gives every caller a ticket: nobody may use it until it is read again.
struct Freshness: Sendable {
    /// What a caller that checks hands back when it has read the database.
    struct Ticket: Sendable, Hashable {
        fileprivate let generation: Int
    }

    /// How long a checked value is used before it is checked again (`.zero`: at every use).
    let interval: Duration
    private var checked: ContinuousClock.Instant?
    private var generation = 0

    init(interval: Duration) {
        self.interval = interval
    }

    /// A ticket if this caller must check the database before (or, for a loaded value
    /// that is due, while) using the cached value; `nil` if the cached value will do.
    mutating func claim(now: ContinuousClock.Instant = .now) -> Ticket? {
        guard let checked else { return Ticket(generation: generation) }
        guard checked.duration(to: now) >= interval else { return nil }
        // The next callers use the cached value while this one checks. If its check
        // fails, the value is checked again after another interval.
        self.checked = now
        return Ticket(generation: generation)
    }

    /// The database was read under `ticket` at `now`: the value is fresh, unless it was
    /// invalidated since the ticket was given (the read may predate the change).
    mutating func checked(_ ticket: Ticket, now: ContinuousClock.Instant = .now) {
        if ticket.generation == generation { checked = now }
    }

    /// The value is known to be current as of `now` (this replica wrote it).
    mutating func current(now: ContinuousClock.Instant = .now) {
        generation += 1
        checked = now
    }

    /// The value changed in the database: every caller must read it again.
    mutating func invalidate() {
        generation += 1
        checked = nil
    }
}
