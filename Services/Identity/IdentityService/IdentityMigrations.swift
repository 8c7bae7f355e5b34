public import DistrictStorage

/// The identity service's migrations (component `identity`), applied after the core ones.
public enum IdentityMigrations {
    /// The component name.
    public static let component = "identity"

    /// All identity migrations, in version order.
    public static let all: [Migration] = [orgTree]

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
}
