import DistrictAuth
import DistrictContracts
import DistrictProtocol
import DistrictServer
import DistrictStorage
import Foundation
import Logging
import PostgresNIO

extension ResidentHandlers {
    /// `resident.create`: needs `resident.write` at the household's node. Everything is
    /// validated before the transaction, so an invalid request writes nothing.
    func createResident(_ params: IdentityAPI.ResidentCreate.Params, _ context: RequestContext) async throws -> Resident {
        let householdID = try Self.parseID(params.householdID, field: "householdID")
        let name = try ResidentRules.validatedName(params.name)
        let phone = try params.phone.map { text throws(DistrictError) in try ResidentRules.normalizedPhone(text) }
        let idNumber = try params.idNumber.map { text throws(DistrictError) in try ResidentRules.normalizedIDNumber(text) }
        let logger = context.logger
        guard let (path, door) = try await database.withConnection({ connection in
            try await Self.household(householdID, lock: false, on: connection, logger: logger)
        }) else {
            throw DistrictError(.notFound, "no household with id \(params.householdID)", details: ["field": "householdID"])
        }
        let principal = try await authenticator.authorize(context, .residentWrite, on: Resource(path: try Self.orgPath(path)))

        let phoneSealed = try phone.map { value throws(DistrictError) in try secret.seal(value, for: .phone) }
        let phoneHash = phone.map { secret.lookupHash($0, for: .phone) }
        let idSealed = try idNumber.map { value throws(DistrictError) in try secret.seal(value, for: .idNumber) }
        let idHash = idNumber.map { secret.lookupHash($0, for: .idNumber) }
        do {
            return try await database.withTransaction { connection in
                guard let (path, door) = try await Self.household(householdID, lock: true, on: connection, logger: logger) else {
                    throw DistrictError(.notFound, "no household with id \(params.householdID)", details: ["field": "householdID"])
                }
                // Moved since the check: the caller must reach the node where it is now.
                try authenticator.policy.authorize(principal, .residentWrite, on: Resource(path: try Self.orgPath(path)))
                var id = ""
                for try await value in try await connection.query(
                    """
                    INSERT INTO identity.residents (household_id, name, phone_sealed, phone_hash, id_number_sealed, id_number_hash)
                    VALUES (\(householdID), \(name), \(phoneSealed), \(phoneHash), \(idSealed), \(idHash))
                    RETURNING id::text
                    """,
                    logger: logger
                ).decode(String.self) { id = value }
                let resident = Resident(
                    id: id, householdID: householdID.uuidString.lowercased(), nodePath: path, door: door, name: name,
                    phone: phone.map(ResidentRules.maskedPhone), idNumber: idNumber.map(ResidentRules.maskedIDNumber), masked: true)
                try await Self.appendEvent(
                    "resident.created", key: id, path: path, payload: ResidentCreatedEvent(id: id, householdID: resident.householdID),
                    on: connection, logger: logger)
                return resident
            }
        } catch where Self.isUniqueViolation(error) {
            throw DistrictError(
                .alreadyExists, "a resident with this ID-card number is already registered", details: ["field": "idNumber", "path": path, "door": door])
        }
    }

    /// `resident.get`: needs `resident.read` at the household's node; unmasked, also
    /// `personal_data.read_unmasked` there, and the read is audited in its transaction.
    func getResident(_ params: IdentityAPI.ResidentGet.Params, _ context: RequestContext) async throws -> Resident {
        let id = try Self.parseID(params.id, field: "id")
        let logger = context.logger
        let query: PostgresQuery = "\(unescaped: Self.residentColumns) WHERE r.id = \(id)"
        guard let found = try await database.withConnection({ connection in
            try await Self.decodeResidents(connection.query(query, logger: logger)).first
        }) else {
            throw DistrictError(.notFound, "no resident with id \(params.id)", details: ["field": "id"])
        }
        let path = try found.path
        try await authenticator.authorize(context, .residentRead, on: Resource(path: path))
        guard params.unmasked == true else { return try present(found, unmasked: false) }

        let principal = try await authorizeUnmasked(context, at: path, target: found.id, method: IdentityAPI.ResidentGet.name)
        return try await database.withTransaction { connection in
            // Read again inside the transaction that records the read.
            guard let stored = try await Self.decodeResidents(connection.query(query, logger: logger)).first else {
                throw DistrictError(.notFound, "no resident with id \(params.id)", details: ["field": "id"])
            }
            guard try stored.path == path else {
                throw DistrictError(.conflict, "the resident's household moved while it was read; ask again")
            }
            try await AuditLog.append(
                Self.unmaskedEntries([stored], by: principal, method: IdentityAPI.ResidentGet.name), on: connection, logger: logger)
            return try present(stored, unmasked: true)
        }
    }

    /// `resident.findByPhone`: an exact match through the phone's keyed hash, limited to
    /// the subtree at `path`, where the caller needs `resident.read` (and, unmasked,
    /// `personal_data.read_unmasked`: one audit entry per resident returned).
    func findByPhone(_ params: IdentityAPI.ResidentFindByPhone.Params, _ context: RequestContext) async throws -> IdentityAPI.ResidentFindByPhone.Result {
        let phone = try ResidentRules.normalizedPhone(params.phone)
        let root = try Self.orgPath(params.path, field: "path")
        try await authenticator.authorize(context, .residentRead, on: Resource(path: root))
        let hash = secret.lookupHash(phone, for: .phone)
        let rootText = root.description
        let logger = context.logger
        let query: PostgresQuery = """
            \(unescaped: Self.residentColumns)
            WHERE r.phone_hash = \(hash) AND n.path <@ \(rootText)::ltree
            ORDER BY n.path, h.door, r.name, r.id LIMIT \(IdentityAPI.ResidentFindByPhone.maxResults)
            """
        guard params.unmasked == true else {
            let found = try await database.withConnection { connection in
                try await Self.decodeResidents(connection.query(query, logger: logger))
            }
            return .init(residents: try found.map { stored throws(DistrictError) in try present(stored, unmasked: false) })
        }
        let principal = try await authorizeUnmasked(context, at: root, target: nil, method: IdentityAPI.ResidentFindByPhone.name)
        return try await database.withTransaction { connection in
            let found = try await Self.decodeResidents(connection.query(query, logger: logger))
            try await AuditLog.append(
                Self.unmaskedEntries(found, by: principal, method: IdentityAPI.ResidentFindByPhone.name), on: connection, logger: logger)
            return .init(residents: try found.map { stored throws(DistrictError) in try present(stored, unmasked: true) })
        }
    }

    /// The node path and door of household `id`, locked `FOR SHARE` (with its node) when asked.
    static func household(_ id: UUID, lock: Bool, on connection: PostgresConnection, logger: Logger) async throws -> (String, String)? {
        let query: PostgresQuery = lock
            ? """
            SELECT n.path::text, h.door FROM identity.households h JOIN identity.org_nodes n ON n.id = h.org_node_id
            WHERE h.id = \(id) FOR SHARE
            """
            : """
            SELECT n.path::text, h.door FROM identity.households h JOIN identity.org_nodes n ON n.id = h.org_node_id
            WHERE h.id = \(id)
            """
        for try await row in try await connection.query(query, logger: logger).decode((String, String).self) { return row }
        return nil
    }
}

/// The payload of `resident.created`: ids only, never personal data.
struct ResidentCreatedEvent: Encodable {
    var id: String
    var householdID: String
}
