import Foundation
import PostgresNIO

/// The two statements of the report path, public so that `districtctl bench
/// report-pgbench` can give pgbench exactly the SQL the service runs (`$1` is the JSON
/// array of the group's reports).
public enum ReportSQL {
    /// The read of a group (see `CheckReportsStatement`).
    public static let check = """
        WITH r AS (
            SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(
                i int, reporter text, key text, category text,
                min_lon float8, max_lon float8, min_lat float8, max_lat float8, since float8)
        )
        SELECT r.i, true, k.case_id, k.merged, NULL::float8, NULL::float8, NULL::timestamptz
        FROM r CROSS JOIN LATERAL (
            SELECT case_id, merged FROM dispatch.report_keys
            WHERE reporter = r.reporter AND idempotency_key = r.key LIMIT 1
        ) k
        UNION ALL
        SELECT r.i, false, c.id, false, c.lon, c.lat, c.reported_at
        FROM r CROSS JOIN LATERAL (
            SELECT id, lon, lat, reported_at FROM dispatch.cases
            WHERE category = r.category AND state NOT IN ('closed', 'rejected')
              AND lat BETWEEN r.min_lat AND r.max_lat AND lon BETWEEN r.min_lon AND r.max_lon
              AND reported_at >= to_timestamp(r.since)
            LIMIT 100
        ) c
        """

    /// The write of a group (see `InsertReportsStatement`).
    public static let insert = """
        WITH r AS (
            SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(
                i int, id uuid, sequence text, prefix text, state text, category text, district text,
                catalogue_version int, level text, title text, description text, channel text, reporter text,
                org_path text, lon float8, lat float8, reported_at float8, due_at float8, warn_at float8,
                attachments jsonb, key text, day date, month date, reported int,
                event_stream text, event_type text, event_key text, event_path text, payload text)
        ), k AS (
            INSERT INTO dispatch.report_keys (reporter, idempotency_key, case_id, merged)
            SELECT reporter, key, id, false FROM r WHERE key IS NOT NULL ORDER BY i
            ON CONFLICT DO NOTHING RETURNING case_id
        ), n AS (
            SELECT r.i, r.id, r.prefix, r.state, r.category, r.district, r.catalogue_version, r.level, r.title,
                r.description, r.channel, r.reporter, r.org_path, r.lon, r.lat, to_timestamp(r.reported_at) AS reported_at,
                to_timestamp(r.due_at) AS due_at, to_timestamp(r.warn_at) AS warn_at, r.attachments, r.day, r.month,
                r.reported, r.event_stream, r.event_type, r.event_key, r.event_path, r.payload::jsonb AS payload,
                nextval(r.sequence::regclass)::text AS serial
            FROM r
            WHERE r.key IS NULL OR r.id IN (SELECT case_id FROM k)
            ORDER BY r.i
        ), c AS (
            SELECT n.*, n.prefix || CASE WHEN length(n.serial) >= 6 THEN n.serial ELSE lpad(n.serial, 6, '0') END AS number FROM n
        ), cases AS (
            INSERT INTO dispatch.cases (id, number, state, category, district, catalogue_version, level, title, description,
                channel, reporter, org_path, lon, lat, reported_at, due_at, warn_at, attachments)
            SELECT id, number, state, category, district, catalogue_version, level, title, description,
                channel, reporter, org_path::ltree, lon, lat, reported_at, due_at, warn_at, attachments
            FROM c ORDER BY i
        ), reporters AS (
            INSERT INTO dispatch.case_reporters (case_id, reporter, reported_at, duplicate)
            SELECT id, reporter, reported_at, false FROM c
        ), timeline AS (
            INSERT INTO dispatch.case_timeline (case_id, sequence, at, actor, event, from_state, to_state, department, note)
            SELECT id, 1, reported_at, reporter, event_type, NULL, state, NULL, NULL FROM c
        ), daily AS (
            INSERT INTO dispatch.case_stats_daily AS s (day, org_path, department, reported)
            SELECT day, org_path::ltree, '', sum(reported) FROM c GROUP BY day, org_path ORDER BY day, org_path
            ON CONFLICT (day, org_path, department) DO UPDATE SET reported = s.reported + EXCLUDED.reported
        ), monthly AS (
            INSERT INTO dispatch.case_stats_monthly AS s (month, org_path, department, reported)
            SELECT month, org_path::ltree, '', sum(reported) FROM c GROUP BY month, org_path ORDER BY month, org_path
            ON CONFLICT (month, org_path, department) DO UPDATE SET reported = s.reported + EXCLUDED.reported
        ), events AS (
            INSERT INTO events.log (stream, type, key, org_path, payload)
            SELECT event_stream, event_type, event_key, event_path, jsonb_set(payload, '{number}', to_jsonb(number)) FROM c ORDER BY i
        )
        SELECT i, number FROM c
        """
}

/// The read of a report group, prepared once per connection (no parse or plan per group):
/// for each report (`$1`: a JSON array of `i`, `reporter`, `key`, `category`, the 50 m box
/// and `since`, Unix seconds), the case an earlier use of its key made or joined, and the
/// open cases of its category in its box reported since `since`.
struct CheckReportsStatement: ReportGroupStatement {
    static var sql: String { ReportSQL.check }
    typealias Row = (Int, Bool, UUID, Bool, Double?, Double?, Date?)

    /// The reports, as `ReportWriter` writes them.
    var json: String

    func decodeRow(_ row: PostgresRow) throws -> Row {
        try row.decode(Row.self)
    }
}

/// The write of a report group, prepared once per connection: the keys, cases (numbered from
/// their district's sequence), reporters, timeline entries, statistics and events of the
/// reports in `$1` (a JSON array, as `ReportWriter` writes it), in one statement and so
/// one transaction. Returns `(i, number)` for each report stored; a report whose key another
/// request took meanwhile writes nothing and is not returned.
struct InsertReportsStatement: ReportGroupStatement {
    static var sql: String { ReportSQL.insert }
    typealias Row = (Int, String)

    /// The reports, as `ReportWriter` writes them.
    var json: String

    func decodeRow(_ row: PostgresRow) throws -> Row {
        try row.decode(Row.self)
    }
}

/// A prepared statement of the report path: its one parameter is the group as a JSON array.
protocol ReportGroupStatement: PostgresPreparedStatement {
    /// The reports, as `ReportWriter` writes them.
    var json: String { get }
}

extension ReportGroupStatement {
    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(json)
        return bindings
    }
}
