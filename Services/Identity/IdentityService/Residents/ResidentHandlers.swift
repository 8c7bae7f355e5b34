import DistrictAuth
import DistrictContracts
import DistrictProtocol
public import DistrictRuntime
public import DistrictServer
import DistrictStorage
import Foundation
import Logging
import PostgresNIO

/// The `household.*` and `resident.*` methods. Each operation lives in its own file.
///
/// Personal data (phone and ID-card numbers) is sealed at rest and masked on the way
/// out. An unmasked read needs `personal_data.read_unmasked` at the household's node
/// and an explicit `unmasked: true`; it writes one audit entry per resident in the same
/// transaction that reads the data. A refused unmasked read is audited as `denied`.
public struct ResidentHandlers: Sendable {
    /// The event stream of household and resident changes (no personal data in payloads).
    public static let eventStream = "identity.residents"
    /// The audit action of an unmasked read.
    public static let unmaskedReadAction = "resident.read_unmasked"

    let database: Database
    let authenticator: Authenticator
    let logger: Logger
    let secret: IdentitySecret

    /// Creates the handlers over the service's context and the district secret's keys.
    public init(context: ServiceContext, secret: IdentitySecret) {
        self.database = context.database
        self.authenticator = context.authenticator
        self.logger = context.logger
        self.secret = secret
    }

    /// Registers every `household.*` and `resident.*` method on `router`.
    public func register(on router: inout MethodRouter) {
        router.register(IdentityAPI.HouseholdCreate.self) { params, context in try await self.createHousehold(params, context) }
        router.register(IdentityAPI.HouseholdList.self) { params, context in try await self.listHouseholds(params, context) }
        router.register(IdentityAPI.ResidentCreate.self) { params, context in try await self.createResident(params, context) }
        router.register(IdentityAPI.ResidentGet.self) { params, context in try await self.getResident(params, context) }
        router.register(IdentityAPI.ResidentFindByPhone.self) { params, context in try await self.findByPhone(params, context) }
    }

    // MARK: Shared pieces

    /// Parses a UUID, naming `field` when it is malformed.
    static func parseID(_ text: String, field: String) throws(DistrictError) -> UUID {
        guard let id = UUID(uuidString: text) else { throw .invalidParams("\(field) is not a UUID", field: field) }
        return id
    }

    /// The columns ``decodeResidents(_:)`` reads, over `r`, `h` and `n` (residents,
    /// households, org nodes).
    static let residentColumns = """
        SELECT r.id::text, h.id::text, n.path::text, h.door, r.name, r.phone_sealed, r.id_number_sealed
        FROM identity.residents r
        JOIN identity.households h ON h.id = r.household_id
        JOIN identity.org_nodes n ON n.id = h.org_node_id
        """

    /// A stored resident: personal data still sealed.
    struct StoredResident: Sendable {
        var id: String
        var householdID: String
        var nodePath: String
        var door: String
        var name: String
        var phoneSealed: Data?
        var idNumberSealed: Data?

        var path: OrgPath {
            get throws(DistrictError) {
                do throws(DistrictError) { return try OrgPath(nodePath) } catch {
                    throw DistrictError(.internal, "a household has an unreadable node path")
                }
            }
        }
    }

    static func decodeResidents(_ rows: PostgresRowSequence) async throws -> [StoredResident] {
        var residents: [StoredResident] = []
        for try await (id, household, path, door, name, phone, idNumber) in rows.decode(
            (String, String, String, String, String, Data?, Data?).self)
        {
            residents.append(StoredResident(
                id: id, householdID: household, nodePath: path, door: door, name: name, phoneSealed: phone, idNumberSealed: idNumber))
        }
        return residents
    }

    /// The resident as the caller sees it: opened, then masked unless `unmasked`.
    func present(_ stored: StoredResident, unmasked: Bool) throws(DistrictError) -> Resident {
        var phone = try stored.phoneSealed.map { sealed throws(DistrictError) in try secret.openString(sealed, for: .phone) }
        var idNumber = try stored.idNumberSealed.map { sealed throws(DistrictError) in try secret.openString(sealed, for: .idNumber) }
        if !unmasked {
            phone = phone.map(ResidentRules.maskedPhone)
            idNumber = idNumber.map(ResidentRules.maskedIDNumber)
        }
        return Resident(
            id: stored.id, householdID: stored.householdID, nodePath: stored.nodePath, door: stored.door, name: stored.name,
            phone: phone, idNumber: idNumber, masked: !unmasked)
    }

    /// The caller, if they may read personal data unmasked at `path`. A refusal is
    /// written to the audit log (in its own transaction, since nothing else commits)
    /// before `permission_denied` is thrown.
    func authorizeUnmasked(_ context: RequestContext, at path: OrgPath, target: String?, method: String) async throws -> Principal {
        let principal = try await authenticator.principal(for: context)
        do throws(DistrictError) {
            try authenticator.policy.authorize(principal, .personalDataReadUnmasked, on: Resource(path: path))
        } catch {
            let entry = AuditEntry(
                actor: principal, action: Self.unmaskedReadAction, outcome: .denied,
                targetKind: "resident", targetID: target, orgPath: path, details: ["method": method])
            let logger = context.logger
            try await database.withTransaction { connection in
                try await AuditLog.append(entry, on: connection, logger: logger)
            }
            throw error
        }
        return principal
    }

    /// One audit entry per resident read unmasked.
    static func unmaskedEntries(_ residents: [StoredResident], by principal: Principal, method: String) -> [AuditEntry] {
        residents.map {
            AuditEntry(
                actor: principal, action: unmaskedReadAction, targetKind: "resident", targetID: $0.id,
                orgPath: try? OrgPath($0.nodePath), details: ["method": method])
        }
    }

    /// Appends one `identity.residents` event in the caller's transaction.
    static func appendEvent(
        _ type: String, key: String, path: String, payload: some Encodable, on connection: PostgresConnection, logger: Logger
    ) async throws {
        let event = try NewEvent(stream: eventStream, type: type, key: key, orgPath: path, payload: payload)
        try await EventLog.append([event], on: connection, logger: logger)
    }

    /// Whether `error` is PostgreSQL's unique violation (SQLSTATE 23505).
    static func isUniqueViolation(_ error: any Error) -> Bool {
        (error as? PSQLError)?.serverInfo?[.sqlState] == "23505"
    }
}
