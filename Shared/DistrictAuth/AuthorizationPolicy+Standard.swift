extension AuthorizationPolicy {
    /// The default policy, following DOMAIN.md. Every grant reaches only the subtree of
    /// the node the role is held at.
    ///
    /// - Grid worker: reads the org tree, reports, reads, claims and handles cases,
    ///   reads disputes, sends and reads notices, sees residents' data unmasked (door
    ///   visits), registers households and residents (`resident.read`, `resident.write`).
    ///   Grid chief: the same, plus verifying cases and reading users.
    /// - Community worker: as a grid chief, plus dispatching within the community and
    ///   reading legal matters.
    /// - Street command centre: dispatches, verifies and escalates (吹哨) cases; reads
    ///   disputes and legal matters; subscribes to events; reads residents masked only.
    ///   It does not handle cases itself.
    /// - District command centre: as the street, plus arbitrating bounced-back cases.
    /// - Department handler (department-scoped): reads, claims and handles cases
    ///   dispatched to its department; may escalate (return with a reason).
    ///   Department lead: the same, plus dispatching within the department, verifying
    ///   and subscribing to events.
    /// - Mediator: works disputes; legal adviser: works legal matters; both read the
    ///   other's area and see personal data unmasked.
    /// - Legal-savvy resident: reports cases, reads disputes, legal matters and notices.
    /// - Party instructor: reads cases and the org tree, sends and reads notices.
    /// - Resident: reports cases and reads notices. Reading one's *own* case is an
    ///   ownership check (reporter = subject) the case service makes; the role grants
    ///   no `case.read`.
    /// - Separation of duties (三员分立): the system administrator writes the org tree
    ///   and users but neither grants roles nor reads the audit log; the security
    ///   administrator grants roles but writes neither org data nor users; the auditor
    ///   reads the audit log (and the org tree and users to make sense of it) and writes
    ///   nothing.
    /// - Service peers read what they need to route work and send notices and
    ///   subscribe to events; they never see unmasked personal data or the audit log.
    public static let standard: AuthorizationPolicy = {
        let gridWorker: Set<Action> = [
            .orgRead, .caseReport, .caseRead, .caseClaim, .caseHandle, .mediationRead,
            .noticeSend, .noticeRead, .personalDataReadUnmasked, .residentRead, .residentWrite,
        ]
        let gridChief = gridWorker.union([.caseVerify, .userRead])
        let communityWorker = gridChief.union([.caseDispatch, .legalRead])
        let streetCommandCentre: Set<Action> = [
            .orgRead, .userRead, .caseReport, .caseRead, .caseDispatch, .caseVerify, .caseEscalate,
            .mediationRead, .legalRead, .noticeSend, .noticeRead, .eventsSubscribe, .residentRead,
        ]
        let departmentHandler: Set<Action> = [
            .orgRead, .caseRead, .caseClaim, .caseHandle, .caseEscalate, .noticeRead, .personalDataReadUnmasked,
        ]
        return AuthorizationPolicy(
            grants: [
                .gridWorker: gridWorker,
                .gridChief: gridChief,
                .communityWorker: communityWorker,
                .streetCommandCentre: streetCommandCentre,
                .districtCommandCentre: streetCommandCentre.union([.caseArbitrate]),
                .departmentHandler: departmentHandler,
                .departmentLead: departmentHandler.union([.caseDispatch, .caseVerify, .eventsSubscribe]),
                .mediator: [
                    .orgRead, .caseRead, .mediationRead, .mediationHandle, .legalRead,
                    .noticeSend, .noticeRead, .personalDataReadUnmasked, .residentRead,
                ],
                .legalAdviser: [
                    .orgRead, .mediationRead, .legalRead, .legalHandle, .noticeRead, .personalDataReadUnmasked, .residentRead,
                ],
                .legalSavvyResident: [.orgRead, .caseReport, .mediationRead, .legalRead, .noticeRead],
                .partyInstructor: [.orgRead, .caseRead, .noticeSend, .noticeRead],
                .resident: [.caseReport, .noticeRead],
                .systemAdministrator: [.orgRead, .orgWrite, .userRead, .userWrite],
                .securityAdministrator: [.orgRead, .userRead, .roleGrant],
                .auditor: [.orgRead, .userRead, .auditRead],
            ],
            departmentScopedRoles: [.departmentHandler, .departmentLead],
            servicePeerActions: [
                .orgRead, .userRead, .caseRead, .mediationRead, .legalRead,
                .noticeSend, .noticeRead, .eventsSubscribe,
            ]
        )
    }()
}
