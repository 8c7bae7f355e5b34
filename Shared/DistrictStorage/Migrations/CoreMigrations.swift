/// The shared migrations of component `core`: per-service schemas and the event log.
///
/// Services apply these first, then their own component's migrations.
public enum CoreMigrations {
    /// The component name of the shared migrations.
    public static let component = "core"

    /// All core migrations, in version order.
    public static let all: [Migration] = [schemas, eventLog, tokenKeys, eventRead]
}
