public import DistrictProtocol
public import Foundation

/// Methods every district service answers.
public enum SystemAPI {
    /// `system.health`: is the service up, which version, how long, and can it reach its
    /// database. Needs no token, so that health checks and `districtctl status` work.
    public enum Health: MethodDescriptor {
        public static let name = "system.health"
        public typealias Params = Empty

        /// The health report.
        public struct Result: Codable, Sendable, Hashable {
            /// `ok` when the service can serve, `degraded` when its database is unreachable.
            public var status: String
            /// The service name, e.g. `dispatch`.
            public var service: String
            /// The build version.
            public var version: String
            /// Seconds since the process started.
            public var uptimeSeconds: Double
            /// `ok`, `unreachable`, or `not_configured`.
            public var database: String
            /// When the report was made.
            public var time: Date

            /// Creates a health report.
            public init(status: String, service: String, version: String, uptimeSeconds: Double, database: String, time: Date) {
                self.status = status
                self.service = service
                self.version = version
                self.uptimeSeconds = uptimeSeconds
                self.database = database
                self.time = time
            }
        }
    }

    /// `system.echo`: returns its parameters; for protocol tests, benchmarks and
    /// departments checking their integration end to end.
    public enum Echo: MethodDescriptor {
        public static let name = "system.echo"

        /// What to echo.
        public struct Params: Codable, Sendable, Hashable {
            /// Any text up to the frame limit.
            public var text: String
            /// If set, the server waits this many milliseconds before answering (0 … 10,000),
            /// which lets tests and load tools observe out-of-order answers and queueing.
            public var delayMs: Int?

            /// Creates echo parameters.
            public init(text: String, delayMs: Int? = nil) {
                self.text = text
                self.delayMs = delayMs
            }
        }

        /// The echoed text.
        public struct Result: Codable, Sendable, Hashable {
            /// The text sent.
            public var text: String
            /// Creates an echo result.
            public init(text: String) { self.text = text }
        }
    }
}
