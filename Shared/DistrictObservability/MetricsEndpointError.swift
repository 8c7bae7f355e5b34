/// Errors ``MetricsEndpoint`` reports.
///
/// A struct with static codes rather than an enum, so new codes never break callers.
public struct MetricsEndpointError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case alreadyStarted
            case notListening
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// `run()` was called more than once on the same endpoint.
        public static let alreadyStarted = Code(.alreadyStarted)
        /// The endpoint stopped (or failed to bind) before it was listening, or has already stopped.
        public static let notListening = Code(.notListening)

        /// A short name for the code.
        public var description: String {
            switch self.base {
            case .alreadyStarted: "alreadyStarted"
            case .notListening: "notListening"
            }
        }
    }

    /// What went wrong.
    public var code: Code

    /// Creates an error with the given code.
    public init(code: Code) {
        self.code = code
    }

    /// `run()` was called more than once on the same endpoint.
    public static let alreadyStarted = MetricsEndpointError(code: .alreadyStarted)
    /// The endpoint is not (or no longer, or never got) listening.
    public static let notListening = MetricsEndpointError(code: .notListening)

    /// A readable description of the error.
    public var description: String {
        "MetricsEndpointError.\(self.code)"
    }
}
