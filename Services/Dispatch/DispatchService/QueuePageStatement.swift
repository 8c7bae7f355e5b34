import PostgresNIO

/// A page of `case.queue`: a department's open cases under a path, oldest first, after an
/// optional cursor. Prepared once per connection: departments' systems read their queues
/// all day, and parsing and planning this statement cost PostgreSQL about 0.35 ms.
///
/// Its plan must not depend on the values, since a prepared statement soon runs a generic
/// plan: the page comes from `cases_queue_idx` (the department's cases in the queue's
/// states, by `seq`, starting after the cursor), the path is a filter on those rows, and
/// only the page's rows are turned into JSON. (The first version made JSON of the whole
/// queue before keeping a page, and its generic plan intersected the department's cases
/// with every case under the path: 305 ms a page under `mixed` load with 231,000 cases.)
struct QueuePageStatement: PostgresPreparedStatement {
    typealias Row = String

    static let sql = """
        SELECT to_jsonb(c)::text FROM dispatch.cases c
        WHERE c.seq IN (
            SELECT seq FROM dispatch.cases
            WHERE department = $1 AND state IN ('dispatched', 'escalated', 'claimed', 'in_progress')
              AND seq > COALESCE($3::bigint, 0) AND org_path <@ $2::ltree
            ORDER BY seq LIMIT $4)
        ORDER BY c.seq
        """
    /// Declared, so that a first page (no cursor, a null `$3`) does not decide the types.
    static let bindingDataTypes: [PostgresDataType] = [.text, .text, .int8, .int8]

    var department: String
    var path: String
    /// The `seq` of the last case of the previous page.
    var after: Int64?
    /// Rows to read (one more than the page, to know whether another follows).
    var limit: Int

    func makeBindings() throws -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(department)
        binds.append(path)
        binds.append(after)
        binds.append(limit)
        return binds
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        try row.decode(String.self)
    }
}
