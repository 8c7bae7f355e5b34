import DispatchDomain
import Foundation
import PostgresNIO

/// The statement of the report path, public so that `districtctl bench report-pgbench` can
/// give pgbench exactly the SQL the service runs (`$1` is the JSON array of the group's
/// reports).
public enum ReportSQL {
    /// The 50 m duplicate rule's distance between report `r` and case `c` in metres: the
    /// haversine of ``GeoDistance/meters(_:_:)``, with the same earth radius.
    static let distance = """
        2 * \(GeoDistance.earthRadius) * asin(least(1, sqrt(
            power(sin(radians(c.lat - r.lat) / 2), 2)
            + cos(radians(r.lat)) * cos(radians(c.lat)) * power(sin(radians(c.lon - r.lon) / 2), 2))))
        """

    /// The write of a group (see `StoreReportsStatement`): for each report, in one statement
    /// and so one transaction,
    /// - an earlier use of its idempotency key: nothing is written for it (`earlier`);
    /// - else the nearest open case of its category within ``DuplicateRule/radius`` metres,
    ///   reported within ``DuplicateRule/window`` of it (`duplicate`, with the case's place);
    ///   nothing is written for it;
    /// - else, if no earlier report of the group lies within the radius (`anchor` is null),
    ///   its key, its case numbered from its district's sequence, reporter, timeline entry,
    ///   statistics and event (`created`, with the number); a report whose key another
    ///   request took meanwhile writes nothing and returns no row.
    public static let store = """
        WITH r AS (
            SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(
                i int, id uuid, sequence text, prefix text, state text, category text, district text,
                catalogue_version int, level text, title text, description text, channel text, reporter text,
                org_path text, lon float8, lat float8, reported_at float8, due_at float8, warn_at float8,
                attachments jsonb, key text, day date, month date, reported int,
                event_stream text, event_type text, event_key text, event_path text, payload text,
                min_lon float8, max_lon float8, min_lat float8, max_lat float8, anchor int)
        ), earlier AS (
            SELECT r.i, k.case_id, k.merged FROM r CROSS JOIN LATERAL (
                SELECT case_id, merged FROM dispatch.report_keys
                WHERE reporter = r.reporter AND idempotency_key = r.key LIMIT 1
            ) k
        ), near AS (
            SELECT r.i, n.id, n.lon, n.lat FROM r CROSS JOIN LATERAL (
                SELECT c.id, c.lon, c.lat FROM dispatch.cases c
                WHERE c.category = r.category AND c.state NOT IN ('closed', 'rejected')
                  AND c.lat BETWEEN r.min_lat AND r.max_lat AND c.lon BETWEEN r.min_lon AND r.max_lon
                  AND c.reported_at BETWEEN to_timestamp(r.reported_at - \(DuplicateRule.window))
                                        AND to_timestamp(r.reported_at + \(DuplicateRule.window))
                  AND \(distance) <= \(DuplicateRule.radius)
                ORDER BY \(distance), c.id LIMIT 1
            ) n
            WHERE r.i NOT IN (SELECT i FROM earlier)
        ), fresh AS (
            SELECT * FROM r
            WHERE r.anchor IS NULL AND r.i NOT IN (SELECT i FROM earlier) AND r.i NOT IN (SELECT i FROM near)
        ), k AS (
            INSERT INTO dispatch.report_keys (reporter, idempotency_key, case_id, merged)
            SELECT reporter, key, id, false FROM fresh WHERE key IS NOT NULL ORDER BY i
            ON CONFLICT DO NOTHING RETURNING case_id
        ), n AS (
            SELECT f.i, f.id, f.prefix, f.state, f.category, f.district, f.catalogue_version, f.level, f.title,
                f.description, f.channel, f.reporter, f.org_path, f.lon, f.lat, to_timestamp(f.reported_at) AS reported_at,
                to_timestamp(f.due_at) AS due_at, to_timestamp(f.warn_at) AS warn_at, f.attachments, f.day, f.month,
                f.reported, f.event_stream, f.event_type, f.event_key, f.event_path, f.payload::jsonb AS payload,
                nextval(f.sequence::regclass)::text AS serial
            FROM fresh f
            WHERE f.key IS NULL OR f.id IN (SELECT case_id FROM k)
            ORDER BY f.i
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
        SELECT i, 'created', number, NULL::uuid, NULL::bool, NULL::float8, NULL::float8 FROM c
        UNION ALL
        SELECT i, 'earlier', NULL, case_id, merged, NULL, NULL FROM earlier
        UNION ALL
        SELECT i, 'duplicate', NULL, id, NULL, lon, lat FROM near
        """
}

/// The write of a report group, prepared once per connection (no parse or plan per group):
/// ``ReportSQL/store`` over the reports in `$1` (a JSON array, as `ReportWriter` writes it).
/// Returns one row per report that was `created` (with its number), had used its key
/// `earlier` (the case and whether it was merged) or lies near an open `duplicate` (the
/// case and its place); none for the others.
struct StoreReportsStatement: PostgresPreparedStatement {
    static var sql: String { ReportSQL.store }
    typealias Row = (Int, String, String?, UUID?, Bool?, Double?, Double?)

    /// The reports, as `ReportWriter` writes them.
    var json: String

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(json)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        try row.decode(Row.self)
    }
}
