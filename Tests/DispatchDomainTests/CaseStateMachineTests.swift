import DispatchDomain
import DistrictAuth
import DistrictContracts
import DistrictProtocol
import Testing

@Suite("Case state machine as values")
struct CaseStateMachineTests {
    static let commands: [CaseCommand] = [
        .accept, .reject, .dispatch, .claim, .start, .resolve, .returnCase, .arbitrate(upheld: true), .arbitrate(upheld: false),
        .escalate, .verify(passed: true), .verify(passed: false), .close, .rate(.satisfied), .rate(.unsatisfied), .recategorize,
    ]

    /// The legal moves, written out by hand from the lifecycle diagram.
    static let legal: [String: CaseState] = [
        "reported/accept": .accepted, "reported/reject": .rejected, "accepted/reject": .rejected,
        "accepted/dispatch": .dispatched, "dispatched/dispatch": .dispatched, "escalated/dispatch": .dispatched,
        "reopened/dispatch": .dispatched,
        "dispatched/claim": .claimed, "escalated/claim": .claimed,
        "claimed/start": .inProgress,
        "claimed/resolve": .resolved, "in_progress/resolve": .resolved,
        "dispatched/return": .returned, "claimed/return": .returned, "in_progress/return": .returned,
        "returned/arbitrate:true": .accepted, "returned/arbitrate:false": .dispatched,
        "accepted/escalate": .escalated, "dispatched/escalate": .escalated, "claimed/escalate": .escalated,
        "in_progress/escalate": .escalated, "returned/escalate": .escalated,
        "resolved/verify:true": .verified, "resolved/verify:false": .inProgress,
        "verified/close": .closed,
        "closed/rate:satisfied": .closed, "closed/rate:unsatisfied": .reopened,
        "reported/recategorize": .reported, "accepted/recategorize": .accepted, "dispatched/recategorize": .dispatched,
        "returned/recategorize": .returned, "reopened/recategorize": .reopened,
    ]

    static func key(_ state: CaseState, _ command: CaseCommand) -> String {
        switch command {
        case .arbitrate(let upheld): "\(state.rawValue)/arbitrate:\(upheld)"
        case .verify(let passed): "\(state.rawValue)/verify:\(passed)"
        case .rate(let satisfaction): "\(state.rawValue)/rate:\(satisfaction.rawValue)"
        default: "\(state.rawValue)/\(command.name)"
        }
    }

    @Test("every state × command is either the documented move or invalid_transition")
    func everyPair() throws {
        var legalSeen = 0
        for state in CaseState.allCases {
            for command in Self.commands {
                let facts = CaseStateMachine.Facts(state: state)
                if let expected = Self.legal[Self.key(state, command)] {
                    let transition = try CaseStateMachine.transition(command, from: facts)
                    #expect(transition.to == expected, "\(Self.key(state, command))")
                    #expect(transition.from == state)
                    legalSeen += 1
                } else {
                    #expect(throws: DistrictError.self) { try CaseStateMachine.transition(command, from: facts) }
                    do {
                        _ = try CaseStateMachine.transition(command, from: facts)
                    } catch {
                        #expect(error.code == .invalidTransition)
                        #expect(error.details?["state"] == state.rawValue)
                        #expect(error.details?["command"] == command.name)
                    }
                }
            }
        }
        #expect(legalSeen == Self.legal.count)
    }

    @Test("the closed loop from report to a satisfied resident")
    func happyPath() throws {
        var state = CaseState.reported
        for command in [CaseCommand.accept, .dispatch, .claim, .start, .resolve, .verify(passed: true), .close, .rate(.satisfied)] {
            state = try CaseStateMachine.transition(command, from: .init(state: state)).to
        }
        #expect(state == .closed)
    }

    @Test("unsatisfied reopens once, then goes to supervisor review")
    func reopenOnce() throws {
        let first = try CaseStateMachine.transition(.rate(.unsatisfied), from: .init(state: .closed, reopenCount: 0))
        #expect(first.to == .reopened && first.reopens && !first.needsSupervisorReview && first.event == "case.reopened")
        let second = try CaseStateMachine.transition(.rate(.unsatisfied), from: .init(state: .closed, reopenCount: 1))
        #expect(second.to == .closed && !second.reopens && second.needsSupervisorReview)
        #expect(throws: DistrictError.self) {
            try CaseStateMachine.transition(.rate(.satisfied), from: .init(state: .closed, reopenCount: 1, isRated: true))
        }
    }

    @Test("returns count, clear the claim; an upheld return frees the department")
    func returns() throws {
        let returned = try CaseStateMachine.transition(.returnCase, from: .init(state: .claimed))
        #expect(returned.countsReturn && returned.clearsAssignee && returned.event == "case.returned")
        let upheld = try CaseStateMachine.transition(.arbitrate(upheld: true), from: .init(state: .returned))
        #expect(upheld.clearsDepartment && upheld.to == .accepted)
        let overruled = try CaseStateMachine.transition(.arbitrate(upheld: false), from: .init(state: .returned))
        #expect(!overruled.clearsDepartment && overruled.to == .dispatched && overruled.startsResolveDeadline)
    }

    @Test("each command needs its action from the policy")
    func actions() {
        #expect(CaseCommand.claim.requiredAction == .caseClaim)
        #expect(CaseCommand.resolve.requiredAction == .caseHandle)
        #expect(CaseCommand.returnCase.requiredAction == .caseEscalate)
        #expect(CaseCommand.arbitrate(upheld: true).requiredAction == .caseArbitrate)
        #expect(CaseCommand.verify(passed: true).requiredAction == .caseVerify)
        #expect(CaseCommand.accept.requiredAction == .caseDispatch)
        // A department handler may claim but not verify; a grid worker may not dispatch.
        let policy = AuthorizationPolicy.standard
        #expect(policy.actions(for: .departmentHandler).contains(CaseCommand.claim.requiredAction))
        #expect(!policy.actions(for: .departmentHandler).contains(CaseCommand.verify(passed: true).requiredAction))
        #expect(!policy.actions(for: .gridWorker).contains(CaseCommand.dispatch.requiredAction))
    }
}
