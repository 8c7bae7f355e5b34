import Foundation
import PostgresNIO

/// The read that starts every change of a case: the row as JSON, locked `FOR UPDATE` until
/// the transaction ends. Prepared once per connection.
struct LockedCaseStatement: PostgresPreparedStatement {
    typealias Row = String

    static let sql = "SELECT to_jsonb(c)::text FROM dispatch.cases c WHERE id = $1 FOR UPDATE"
    static let bindingDataTypes: [PostgresDataType] = [.uuid]

    /// The case.
    var id: UUID

    func makeBindings() throws -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(id)
        return binds
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        try row.decode(String.self)
    }
}
