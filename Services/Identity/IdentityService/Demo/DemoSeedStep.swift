public import Logging
public import PostgresNIO

/// A further step of `districtctl seed demo`, run in the seed's transaction after the org
/// tree, households and residents: the extension point for data that other parts own.
///
/// Demo user accounts are meant to arrive this way: the accounts code adds a step that
/// creates ``DemoDistrict/accounts`` (role bindings at the listed paths) when they are
/// missing, and `districtctl seed demo` lists it in ``DemoSeeder/standardSteps``.
/// A step must be idempotent: a second run creates nothing and returns 0.
public protocol DemoSeedStep: Sendable {
    /// The step's name in the report, e.g. `users`.
    var name: String { get }

    /// Writes what is missing of the step's data for `district`; returns how many rows it added.
    func seed(_ district: DemoDistrict, on connection: PostgresConnection, logger: Logger) async throws -> Int
}
