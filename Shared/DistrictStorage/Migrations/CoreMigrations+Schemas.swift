extension CoreMigrations {
    /// Version 1: one schema per service plus `events`.
    public static let schemas = Migration(
        component: component,
        version: 1,
        name: "schemas",
        sql: """
        CREATE SCHEMA IF NOT EXISTS identity;
        CREATE SCHEMA IF NOT EXISTS dispatch;
        CREATE SCHEMA IF NOT EXISTS mediation;
        CREATE SCHEMA IF NOT EXISTS legal;
        CREATE SCHEMA IF NOT EXISTS notify;
        CREATE SCHEMA IF NOT EXISTS events;
        """
    )
}
