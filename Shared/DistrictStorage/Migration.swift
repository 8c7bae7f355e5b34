import Crypto
import Foundation

/// One versioned SQL migration of one component (e.g. `core`, `identity`).
///
/// The SQL may hold several statements; it runs in one transaction together with its bookkeeping row.
public struct Migration: Sendable, Hashable {
    /// Owner of the migration, e.g. `"core"` or `"identity"`; versions are per component.
    public var component: String
    /// Position within the component, starting at 1.
    public var version: Int
    /// Short human-readable name.
    public var name: String
    /// The SQL body, possibly several statements.
    public var sql: String

    /// Creates a migration.
    public init(component: String, version: Int, name: String, sql: String) {
        self.component = component
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// Lower-case hex SHA-256 of ``sql``; an applied migration must never change it.
    public var checksum: String {
        SHA256.hash(data: Data(self.sql.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// `component/version`, for messages.
    public var id: String { "\(self.component)/\(self.version)" }
}
