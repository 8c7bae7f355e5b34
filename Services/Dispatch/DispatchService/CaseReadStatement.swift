import Foundation
import PostgresNIO

/// `case.get`'s read in one round trip, prepared once per connection: the case as JSON, its
/// timeline as a JSON array (oldest first), and whether the caller reported it (first or
/// as a merged duplicate). No row when the case does not exist.
///
/// It used to be three statements (the case, the reporters, the timeline), each parsed and
/// planned on every call.
struct CaseReadStatement: PostgresPreparedStatement {
    typealias Row = (String, String, Bool)

    static let sql = """
        SELECT to_jsonb(c)::text,
            (SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.sequence), '[]'::jsonb)::text
             FROM dispatch.case_timeline t WHERE t.case_id = c.id),
            c.reporter = $2 OR EXISTS (SELECT 1 FROM dispatch.case_reporters r WHERE r.case_id = c.id AND r.reporter = $2)
        FROM dispatch.cases c
        WHERE c.id = $1
        """
    static let bindingDataTypes: [PostgresDataType] = [.uuid, .text]

    /// The case.
    var id: UUID
    /// The caller's subject.
    var subject: String

    func makeBindings() throws -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(id)
        binds.append(subject)
        return binds
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        try row.decode(Row.self)
    }
}
