extension CoreMigrations {
    /// Version 2: the event log (transactional outbox), consumer checkpoints and the commit-time NOTIFY.
    ///
    /// `tx_id` is the inserting transaction's id; readers order by `(tx_id, id)` and only read
    /// rows below the snapshot's xmin (see ``EventLog``).
    public static let eventLog = Migration(
        component: component,
        version: 2,
        name: "event_log",
        sql: """
        CREATE TABLE events.log (
            id bigserial PRIMARY KEY,
            tx_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
            stream text NOT NULL,
            type text NOT NULL,
            key text,
            org_path text,
            payload jsonb NOT NULL,
            occurred_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX log_tx_id_id_idx ON events.log (tx_id, id);
        CREATE INDEX log_stream_tx_id_id_idx ON events.log (stream, tx_id, id);

        CREATE TABLE events.consumer_checkpoints (
            consumer text PRIMARY KEY,
            tx_id xid8 NOT NULL DEFAULT '0',
            event_id bigint NOT NULL DEFAULT 0,
            updated_at timestamptz NOT NULL DEFAULT now()
        );

        -- NOTIFY is delivered at commit, so listeners wake when the events become committed.
        CREATE FUNCTION events.notify_appended() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
            PERFORM pg_notify('district_events', s.stream)
            FROM (SELECT DISTINCT stream FROM appended) AS s;
            RETURN NULL;
        END
        $fn$;

        CREATE TRIGGER log_notify_appended
            AFTER INSERT ON events.log
            REFERENCING NEW TABLE AS appended
            FOR EACH STATEMENT EXECUTE FUNCTION events.notify_appended();
        """
    )
}
