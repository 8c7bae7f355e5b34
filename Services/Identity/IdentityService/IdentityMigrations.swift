public import DistrictStorage

/// The identity service's migrations (component `identity`), applied after the core ones.
public enum IdentityMigrations {
    /// The component name.
    public static let component = "identity"

    /// All identity migrations, in version order.
    public static let all: [Migration] = [orgTree, auditLog, accounts] + residents

    /// Version 1: the org tree, a materialised path per node in `ltree`, so that "is X
    /// inside Y" (`<@`) and "everything under Y" are GiST index lookups.
    public static let orgTree = Migration(
        component: component,
        version: 1,
        name: "org_tree",
        sql: """
        CREATE EXTENSION IF NOT EXISTS ltree;
        CREATE TABLE identity.org_nodes (
            id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            path ltree NOT NULL UNIQUE,
            code text NOT NULL,
            kind text NOT NULL,
            name text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT org_nodes_code_is_leaf CHECK (code = subpath(path, nlevel(path) - 1)::text)
        );
        CREATE INDEX org_nodes_path_gist ON identity.org_nodes USING GIST (path);
        """
    )

    /// Version 2: the audit log, append-only for everyone (a trigger refuses UPDATE,
    /// DELETE and TRUNCATE), read by the auditor role through `audit.list`.
    public static let auditLog = Migration(
        component: component,
        version: 2,
        name: "audit_log",
        sql: """
        CREATE TABLE identity.audit_log (
            id bigserial PRIMARY KEY,
            occurred_at timestamptz NOT NULL DEFAULT now(),
            actor_subject text NOT NULL,
            actor_name text NOT NULL,
            action text NOT NULL,
            outcome text NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
            target_kind text,
            target_id text,
            org_path ltree,
            details jsonb NOT NULL DEFAULT '{}'
        );
        CREATE INDEX audit_log_actor_idx ON identity.audit_log (actor_subject, id);
        CREATE INDEX audit_log_action_idx ON identity.audit_log (action, id);
        CREATE INDEX audit_log_org_path_gist ON identity.audit_log USING GIST (org_path);

        CREATE FUNCTION identity.refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
            RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = 'insufficient_privilege';
        END
        $fn$;
        CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON identity.audit_log
            FOR EACH ROW EXECUTE FUNCTION identity.refuse_audit_change();
        CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON identity.audit_log
            FOR EACH STATEMENT EXECUTE FUNCTION identity.refuse_audit_change();
        """
    )
}
