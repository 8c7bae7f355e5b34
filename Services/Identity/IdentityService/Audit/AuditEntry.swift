public import DistrictAuth

/// One line of the audit log: who did what to which target, and how it ended.
public struct AuditEntry: Sendable {
    /// How the audited attempt ended.
    public enum Outcome: String, Sendable, Codable {
        /// It was done.
        case success
        /// It was attempted and failed (e.g. a wrong password).
        case failure
        /// The caller was not allowed.
        case denied
    }

    /// The actor's subject id (a user id, `service:<name>`, or `anonymous` before login).
    public var actorSubject: String
    /// The actor's display name.
    public var actorName: String
    /// What was done, e.g. `auth.login`, `user.create`, `role.grant`, `resident.read_unmasked`.
    public var action: String
    /// How it ended.
    public var outcome: Outcome
    /// The kind of target, e.g. `user`, `resident`, `org_node`.
    public var targetKind: String?
    /// The target's id.
    public var targetID: String?
    /// The org path the target sits at, when it has one (the auditor filters by subtree).
    public var orgPath: OrgPath?
    /// Further facts, e.g. the role granted or the reason for a failure. Never secrets.
    public var details: [String: String]

    /// Creates an entry.
    public init(
        actorSubject: String, actorName: String, action: String, outcome: Outcome = .success,
        targetKind: String? = nil, targetID: String? = nil, orgPath: OrgPath? = nil, details: [String: String] = [:]
    ) {
        self.actorSubject = actorSubject
        self.actorName = actorName
        self.action = action
        self.outcome = outcome
        self.targetKind = targetKind
        self.targetID = targetID
        self.orgPath = orgPath
        self.details = details
    }

    /// An entry whose actor is `principal`.
    public init(
        actor principal: Principal, action: String, outcome: Outcome = .success,
        targetKind: String? = nil, targetID: String? = nil, orgPath: OrgPath? = nil, details: [String: String] = [:]
    ) {
        self.init(
            actorSubject: principal.subject, actorName: principal.name, action: action, outcome: outcome,
            targetKind: targetKind, targetID: targetID, orgPath: orgPath, details: details)
    }
}
