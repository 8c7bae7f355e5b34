/// What one ``Migrator/apply(_:using:logger:)`` run did.
public struct MigrationReport: Sendable, Hashable {
    /// Migrations this run applied, in order.
    public var applied: [Migration]
    /// Migrations that were already recorded (with matching checksums) and were skipped.
    public var alreadyApplied: [Migration]

    /// Creates a report.
    public init(applied: [Migration] = [], alreadyApplied: [Migration] = []) {
        self.applied = applied
        self.alreadyApplied = alreadyApplied
    }
}
