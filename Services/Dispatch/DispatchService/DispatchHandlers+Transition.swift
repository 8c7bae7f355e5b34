import DispatchDomain
import DistrictAuth
import DistrictContracts
import DistrictProtocol
import DistrictServer
import DistrictStorage
import Foundation
import Logging
import PostgresNIO

extension DispatchHandlers {
    /// What a transition method adds to the bare state change.
    struct TransitionRequest {
        var caseID: String
        var command: CaseCommand
        var note: String?
        /// A department named by the caller (dispatch).
        var department: String?
        /// The summons (escalate).
        var whistle: Whistle?
        /// The rating (rate).
        var satisfaction: Satisfaction?
        /// The new category (recategorize).
        var category: String?
    }

    /// Registers every lifecycle method; all go through ``transition(_:_:)``.
    func registerTransitions(on router: inout MethodRouter) {
        router.register(DispatchAPI.Accept.self) { p, c in
            try await self.transition(.init(caseID: p.caseId, command: .accept, note: p.note), c)
        }
        router.register(DispatchAPI.Reject.self) { p, c in
            try Self.checkText(p.reason, field: "reason", limit: 2000, required: true)
            try Self.checkText(p.redirectTo, field: "redirectTo", limit: 200, required: true)
            return try await self.transition(.init(caseID: p.caseId, command: .reject, note: "\(p.reason) → \(p.redirectTo)"), c)
        }
        router.register(DispatchAPI.Dispatch.self) { p, c in
            if let department = p.department, !MatterCatalogue.isCode(department) {
                throw DistrictError.invalidParams("department is not a department code", field: "department")
            }
            return try await self.transition(.init(caseID: p.caseId, command: .dispatch, note: p.note, department: p.department), c)
        }
        router.register(DispatchAPI.Recategorize.self) { p, c in
            guard MatterCatalogue.isCode(p.category) else {
                throw DistrictError.invalidParams("category is not a category code", field: "category")
            }
            return try await self.transition(.init(caseID: p.caseId, command: .recategorize, category: p.category), c)
        }
        router.register(DispatchAPI.Claim.self) { p, c in try await self.transition(.init(caseID: p.caseId, command: .claim, note: p.note), c) }
        router.register(DispatchAPI.Start.self) { p, c in try await self.transition(.init(caseID: p.caseId, command: .start, note: p.note), c) }
        router.register(DispatchAPI.Resolve.self) { p, c in try await self.transition(.init(caseID: p.caseId, command: .resolve, note: p.note), c) }
        router.register(DispatchAPI.Return.self) { p, c in
            try Self.checkText(p.reason, field: "reason", limit: 2000, required: true)
            return try await self.transition(.init(caseID: p.caseId, command: .returnCase, note: p.reason), c)
        }
        router.register(DispatchAPI.Arbitrate.self) { p, c in
            try await self.transition(.init(caseID: p.caseId, command: .arbitrate(upheld: p.upheld), note: p.note), c)
        }
        router.register(DispatchAPI.Escalate.self) { p, c in
            try Self.checkText(p.reason, field: "reason", limit: 2000, required: true)
            try Self.validate(p.whistle, now: self.clock.now())
            return try await self.transition(.init(caseID: p.caseId, command: .escalate, note: p.reason, whistle: p.whistle), c)
        }
        router.register(DispatchAPI.Verify.self) { p, c in
            try await self.transition(.init(caseID: p.caseId, command: .verify(passed: p.passed), note: p.note), c)
        }
        router.register(DispatchAPI.Close.self) { p, c in try await self.transition(.init(caseID: p.caseId, command: .close, note: p.note), c) }
        router.register(DispatchAPI.Rate.self) { p, c in
            try Self.checkText(p.comment, field: "comment", limit: 2000)
            return try await self.transition(.init(caseID: p.caseId, command: .rate(p.satisfaction), note: p.comment, satisfaction: p.satisfaction), c)
        }
    }

    /// Applies one command to one case in one transaction: lock the row, check the caller's
    /// reach, ask the state machine, write the row, its timeline entry and its events.
    /// Anything refused writes nothing.
    func transition(_ request: TransitionRequest, _ context: RequestContext) async throws -> CaseRecord {
        let id = try Self.parseCaseID(request.caseID)
        try Self.checkText(request.note, field: "note", limit: 2000)
        let principal = try await authenticator.principal(for: context)
        let logger = context.logger
        let now = clock.now()
        let row = try await database.withTransaction { connection in
            guard var row = try await Self.loadCase(id, lock: true, on: connection, logger: logger) else { throw Self.notFound(id) }
            try await authorize(principal, request.command, on: row, connection: connection, logger: logger)
            let facts = CaseStateMachine.Facts(state: row.state, reopenCount: row.reopenCount, isRated: row.satisfaction != nil)
            let transition = try CaseStateMachine.transition(request.command, from: facts)
            let previousDepartment = row.department
            try await apply(transition, request, to: &row, actor: principal.subject, now: now, connection: connection, logger: logger)
            row.version += 1
            try await Self.save(row, transition.event, from: transition.from, actor: principal.subject, note: request.note, at: now,
                alsoNotifying: previousDepartment.map { [$0] } ?? [], on: connection, logger: logger)

            // 受理 + 自动交办: an accepted case is routed by the catalogue at once.
            if transition.to == .accepted, case .accept = request.command {
                let dispatch = try CaseStateMachine.transition(.dispatch, from: .init(state: row.state))
                var routed = request
                routed.command = .dispatch
                routed.department = nil
                try await apply(dispatch, routed, to: &row, actor: principal.subject, now: now, connection: connection, logger: logger)
                row.version += 1
                try await Self.save(row, dispatch.event, from: dispatch.from, actor: "system", note: "routed by catalogue", at: now, on: connection, logger: logger)
            }
            return row
        }
        logger.info("case changed", metadata: ["case.id": "\(id)", "case.command": "\(request.command.name)", "case.state": "\(row.state.rawValue)"])
        return row.record()
    }

    /// The caller needs the command's action on the case's place and department; a reporter
    /// may rate their own case without it.
    private func authorize(_ principal: Principal, _ command: CaseCommand, on row: CaseRow, connection: PostgresConnection, logger: Logger) async throws {
        if case .rate = command, try await Self.isReporter(principal.subject, of: row, on: connection, logger: logger) {
            return
        }
        let path = try OrgPath(row.orgPath)
        try authenticator.policy.authorize(principal, command.requiredAction, on: Resource(path: path, department: row.department))
    }

    /// The changes besides the state that a transition brings.
    private func apply(
        _ transition: CaseTransition, _ request: TransitionRequest, to row: inout CaseRow, actor: String, now: Date,
        connection: PostgresConnection, logger: Logger
    ) async throws {
        row.state = transition.to
        if transition.clearsAssignee { row.assignee = nil }
        if transition.clearsDepartment { row.department = nil }
        if transition.countsReturn { row.returnCount += 1 }
        switch request.command {
        case .accept:
            row.acceptedAt = now
        case .claim:
            row.assignee = actor
        case .resolve:
            row.resolvedAt = now
        case .close:
            row.closedAt = now
        case .recategorize:
            // Under the newest catalogue: the case takes the category's level and deadlines from it.
            guard let code = request.category, let latest = try await latestCatalogue(district: row.district, on: connection, logger: logger),
                let category = latest.category(code)
            else {
                throw DistrictError.invalidParams("the district's catalogue has no category '\(request.category ?? "")'", field: "category")
            }
            guard code != row.category else {
                throw DistrictError.invalidParams("the case already has category '\(code)'", field: "category")
            }
            row.category = category.code
            row.level = category.level
            row.catalogueVersion = latest.version.version
        case .escalate:
            if let whistle = request.whistle {
                row.whistle = whistle
                row.department = whistle.leadDepartment
                row.escalationLevel = whistle.level
            }
        case .rate(let satisfaction):
            if transition.reopens {
                row.reopenCount += 1
                row.satisfaction = nil
                row.closedAt = nil
            } else {
                row.satisfaction = satisfaction
            }
            if transition.needsSupervisorReview { row.supervisorReview = true }
        default:
            break
        }
        guard transition.startsResolveDeadline else { return }
        // A new deadline: accept → dispatch and overruled returns run the category's resolve time;
        // a whistle runs until its report-by time.
        if case .escalate = request.command, let whistle = request.whistle {
            let minutes = max(1, Int(whistle.reportBy.timeIntervalSince(now) / 60))
            setDeadline(CaseDeadline(from: now, minutes: minutes), on: &row)
            return
        }
        guard let catalogue = try await catalogue(district: row.district, version: row.catalogueVersion, on: connection, logger: logger),
            let category = catalogue.category(row.category)
        else {
            throw DistrictError(.internal, "the case's catalogue version is missing")
        }
        if request.command == .dispatch || request.command == .recategorize {
            let routing = catalogue.route(category, at: try OrgPath(row.orgPath))
            row.department = request.department ?? routing.department
        }
        row.dispatchedAt = now
        setDeadline(CaseDeadline(from: now, minutes: category.resolveWithinMinutes), on: &row)
    }

    private func setDeadline(_ deadline: CaseDeadline, on row: inout CaseRow) {
        row.dueAt = deadline.dueAt
        row.warnAt = deadline.warnAt
        row.warned = false
        row.overdue = false
    }

    /// Checks a summons.
    static func validate(_ whistle: Whistle, now: Date) throws(DistrictError) {
        guard whistle.level == "street" || whistle.level == "district" else {
            throw .invalidParams("whistle.level is street or district", field: "whistle.level")
        }
        guard !whistle.departments.isEmpty, whistle.departments.count <= 20, whistle.departments.allSatisfy(MatterCatalogue.isCode) else {
            throw .invalidParams("whistle.departments names 1 to 20 department codes", field: "whistle.departments")
        }
        guard whistle.departments.contains(whistle.leadDepartment) else {
            throw .invalidParams("the lead department must be one of the departments", field: "whistle.leadDepartment")
        }
        guard whistle.reportBy > now else {
            throw .invalidParams("reportBy must lie in the future", field: "whistle.reportBy")
        }
        try checkText(whistle.leader, field: "whistle.leader", limit: 64)
    }
}
