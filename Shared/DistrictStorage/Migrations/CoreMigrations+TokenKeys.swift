extension CoreMigrations {
    /// Version 3: the published token-verification keys.
    ///
    /// The identity service writes a row per signing key (public half only) before it
    /// signs a token with it; every service reads the rows to verify tokens locally. A
    /// retired key stays readable until the tokens it signed have expired.
    public static let tokenKeys = Migration(
        component: component,
        version: 3,
        name: "token_keys",
        sql: """
        CREATE TABLE identity.token_keys (
            kid text PRIMARY KEY CHECK (kid ~ '^[A-Za-z0-9._-]{1,64}$'),
            public_key text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            retired_at timestamptz
        );
        """
    )
}
