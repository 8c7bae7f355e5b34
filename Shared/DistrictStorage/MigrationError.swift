/// Migrations were refused.
public struct MigrationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem it is. New codes may be added without breaking callers.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// Stable snake_case name of the code.
        public let rawValue: String
        private init(_ rawValue: String) { self.rawValue = rawValue }

        /// An applied migration's SQL changed since it was applied.
        public static let checksumMismatch = Code("checksum_mismatch")
        /// Two migrations in the list share a component and version.
        public static let duplicateMigration = Code("duplicate_migration")
        /// A migration's SQL cannot be run (e.g. it contains the reserved dollar-quote tag).
        public static let invalidMigration = Code("invalid_migration")

        /// The snake_case name.
        public var description: String { self.rawValue }
    }

    /// The kind of problem.
    public var code: Code
    /// Component of the offending migration.
    public var component: String
    /// Version of the offending migration.
    public var version: Int
    /// A human-readable explanation.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, component: String, version: Int, message: String) {
        self.code = code
        self.component = component
        self.version = version
        self.message = message
    }

    /// `code component/version: message`.
    public var description: String { "\(self.code) \(self.component)/\(self.version): \(self.message)" }
}
