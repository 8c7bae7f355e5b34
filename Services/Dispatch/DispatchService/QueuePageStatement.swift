import PostgresNIO

/// A page of `case.queue`: a department's open cases under a path, oldest first, after an
/// optional cursor. Prepared once per connection: departments' systems read their queues
/// all day, and parsing and planning this statement cost PostgreSQL about 0.35 ms against
/// 0.01 ms to run it (an index scan on `(department, seq)` whatever the values).
struct QueuePageStatement: PostgresPreparedStatement {
    typealias Row = String

    static let sql = """
        SELECT to_jsonb(c)::text FROM dispatch.cases c
        WHERE department = $1 AND org_path <@ $2::ltree
          AND state IN ('dispatched', 'escalated', 'claimed', 'in_progress')
          AND ($3::bigint IS NULL OR seq > $3)
        ORDER BY seq LIMIT $4
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
