import DistrictStorage

extension IdentityMigrations {
    /// Version 3: staff accounts, role bindings by org node id, login throttling, refresh
    /// token families, the sealed signing keys and department service accounts.
    ///
    /// - Role bindings name the node by id, so a binding follows its node when the subtree
    ///   moves; tokens carry the node's path as it is when they are issued.
    /// - `login_throttle` is keyed by a keyed hash of the lower-cased login name, whether
    ///   or not an account of that name exists, so that a lockout reveals nothing.
    /// - Refresh tokens and API keys are stored only as keyed hashes.
    /// - A trigger refuses a second administrator role for one account (三员分立), even for
    ///   writes that bypass the service.
    /// - `signing_keys` holds private keys sealed with the district secret; at most one is
    ///   current (not retired). Its public half lives in `identity.token_keys`.
    static let accounts = Migration(
        component: component,
        version: 3,
        name: "accounts",
        sql: """
        CREATE TABLE identity.users (
            id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            login_name text NOT NULL CHECK (login_name ~ '^[A-Za-z0-9._-]{3,64}$'),
            display_name text NOT NULL,
            department text,
            password_hash text NOT NULL,
            disabled_at timestamptz,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE UNIQUE INDEX users_login_name_key ON identity.users (lower(login_name));

        CREATE TABLE identity.role_bindings (
            id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            user_id uuid NOT NULL REFERENCES identity.users (id),
            role text NOT NULL,
            node_id uuid NOT NULL REFERENCES identity.org_nodes (id),
            department text NOT NULL DEFAULT '',
            granted_by text NOT NULL,
            granted_at timestamptz NOT NULL DEFAULT now(),
            UNIQUE (user_id, role, node_id, department)
        );
        CREATE INDEX role_bindings_node_idx ON identity.role_bindings (node_id);

        -- Separation of duties, also against writes that bypass the service.
        CREATE FUNCTION identity.refuse_second_admin_role() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
            IF NEW.role IN ('system_administrator', 'security_administrator', 'auditor') AND EXISTS (
                SELECT 1 FROM identity.role_bindings
                WHERE user_id = NEW.user_id AND id <> NEW.id AND role <> NEW.role
                  AND role IN ('system_administrator', 'security_administrator', 'auditor')
            ) THEN
                RAISE EXCEPTION 'an account may hold only one of the administrator roles' USING ERRCODE = 'check_violation';
            END IF;
            RETURN NEW;
        END
        $fn$;
        CREATE TRIGGER role_bindings_one_admin_role BEFORE INSERT OR UPDATE ON identity.role_bindings
            FOR EACH ROW EXECUTE FUNCTION identity.refuse_second_admin_role();

        CREATE TABLE identity.login_throttle (
            login_key text PRIMARY KEY,
            failures int NOT NULL DEFAULT 0,
            window_started_at timestamptz,
            locked_until timestamptz
        );

        CREATE TABLE identity.refresh_families (
            id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            user_id uuid NOT NULL REFERENCES identity.users (id),
            created_at timestamptz NOT NULL,
            revoked_at timestamptz,
            revoked_reason text
        );
        CREATE INDEX refresh_families_user_idx ON identity.refresh_families (user_id);

        CREATE TABLE identity.refresh_tokens (
            token_hash text PRIMARY KEY,
            family_id uuid NOT NULL REFERENCES identity.refresh_families (id),
            issued_at timestamptz NOT NULL,
            expires_at timestamptz NOT NULL,
            used_at timestamptz
        );
        CREATE INDEX refresh_tokens_family_idx ON identity.refresh_tokens (family_id);

        CREATE TABLE identity.signing_keys (
            kid text PRIMARY KEY REFERENCES identity.token_keys (kid),
            sealed_private_key bytea NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            retired_at timestamptz
        );
        CREATE UNIQUE INDEX signing_keys_one_current ON identity.signing_keys ((true)) WHERE retired_at IS NULL;

        CREATE TABLE identity.service_accounts (
            id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            name text NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9._-]{3,64}$'),
            department text NOT NULL,
            key_hash text NOT NULL UNIQUE,
            key_prefix text NOT NULL,
            created_by text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            revoked_at timestamptz
        );
        """
    )
}
