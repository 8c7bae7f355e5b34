/// Something a caller may ask to do; checked against the policy's role table.
///
/// String-backed (`area.verb`) so that new actions never break callers.
public struct Action: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The action's name, for example `case.read`.
    public let rawValue: String

    /// Wraps a name; unknown names are kept (and allowed to no role by the standard policy).
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The action's name.
    public var description: String { rawValue }

    // MARK: Identity and org tree

    /// Read org nodes.
    public static let orgRead = Action(rawValue: "org.read")
    /// Create, rename or move org nodes.
    public static let orgWrite = Action(rawValue: "org.write")
    /// Read user accounts.
    public static let userRead = Action(rawValue: "user.read")
    /// Create, change or disable user accounts.
    public static let userWrite = Action(rawValue: "user.write")
    /// Grant or revoke role bindings.
    public static let roleGrant = Action(rawValue: "role.grant")
    /// Read the audit log.
    public static let auditRead = Action(rawValue: "audit.read")
    /// Read residents' personal data (phone, ID number, address) unmasked; audit-logged.
    public static let personalDataReadUnmasked = Action(rawValue: "personal_data.read_unmasked")

    // MARK: Cases

    /// Report a new case (上报).
    public static let caseReport = Action(rawValue: "case.report")
    /// Read cases.
    public static let caseRead = Action(rawValue: "case.read")
    /// Claim a dispatched case (签收).
    public static let caseClaim = Action(rawValue: "case.claim")
    /// Handle and resolve a case (处置).
    public static let caseHandle = Action(rawValue: "case.handle")
    /// Dispatch a case to a handler or department (派单).
    public static let caseDispatch = Action(rawValue: "case.dispatch")
    /// Verify a resolved case and close it (核查, 结案).
    public static let caseVerify = Action(rawValue: "case.verify")
    /// Escalate a case a level up (吹哨).
    public static let caseEscalate = Action(rawValue: "case.escalate")
    /// Arbitrate a returned case (案件回流).
    public static let caseArbitrate = Action(rawValue: "case.arbitrate")

    // MARK: Mediation and legal services

    /// Read disputes and petitions.
    public static let mediationRead = Action(rawValue: "mediation.read")
    /// Register, assign and work disputes.
    public static let mediationHandle = Action(rawValue: "mediation.handle")
    /// Read legal-service matters (consultations, reviews, legal-aid applications).
    public static let legalRead = Action(rawValue: "legal.read")
    /// Work legal-service matters.
    public static let legalHandle = Action(rawValue: "legal.handle")

    // MARK: Notification and events

    /// Send a notice.
    public static let noticeSend = Action(rawValue: "notice.send")
    /// Read notices and their read receipts.
    public static let noticeRead = Action(rawValue: "notice.read")
    /// Subscribe to the event stream.
    public static let eventsSubscribe = Action(rawValue: "events.subscribe")

    /// Every action defined above.
    public static let all: [Action] = [
        .orgRead, .orgWrite, .userRead, .userWrite, .roleGrant, .auditRead, .personalDataReadUnmasked,
        .caseReport, .caseRead, .caseClaim, .caseHandle, .caseDispatch, .caseVerify, .caseEscalate, .caseArbitrate,
        .mediationRead, .mediationHandle, .legalRead, .legalHandle,
        .noticeSend, .noticeRead, .eventsSubscribe,
        .residentRead, .residentWrite,
    ]
}
