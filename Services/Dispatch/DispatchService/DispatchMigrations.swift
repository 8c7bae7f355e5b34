public import DistrictStorage

/// The dispatch service's migrations (component `dispatch`), applied after the core ones.
///
/// No foreign key points into `identity`: the services' migrations are applied in any
/// order on a fresh database, so dispatch checks org nodes when it writes (a grid must be
/// an existing `grid` node) and keeps its stored paths current from `org.moved` events.
public enum DispatchMigrations {
    /// The component name.
    public static let component = "dispatch"

    /// All dispatch migrations, in version order.
    public static let all: [Migration] = [gridsAndCatalogue, cases, caseStatsDaily, caseStatsMonthly, manualLinks, queueIndex]

    /// Version 1: grid boundaries with their boxes (an index narrows point lookups to a
    /// few polygons, tested in Swift), and the versioned matter catalogue.
    public static let gridsAndCatalogue = Migration(
        component: component,
        version: 1,
        name: "grids_and_catalogue",
        sql: """
        CREATE EXTENSION IF NOT EXISTS ltree;
        CREATE TABLE dispatch.grids (
            path ltree PRIMARY KEY,
            boundary jsonb NOT NULL,
            legacy_grids jsonb NOT NULL DEFAULT '[]',
            min_lon double precision NOT NULL,
            min_lat double precision NOT NULL,
            max_lon double precision NOT NULL,
            max_lat double precision NOT NULL,
            updated_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX grids_box_idx ON dispatch.grids (min_lon, max_lon, min_lat, max_lat);
        CREATE INDEX grids_path_gist ON dispatch.grids USING GIST (path);

        CREATE TABLE dispatch.catalogue_versions (
            district text NOT NULL,
            version int NOT NULL CHECK (version > 0),
            published_at timestamptz NOT NULL,
            published_by text NOT NULL,
            categories jsonb NOT NULL,
            PRIMARY KEY (district, version)
        );
        """
    )

    /// Version 2: cases, their timeline, reporters (duplicates merged in) and report keys.
    public static let cases = Migration(
        component: component,
        version: 2,
        name: "cases",
        sql: """
        CREATE TABLE dispatch.cases (
            id uuid PRIMARY KEY,
            seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
            number text NOT NULL UNIQUE,
            state text NOT NULL,
            category text NOT NULL,
            district text NOT NULL,
            catalogue_version int NOT NULL,
            level text NOT NULL,
            title text NOT NULL,
            description text NOT NULL,
            channel text NOT NULL,
            reporter text NOT NULL,
            org_path ltree NOT NULL,
            lon double precision,
            lat double precision,
            department text,
            assignee text,
            reported_at timestamptz NOT NULL,
            accepted_at timestamptz,
            dispatched_at timestamptz,
            resolved_at timestamptz,
            closed_at timestamptz,
            due_at timestamptz,
            warn_at timestamptz,
            warned boolean NOT NULL DEFAULT false,
            overdue boolean NOT NULL DEFAULT false,
            was_overdue boolean NOT NULL DEFAULT false,
            escalation_level text NOT NULL DEFAULT 'grid',
            whistle jsonb,
            reopen_count int NOT NULL DEFAULT 0,
            return_count int NOT NULL DEFAULT 0,
            supervisor_review boolean NOT NULL DEFAULT false,
            satisfaction text,
            duplicate_reports int NOT NULL DEFAULT 0,
            attachments jsonb NOT NULL DEFAULT '[]',
            version int NOT NULL DEFAULT 1,
            FOREIGN KEY (district, catalogue_version) REFERENCES dispatch.catalogue_versions (district, version)
        );
        CREATE INDEX cases_path_gist ON dispatch.cases USING GIST (org_path);
        CREATE INDEX cases_department_idx ON dispatch.cases (department, seq) WHERE department IS NOT NULL;
        CREATE INDEX cases_reporter_idx ON dispatch.cases (reporter, seq);
        CREATE INDEX cases_duplicate_idx ON dispatch.cases (category, lat, lon) WHERE state NOT IN ('closed', 'rejected');
        CREATE INDEX cases_warn_idx ON dispatch.cases (warn_at) WHERE NOT warned AND state NOT IN ('closed', 'rejected', 'resolved', 'verified');
        CREATE INDEX cases_due_idx ON dispatch.cases (due_at) WHERE NOT overdue AND state NOT IN ('closed', 'rejected', 'resolved', 'verified');

        CREATE TABLE dispatch.case_timeline (
            case_id uuid NOT NULL REFERENCES dispatch.cases (id),
            sequence int NOT NULL,
            at timestamptz NOT NULL,
            actor text NOT NULL,
            event text NOT NULL,
            from_state text,
            to_state text NOT NULL,
            department text,
            note text,
            PRIMARY KEY (case_id, sequence)
        );

        CREATE TABLE dispatch.case_reporters (
            case_id uuid NOT NULL REFERENCES dispatch.cases (id),
            reporter text NOT NULL,
            reported_at timestamptz NOT NULL,
            duplicate boolean NOT NULL,
            PRIMARY KEY (case_id, reporter)
        );
        CREATE INDEX case_reporters_reporter_idx ON dispatch.case_reporters (reporter);

        CREATE TABLE dispatch.report_keys (
            reporter text NOT NULL,
            idempotency_key text NOT NULL,
            case_id uuid NOT NULL REFERENCES dispatch.cases (id) DEFERRABLE INITIALLY DEFERRED,
            merged boolean NOT NULL,
            PRIMARY KEY (reporter, idempotency_key)
        );
        """
    )

    /// Version 3: daily statistics roll-ups per place and department, kept in the same
    /// transaction as each case change (see `CaseTally`), filled from the timelines of the
    /// cases already there (the on-time and satisfaction parts from the cases' current state).
    public static let caseStatsDaily = Migration(
        component: component,
        version: 3,
        name: "case_stats_daily",
        sql: """
        CREATE TABLE dispatch.case_stats_daily (
            day date NOT NULL,
            org_path ltree NOT NULL,
            department text NOT NULL DEFAULT '',
            reported int NOT NULL DEFAULT 0,
            duplicates int NOT NULL DEFAULT 0,
            accepted int NOT NULL DEFAULT 0,
            rejected int NOT NULL DEFAULT 0,
            closed int NOT NULL DEFAULT 0,
            closed_on_time int NOT NULL DEFAULT 0,
            seconds_to_close bigint NOT NULL DEFAULT 0,
            rated int NOT NULL DEFAULT 0,
            satisfied int NOT NULL DEFAULT 0,
            returned int NOT NULL DEFAULT 0,
            reopened int NOT NULL DEFAULT 0,
            PRIMARY KEY (day, org_path, department)
        );
        CREATE INDEX case_stats_daily_path_gist ON dispatch.case_stats_daily USING GIST (org_path);
        CREATE INDEX case_stats_daily_day_idx ON dispatch.case_stats_daily (day);
        CREATE INDEX cases_assignee_closed_idx ON dispatch.cases (assignee, closed_at) WHERE state = 'closed';

        INSERT INTO dispatch.case_stats_daily AS s (day, org_path, department, reported, duplicates, accepted, rejected, closed,
            closed_on_time, seconds_to_close, rated, satisfied, returned, reopened)
        SELECT ((t.at AT TIME ZONE 'UTC') + interval '8 hours')::date, c.org_path, coalesce(t.department, c.department, ''),
            count(*) FILTER (WHERE t.event = 'case.reported'),
            count(*) FILTER (WHERE t.event = 'case.duplicate_merged'),
            count(*) FILTER (WHERE t.event = 'case.accepted'),
            count(*) FILTER (WHERE t.event = 'case.rejected'),
            count(*) FILTER (WHERE t.event = 'case.closed'),
            count(*) FILTER (WHERE t.event = 'case.closed' AND NOT c.was_overdue),
            coalesce(sum(extract(epoch FROM t.at - c.reported_at)::bigint) FILTER (WHERE t.event = 'case.closed'), 0),
            count(*) FILTER (WHERE t.event IN ('case.rated', 'case.reopened')),
            count(*) FILTER (WHERE t.event = 'case.rated' AND c.satisfaction IN ('satisfied', 'basically_satisfied')),
            count(*) FILTER (WHERE t.event = 'case.returned'),
            count(*) FILTER (WHERE t.event = 'case.reopened')
        FROM dispatch.case_timeline t JOIN dispatch.cases c ON c.id = t.case_id
        GROUP BY 1, 2, 3;
        """
    )

    /// Version 4: monthly roll-ups beside the daily ones, so a year's figures read twelve
    /// months instead of 365 days (see `docs/benchmarks.md`); filled from the daily ones.
    public static let caseStatsMonthly = Migration(
        component: component,
        version: 4,
        name: "case_stats_monthly",
        sql: """
        CREATE TABLE dispatch.case_stats_monthly (LIKE dispatch.case_stats_daily INCLUDING DEFAULTS);
        ALTER TABLE dispatch.case_stats_monthly RENAME COLUMN day TO month;
        ALTER TABLE dispatch.case_stats_monthly ADD PRIMARY KEY (month, org_path, department),
            ADD CONSTRAINT case_stats_monthly_first_day CHECK (extract(day FROM month) = 1);
        CREATE INDEX case_stats_monthly_path_gist ON dispatch.case_stats_monthly USING GIST (org_path);

        INSERT INTO dispatch.case_stats_monthly (month, org_path, department, reported, duplicates, accepted, rejected, closed,
            closed_on_time, seconds_to_close, rated, satisfied, returned, reopened)
        SELECT date_trunc('month', day)::date, org_path, department, sum(reported), sum(duplicates), sum(accepted), sum(rejected),
            sum(closed), sum(closed_on_time), sum(seconds_to_close), sum(rated), sum(satisfied), sum(returned), sum(reopened)
        FROM dispatch.case_stats_daily GROUP BY 1, 2, 3;
        """
    )

    /// Version 5: manual links of duplicates (`case.link` / `case.unlink`): which case a
    /// linked case went into and the state it had, and which reporters joined by a link.
    public static let manualLinks = Migration(
        component: component,
        version: 5,
        name: "manual_links",
        sql: """
        ALTER TABLE dispatch.cases ADD COLUMN merged_into uuid REFERENCES dispatch.cases (id), ADD COLUMN state_before_link text,
            ADD CONSTRAINT cases_link_complete CHECK ((merged_into IS NULL) = (state_before_link IS NULL));
        ALTER TABLE dispatch.case_reporters ADD COLUMN linked_from uuid REFERENCES dispatch.cases (id);
        CREATE INDEX cases_merged_into_idx ON dispatch.cases (merged_into) WHERE merged_into IS NOT NULL;
        """
    )

    /// Version 6: a department's queue in order (`case.queue`): its cases in the queue's states
    /// by `seq`. Through `cases_department_idx` a page read every case the department ever
    /// had (closed ones too) and, planned generically, intersected it with every case under
    /// the path: 44 ms for a page with 231,000 cases in the district, against under 1 ms now.
    public static let queueIndex = Migration(
        component: component,
        version: 6,
        name: "queue_index",
        sql: """
        CREATE INDEX cases_queue_idx ON dispatch.cases (department, seq)
            WHERE state IN ('dispatched', 'escalated', 'claimed', 'in_progress');
        """
    )
}
