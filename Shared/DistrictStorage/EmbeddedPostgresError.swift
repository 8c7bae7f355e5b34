/// Managing a local PostgreSQL cluster failed.
public struct EmbeddedPostgresError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem it is. New codes may be added without breaking callers.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// Stable snake_case name of the code.
        public let rawValue: String
        private init(_ rawValue: String) { self.rawValue = rawValue }

        /// No PostgreSQL server binaries were found.
        public static let binariesNotFound = Code("binaries_not_found")
        /// A PostgreSQL command (initdb, pg_ctl, createdb) exited with an error.
        public static let commandFailed = Code("command_failed")
        /// Running as root, but the `postgres` system user does not exist.
        public static let postgresUserMissing = Code("postgres_user_missing")
        /// No free TCP port could be found.
        public static let noFreePort = Code("no_free_port")

        /// The snake_case name.
        public var description: String { self.rawValue }
    }

    /// The kind of problem.
    public var code: Code
    /// A human-readable explanation, with the command's output where there is one.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `code: message`.
    public var description: String { "\(self.code): \(self.message)" }
}
