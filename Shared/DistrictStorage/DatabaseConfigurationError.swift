/// A database configuration could not be read.
public struct DatabaseConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem it is. New codes may be added without breaking callers.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// Stable snake_case name of the code.
        public let rawValue: String
        private init(_ rawValue: String) { self.rawValue = rawValue }

        /// The URL is malformed or has unsupported parts.
        public static let invalidURL = Code("invalid_url")

        /// The password file named in the environment is missing, unreadable or empty.
        public static let passwordFile = Code("password_file")

        /// The snake_case name.
        public var description: String { self.rawValue }
    }

    /// The kind of problem.
    public var code: Code
    /// A human-readable explanation (never contains the password).
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `code: message`.
    public var description: String { "\(self.code): \(self.message)" }
}
