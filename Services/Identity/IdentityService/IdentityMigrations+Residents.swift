public import DistrictStorage

extension IdentityMigrations {
    /// The residents' migrations (versions from 10 on, so that they never collide with
    /// the accounts' migrations, which count up from 3).
    public static let residents: [Migration] = [householdsAndResidents]

    /// Version 10: households at building or unit nodes, and their residents.
    ///
    /// Phone and ID-card numbers are stored sealed (AES-GCM under the district secret,
    /// `*_sealed`) beside an HMAC of the normalised value (`*_hash`) for exact search;
    /// never in the clear. A household refers to its node by id, so it follows the node
    /// when the node moves. An ID-card number registers one resident at most.
    public static let householdsAndResidents = Migration(
        component: component,
        version: 10,
        name: "households_residents",
        sql: """
        CREATE TABLE identity.households (
            id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            org_node_id uuid NOT NULL REFERENCES identity.org_nodes (id) ON DELETE RESTRICT,
            door text NOT NULL CHECK (length(door) BETWEEN 1 AND 16),
            created_at timestamptz NOT NULL DEFAULT now(),
            UNIQUE (org_node_id, door)
        );
        CREATE TABLE identity.residents (
            id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            household_id uuid NOT NULL REFERENCES identity.households (id) ON DELETE RESTRICT,
            name text NOT NULL CHECK (length(name) BETWEEN 1 AND 32),
            phone_sealed bytea,
            phone_hash text,
            id_number_sealed bytea,
            id_number_hash text,
            created_at timestamptz NOT NULL DEFAULT now(),
            CHECK ((phone_sealed IS NULL) = (phone_hash IS NULL)),
            CHECK ((id_number_sealed IS NULL) = (id_number_hash IS NULL))
        );
        CREATE INDEX residents_household_idx ON identity.residents (household_id);
        CREATE INDEX residents_phone_hash_idx ON identity.residents (phone_hash) WHERE phone_hash IS NOT NULL;
        CREATE UNIQUE INDEX residents_id_number_hash_key ON identity.residents (id_number_hash) WHERE id_number_hash IS NOT NULL;
        """
    )
}
