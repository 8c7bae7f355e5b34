/// A role from the domain, held at an org node and reaching that node's subtree.
///
/// String-backed so that new roles never break callers; the wire form is the raw value.
public struct Role: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The role's wire name, for example `grid_worker`.
    public let rawValue: String

    /// Wraps a wire name; unknown names are kept (and allowed nothing by the standard policy).
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The wire name.
    public var description: String { rawValue }

    // MARK: Grid and community

    /// Grid worker (网格员): patrols one grid, reports and handles simple cases.
    public static let gridWorker = Role(rawValue: "grid_worker")
    /// Grid chief (网格长): leads a grid's worker team.
    public static let gridChief = Role(rawValue: "grid_chief")
    /// Community worker (社区工作者).
    public static let communityWorker = Role(rawValue: "community_worker")

    // MARK: Command centres

    /// Street command-centre operator (街道综合指挥中心).
    public static let streetCommandCentre = Role(rawValue: "street_command_centre")
    /// District command centre (区城市治理指挥中心 / 综治中心).
    public static let districtCommandCentre = Role(rawValue: "district_command_centre")

    // MARK: Departments (scoped to one department)

    /// Department handler: works cases dispatched to their department.
    public static let departmentHandler = Role(rawValue: "department_handler")
    /// Department lead: oversees their department's cases.
    public static let departmentLead = Role(rawValue: "department_lead")

    // MARK: Mediation, legal services, party building

    /// Mediator (调解员).
    public static let mediator = Role(rawValue: "mediator")
    /// Lawyer or village legal adviser (法律顾问).
    public static let legalAdviser = Role(rawValue: "legal_adviser")
    /// Legal-savvy resident (法律明白人).
    public static let legalSavvyResident = Role(rawValue: "legal_savvy_resident")
    /// Party building instructor (党建指导员).
    public static let partyInstructor = Role(rawValue: "party_instructor")
    /// Resident (群众).
    public static let resident = Role(rawValue: "resident")

    // MARK: Separated administrators (level-3 protected system, 三员分立)

    /// System administrator: manages the org tree and user accounts.
    public static let systemAdministrator = Role(rawValue: "system_administrator")
    /// Security administrator: grants and revokes roles.
    public static let securityAdministrator = Role(rawValue: "security_administrator")
    /// Auditor: reads the audit log.
    public static let auditor = Role(rawValue: "auditor")

    /// Every role defined above.
    public static let all: [Role] = [
        .gridWorker, .gridChief, .communityWorker, .streetCommandCentre, .districtCommandCentre,
        .departmentHandler, .departmentLead, .mediator, .legalAdviser, .legalSavvyResident,
        .partyInstructor, .resident, .systemAdministrator, .securityAdministrator, .auditor,
    ]

    /// The three administrator roles, of which no account may hold two.
    public static let administrators: Set<Role> = [.systemAdministrator, .securityAdministrator, .auditor]
}
