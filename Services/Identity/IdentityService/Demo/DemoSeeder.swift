import DistrictContracts
public import DistrictStorage
import Foundation
public import Logging
import PostgresNIO

/// What a demo seed wrote, and what was there already.
public struct DemoSeedReport: Sendable, Hashable {
    /// Org nodes inserted by this run.
    public var nodesAdded = 0
    /// Households inserted by this run.
    public var householdsAdded = 0
    /// Residents inserted by this run.
    public var residentsAdded = 0
    /// Rows added by each extension step, by name.
    public var stepsAdded: [String: Int] = [:]
    /// Org nodes under the demo root after the run.
    public var nodesTotal = 0
    /// Households under the demo root after the run.
    public var householdsTotal = 0
    /// Residents under the demo root after the run.
    public var residentsTotal = 0

    /// Whether this run changed nothing (the demo district was already complete).
    public var changedNothing: Bool {
        nodesAdded == 0 && householdsAdded == 0 && residentsAdded == 0 && stepsAdded.values.allSatisfy { $0 == 0 }
    }
}

/// Writes a ``DemoDistrict`` in one transaction, adding only what is missing: nodes by
/// path, households by (node, door), residents by ID-card number. A second run adds
/// nothing. Set-based statements throughout (arrays through `unnest`).
public enum DemoSeeder {
    /// The extension steps `districtctl seed demo` runs (demo users will be added here).
    public static let standardSteps: [any DemoSeedStep] = []

    /// Seeds `district` into `database`, sealing personal data with `secret`.
    public static func seed(
        _ district: DemoDistrict, secret: IdentitySecret, database: Database, steps: [any DemoSeedStep] = standardSteps, logger: Logger
    ) async throws -> DemoSeedReport {
        let plan = try OrgImportPlan(rows: district.nodes, under: nil)
        let root = DemoDistrict.rootCode
        return try await database.withTransaction { connection in
            // One seed at a time; a concurrent second one then finds everything present.
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext('identity.demo_seed'))", logger: logger)
            var report = DemoSeedReport()
            report.nodesAdded = try await OrgImportWriter.insertMissing(plan, on: connection, logger: logger)
            if report.nodesAdded > 0 {
                let event = try NewEvent(
                    stream: OrgHandlers.eventStream, type: "org.imported", key: root, orgPath: root,
                    payload: OrgImportHandlers.ImportedEvent(parentPath: nil, rootPaths: [root], imported: report.nodesAdded, kinds: [:]))
                try await EventLog.append([event], on: connection, logger: logger)
            }
            report.householdsAdded = try await insertHouseholds(district, on: connection, logger: logger)
            report.residentsAdded = try await insertResidents(district, secret: secret, on: connection, logger: logger)
            if report.householdsAdded > 0 || report.residentsAdded > 0 {
                let event = try NewEvent(
                    stream: ResidentHandlers.eventStream, type: "household.imported", key: root, orgPath: root,
                    payload: ["households": report.householdsAdded, "residents": report.residentsAdded])
                try await EventLog.append([event], on: connection, logger: logger)
            }
            for step in steps {
                report.stepsAdded[step.name] = try await step.seed(district, on: connection, logger: logger)
            }
            for try await (nodes, households, residents) in try await connection.query(
                """
                SELECT (SELECT count(*) FROM identity.org_nodes WHERE path <@ \(root)::ltree)::int,
                       (SELECT count(*) FROM identity.households h JOIN identity.org_nodes n ON n.id = h.org_node_id
                        WHERE n.path <@ \(root)::ltree)::int,
                       (SELECT count(*) FROM identity.residents r JOIN identity.households h ON h.id = r.household_id
                        JOIN identity.org_nodes n ON n.id = h.org_node_id WHERE n.path <@ \(root)::ltree)::int
                """,
                logger: logger
            ).decode((Int, Int, Int).self) {
                report.nodesTotal = nodes
                report.householdsTotal = households
                report.residentsTotal = residents
            }
            return report
        }
    }

    private static func insertHouseholds(_ district: DemoDistrict, on connection: PostgresConnection, logger: Logger) async throws -> Int {
        let paths = district.households.map(\.unitPath)
        let doors = district.households.map(\.door)
        var added = 0
        for try await count in try await connection.query(
            """
            WITH inserted AS (
                INSERT INTO identity.households (org_node_id, door)
                SELECT n.id, t.d FROM unnest(\(paths)::text[], \(doors)::text[]) AS t(p, d)
                JOIN identity.org_nodes n ON n.path = t.p::ltree
                ON CONFLICT (org_node_id, door) DO NOTHING
                RETURNING 1
            )
            SELECT count(*)::int FROM inserted
            """,
            logger: logger
        ).decode(Int.self) { added = count }
        return added
    }

    /// Residents whose ID-card number is not registered yet; only those are sealed.
    private static func insertResidents(
        _ district: DemoDistrict, secret: IdentitySecret, on connection: PostgresConnection, logger: Logger
    ) async throws -> Int {
        var candidates: [(household: DemoDistrict.Household, resident: DemoDistrict.Resident, idHash: String)] = []
        for household in district.households {
            for resident in household.residents {
                candidates.append((household, resident, secret.lookupHash(resident.idNumber, for: .idNumber)))
            }
        }
        var present: Set<String> = []
        for try await hash in try await connection.query(
            "SELECT id_number_hash FROM identity.residents WHERE id_number_hash = ANY(\(candidates.map(\.idHash))::text[])",
            logger: logger
        ).decode(String.self) { present.insert(hash) }
        let missing = candidates.filter { !present.contains($0.idHash) }
        guard !missing.isEmpty else { return 0 }

        var paths: [String] = [], doors: [String] = [], names: [String] = []
        var phonesSealed: [String] = [], phoneHashes: [String] = [], idsSealed: [String] = [], idHashes: [String] = []
        for candidate in missing {
            paths.append(candidate.household.unitPath)
            doors.append(candidate.household.door)
            names.append(candidate.resident.name)
            if let phone = candidate.resident.phone {
                phonesSealed.append(try secret.seal(phone, for: .phone).base64EncodedString())
                phoneHashes.append(secret.lookupHash(phone, for: .phone))
            } else {
                phonesSealed.append("")
                phoneHashes.append("")
            }
            idsSealed.append(try secret.seal(candidate.resident.idNumber, for: .idNumber).base64EncodedString())
            idHashes.append(candidate.idHash)
        }
        var added = 0
        for try await count in try await connection.query(
            """
            WITH inserted AS (
                INSERT INTO identity.residents (household_id, name, phone_sealed, phone_hash, id_number_sealed, id_number_hash)
                SELECT h.id, t.name, decode(NULLIF(t.ps, ''), 'base64'), NULLIF(t.ph, ''), decode(t.isl, 'base64'), t.ih
                FROM unnest(\(paths)::text[], \(doors)::text[], \(names)::text[], \(phonesSealed)::text[], \(phoneHashes)::text[],
                            \(idsSealed)::text[], \(idHashes)::text[]) AS t(p, d, name, ps, ph, isl, ih)
                JOIN identity.org_nodes n ON n.path = t.p::ltree
                JOIN identity.households h ON h.org_node_id = n.id AND h.door = t.d
                ON CONFLICT (id_number_hash) WHERE id_number_hash IS NOT NULL DO NOTHING
                RETURNING 1
            )
            SELECT count(*)::int FROM inserted
            """,
            logger: logger
        ).decode(Int.self) { added = count }
        return added
    }
}
