import DistrictAuth
import DistrictProtocol
import Testing

/// One row of the permission matrix.
struct MatrixCase: Sendable, CustomTestStringConvertible {
    var label: String
    var principal: Principal
    var action: Action
    var resource: Resource
    var allowed: Bool

    var testDescription: String { "\(label): \(action) at \(resource.path)\(resource.department.map { " [\($0)]" } ?? "") → \(allowed ? "allow" : "deny")" }
}

private func path(_ text: String) -> OrgPath {
    // Test fixtures are literals; a bad one is a bug in the test.
    try! OrgPath(text)
}

private func staff(_ role: Role, at node: String, department: String? = nil, kind: Principal.Kind = .staff) -> Principal {
    Principal(
        subject: "\(role)@\(node)", name: role.rawValue, kind: kind,
        bindings: [RoleBinding(role, at: path(node))], department: department
    )
}

private func row(
    _ label: String, _ principal: Principal, _ action: Action, _ node: String, department: String? = nil, _ allowed: Bool
) -> MatrixCase {
    MatrixCase(label: label, principal: principal, action: action, resource: Resource(path: path(node), department: department), allowed: allowed)
}

private let gridWorker = staff(.gridWorker, at: "d01.s03.c12.g0457")
private let street = staff(.streetCommandCentre, at: "d01.s03")
private let district = staff(.districtCommandCentre, at: "d01")
private let handler = staff(.departmentHandler, at: "d01", department: "urban_mgmt")
private let lead = staff(.departmentLead, at: "d01", department: "market_reg")
private let deptAccount = staff(.departmentHandler, at: "d01", department: "public_security", kind: .serviceAccount)
private let auditor = staff(.auditor, at: "d01")
private let sysAdmin = staff(.systemAdministrator, at: "d01")
private let secAdmin = staff(.securityAdministrator, at: "d01")
private let resident = staff(.resident, at: "d01.s03.c12.g0457", kind: .resident)
private let mediator = staff(.mediator, at: "d01.s03")
private let notifier = Principal.service("notify")
private let nobody = Principal(subject: "u0", name: "nobody", kind: .staff, bindings: [])

let matrix: [MatrixCase] = [
    row("grid worker, own grid", gridWorker, .caseRead, "d01.s03.c12.g0457", true),
    row("grid worker, compound in own grid", gridWorker, .caseHandle, "d01.s03.c12.g0457.x01", true),
    row("grid worker, neighbouring grid", gridWorker, .caseRead, "d01.s03.c12.g0458", false),
    row("grid worker, label-prefix grid", gridWorker, .caseRead, "d01.s03.c12.g04570", false),
    row("grid worker, own community", gridWorker, .caseRead, "d01.s03.c12", false),
    row("grid worker, not a dispatcher", gridWorker, .caseDispatch, "d01.s03.c12.g0457", false),
    row("street, its community", street, .caseDispatch, "d01.s03.c12", true),
    row("street, its grid", street, .caseRead, "d01.s03.c12.g0457", true),
    row("street, another street's grid", street, .caseRead, "d01.s04.c01.g0001", false),
    row("street, label-prefix street", street, .caseRead, "d01.s030.c01", false),
    row("street, the district above", street, .caseRead, "d01", false),
    row("street, arbitration is the district's", street, .caseArbitrate, "d01.s03.c12", false),
    row("district, any grid", district, .caseRead, "d01.s04.c01.g0001", true),
    row("district, arbitrates", district, .caseArbitrate, "d01.s03", true),
    row("district, another district", district, .caseRead, "d02.s01", false),
    row("handler, own department", handler, .caseHandle, "d01.s03.c12.g0457", department: "urban_mgmt", true),
    row("handler, other department", handler, .caseHandle, "d01.s03.c12.g0457", department: "market_reg", false),
    row("handler, undispatched case", handler, .caseRead, "d01.s03.c12.g0457", false),
    row("handler, cannot dispatch", handler, .caseDispatch, "d01.s03", department: "urban_mgmt", false),
    row("lead, own department", lead, .caseDispatch, "d01.s04", department: "market_reg", true),
    row("lead, other department", lead, .caseRead, "d01.s04", department: "urban_mgmt", false),
    row("department account, own department", deptAccount, .caseClaim, "d01.s03", department: "public_security", true),
    row("department account, other department", deptAccount, .caseClaim, "d01.s03", department: "urban_mgmt", false),
    row("auditor, audit log", auditor, .auditRead, "d01", true),
    row("auditor, cannot write users", auditor, .userWrite, "d01", false),
    row("auditor, cannot write org", auditor, .orgWrite, "d01", false),
    row("auditor, cannot grant roles", auditor, .roleGrant, "d01", false),
    row("system admin, writes org", sysAdmin, .orgWrite, "d01.s03", true),
    row("system admin, writes users", sysAdmin, .userWrite, "d01.s03", true),
    row("system admin, no audit log", sysAdmin, .auditRead, "d01", false),
    row("system admin, no role grants", sysAdmin, .roleGrant, "d01", false),
    row("security admin, grants roles", secAdmin, .roleGrant, "d01.s03", true),
    row("security admin, no org writes", secAdmin, .orgWrite, "d01.s03", false),
    row("security admin, no user writes", secAdmin, .userWrite, "d01.s03", false),
    row("security admin, no audit log", secAdmin, .auditRead, "d01", false),
    row("resident, reports in own grid", resident, .caseReport, "d01.s03.c12.g0457", true),
    row("resident, reports outside own grid", resident, .caseReport, "d01.s03.c12.g0458", false),
    row("resident, cannot read cases", resident, .caseRead, "d01.s03.c12.g0457", false),
    row("resident, no unmasked personal data", resident, .personalDataReadUnmasked, "d01.s03.c12.g0457", false),
    row("mediator, handles disputes", mediator, .mediationHandle, "d01.s03.c12", true),
    row("mediator, not legal work", mediator, .legalHandle, "d01.s03.c12", false),
    row("service peer, sends notices", notifier, .noticeSend, "d01.s03", true),
    row("service peer, no audit log", notifier, .auditRead, "d01", false),
    row("service peer, no unmasked data", notifier, .personalDataReadUnmasked, "d01", false),
    row("no bindings", nobody, .orgRead, "d01", false),
]

@Suite("Authorization matrix")
struct AuthorizationMatrixTests {
    @Test(arguments: matrix)
    func decides(_ row: MatrixCase) {
        let decision = AuthorizationPolicy.standard.decide(row.principal, row.action, on: row.resource)
        #expect(decision.isAllowed == row.allowed, "\(decision)")
    }

    @Test func aBindingElsewhereDoesNotWidenAnother() throws {
        // A grid worker in one grid who is also a mediator in another street.
        let principal = Principal(
            subject: "u1", name: "Li", kind: .staff,
            bindings: [
                RoleBinding(.gridWorker, at: try OrgPath("d01.s03.c12.g0457")),
                RoleBinding(.mediator, at: try OrgPath("d01.s04")),
            ]
        )
        let policy = AuthorizationPolicy.standard
        #expect(policy.decide(principal, .caseHandle, on: Resource(path: try OrgPath("d01.s03.c12.g0457"))).isAllowed)
        #expect(policy.decide(principal, .mediationHandle, on: Resource(path: try OrgPath("d01.s04.c02"))).isAllowed)
        #expect(!policy.decide(principal, .caseHandle, on: Resource(path: try OrgPath("d01.s04.c02"))).isAllowed)
        #expect(!policy.decide(principal, .mediationHandle, on: Resource(path: try OrgPath("d01.s03.c12"))).isAllowed)
    }

    @Test func bindingDepartmentOverridesPrincipalDepartment() throws {
        let principal = Principal(
            subject: "u2", name: "Wang", kind: .staff,
            bindings: [RoleBinding(.departmentHandler, at: try OrgPath("d01"), department: "justice")],
            department: "urban_mgmt"
        )
        let policy = AuthorizationPolicy.standard
        #expect(policy.decide(principal, .caseRead, on: Resource(path: try OrgPath("d01.s03"), department: "justice")).isAllowed)
        #expect(!policy.decide(principal, .caseRead, on: Resource(path: try OrgPath("d01.s03"), department: "urban_mgmt")).isAllowed)
    }

    @Test func administratorDutiesAreSeparated() {
        let policy = AuthorizationPolicy.standard
        let duties: [Set<Action>] = [[.orgWrite, .userWrite], [.roleGrant], [.auditRead]]
        for role in Role.all {
            let held = duties.filter { !$0.isDisjoint(with: policy.actions(for: role)) }
            #expect(held.count <= 1, "\(role) holds \(held.count) separated duties")
        }
        #expect(policy.actions(for: .auditor).allSatisfy { $0.rawValue.hasSuffix(".read") })
    }

    @Test func authorizeThrowsPermissionDeniedWithTheReason() throws {
        let resource = Resource(path: try OrgPath("d01.s03.c12.g0458"))
        let error = #expect(throws: DistrictError.self) {
            try AuthorizationPolicy.standard.authorize(gridWorker, .caseRead, on: resource)
        }
        #expect(error?.code == .permissionDenied)
        #expect(error?.message.contains("outside the caller's reach") == true)
        #expect(error?.details?["path"] == "d01.s03.c12.g0458")
        try AuthorizationPolicy.standard.authorize(gridWorker, .caseRead, on: Resource(path: try OrgPath("d01.s03.c12.g0457")))
    }

    @Test func denialsNameTheirCause() throws {
        let policy = AuthorizationPolicy.standard
        let grid = try OrgPath("d01.s03.c12.g0457")
        #expect(policy.decide(resident, .auditRead, on: Resource(path: grid)) == .deny("none of the caller's roles allows audit.read"))
        guard case .deny(let reason) = policy.decide(handler, .caseRead, on: Resource(path: grid, department: "justice")) else {
            Issue.record("expected a denial")
            return
        }
        #expect(reason.contains("department 'justice'"))
    }
}
