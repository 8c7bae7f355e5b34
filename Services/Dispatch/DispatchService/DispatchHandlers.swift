public import DispatchDomain
import DistrictAuth
import DistrictContracts
import DistrictProtocol
public import DistrictRuntime
public import DistrictServer
import DistrictStorage
import Foundation
import Logging
import PostgresNIO

/// The dispatch service's methods. Each operation lives in its own file as an extension.
public struct DispatchHandlers: Sendable {
    let database: Database
    let authenticator: Authenticator
    let logger: Logger
    let clock: any DispatchClock
    let catalogues: CatalogueCache
    let grids: GridCache
    let tail: EventTail
    let reports: ReportWriter
    let notifier: EventNotifier

    /// Creates the handlers over the service's context; department queue subscriptions
    /// that are caught up read `tail`; new reports are stored by `reports`.
    init(context: ServiceContext, clock: any DispatchClock, tail: EventTail, reports: ReportWriter, gridRecheckInterval: Duration) {
        self.tail = tail
        self.reports = reports
        self.database = context.database
        self.authenticator = context.authenticator
        self.logger = context.logger
        self.clock = clock
        self.catalogues = CatalogueCache()
        self.grids = GridCache(recheckInterval: gridRecheckInterval)
        self.notifier = context.notifier
    }

    /// Registers every dispatch method on `router`.
    public func register(on router: inout MethodRouter) {
        router.register(DispatchAPI.GridDefine.self) { params, context in try await self.defineGrid(params, context) }
        router.register(DispatchAPI.GridLocate.self) { params, context in try await self.locateGrid(params, context) }
        router.register(DispatchAPI.CataloguePublish.self) { params, context in try await self.publishCatalogue(params, context) }
        router.register(DispatchAPI.CatalogueGet.self) { params, context in try await self.getCatalogue(params, context) }
        router.register(DispatchAPI.Report.self) { params, context in try await self.report(params, context) }
        router.register(DispatchAPI.Get.self) { params, context in try await self.get(params, context) }
        router.register(DispatchAPI.List.self) { params, context in try await self.list(params, context) }
        router.register(DispatchAPI.Queue.self) { params, context in try await self.queue(params, context) }
        router.register(DispatchAPI.Stats.self) { params, context in try await self.stats(params, context) }
        registerTransitions(on: &router)
        registerQueueSubscription(on: &router)
        registerLinks(on: &router)
    }

    // MARK: Shared pieces

    /// Parses `text` as an org path, naming `field` when it is malformed.
    static func parsePath(_ text: String, field: String) throws(DistrictError) -> OrgPath {
        do throws(DistrictError) {
            return try OrgPath(text)
        } catch {
            throw .invalidParams(error.message, field: field)
        }
    }

    /// Parses a case id (a UUID).
    static func parseCaseID(_ text: String) throws(DistrictError) -> UUID {
        guard let id = UUID(uuidString: text) else {
            throw .invalidParams("caseId is not a UUID", field: "caseId")
        }
        return id
    }

    /// Checks an optional free text of at most `limit` characters.
    static func checkText(_ text: String?, field: String, limit: Int, required: Bool = false) throws(DistrictError) {
        guard let text else {
            if required { throw .invalidParams("\(field) is required", field: field) }
            return
        }
        // Blank (white space only, as `trimmingCharacters(in: .whitespacesAndNewlines)` would
        // leave empty), checked on the scalars without bridging to `NSString`.
        if required, text.unicodeScalars.allSatisfy(\.properties.isWhitespace) {
            throw .invalidParams("\(field) must not be empty", field: field)
        }
        guard text.count <= limit else { throw .invalidParams("\(field) is longer than \(limit) characters", field: field) }
        guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t" }) else {
            throw .invalidParams("\(field) contains control characters", field: field)
        }
    }

    /// Whether the principal works for one department only: its reach is that department's cases.
    func departmentScope(of principal: Principal) -> String? {
        guard let department = principal.department else { return nil }
        if principal.kind == .serviceAccount { return department }
        let scoped = authenticator.policy.departmentScopedRoles
        return principal.bindings.allSatisfy({ scoped.contains($0.role) }) ? department : nil
    }

    /// Whether `error` is PostgreSQL's unique violation (SQLSTATE 23505).
    static func isUniqueViolation(_ error: any Error) -> Bool {
        (error as? PSQLError)?.serverInfo?[.sqlState] == "23505"
    }

    static func notFound(_ caseID: UUID) -> DistrictError {
        DistrictError(.notFound, "no case \(caseID.uuidString.lowercased())", details: ["caseId": caseID.uuidString.lowercased()])
    }

    /// JSON for jsonb columns and event payloads (ISO-8601 dates).
    static func encodeJSON(_ value: some Encodable) throws -> String {
        String(decoding: try NewEvent.defaultEncoder().encode(value), as: UTF8.self)
    }

    /// A decoder for rows read as `to_jsonb(row)` (the row types name their snake_case
    /// columns in their `CodingKeys`) and for event payloads: PostgreSQL's timestamps.
    static func rowDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = parseTimestamp(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad timestamp \(text)"))
            }
            return date
        }
        return decoder
    }

    /// Parses `2025-06-15T12:00:00.123456+00:00` (PostgreSQL's `to_jsonb` of a timestamptz)
    /// and our encoder's `2025-06-15T12:00:00Z`.
    static func parseTimestamp(_ text: String) -> Date? {
        var base = text
        var fraction = 0.0
        if let dot = text.firstIndex(of: ".") {
            let rest = text[text.index(after: dot)...]
            let digitsEnd = rest.firstIndex(where: { !$0.isNumber }) ?? rest.endIndex
            fraction = Double("0." + rest[..<digitsEnd]) ?? 0
            base = String(text[..<dot]) + String(rest[digitsEnd...])
        }
        guard let date = try? Date(base, strategy: .iso8601) else { return nil }
        return date.addingTimeInterval(fraction)
    }
}
