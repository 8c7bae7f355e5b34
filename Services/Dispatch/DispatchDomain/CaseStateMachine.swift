public import DistrictContracts
public import DistrictProtocol

/// The case lifecycle as a pure function of the current facts and a command.
/// `docs/case-lifecycle.md` draws it.
public enum CaseStateMachine {
    /// What the state machine needs to know about a case.
    public struct Facts: Sendable, Hashable {
        /// The current state.
        public var state: CaseState
        /// How often the case was reopened.
        public var reopenCount: Int
        /// Whether the reporter already rated the current round.
        public var isRated: Bool

        /// Creates the facts.
        public init(state: CaseState, reopenCount: Int = 0, isRated: Bool = false) {
            self.state = state
            self.reopenCount = reopenCount
            self.isRated = isRated
        }
    }

    /// How many times an unsatisfied rating reopens a case before it goes to a supervisor.
    public static let maximumReopens = 1

    /// The states each command may start from.
    public static func sources(of command: CaseCommand) -> Set<CaseState> {
        switch command {
        case .accept: [.reported]
        case .reject: [.reported, .accepted]
        case .dispatch: [.accepted, .dispatched, .escalated, .reopened]
        case .claim: [.dispatched, .escalated]
        case .start: [.claimed]
        case .resolve: [.claimed, .inProgress]
        case .returnCase: [.dispatched, .claimed, .inProgress]
        case .arbitrate: [.returned]
        case .escalate: [.accepted, .dispatched, .claimed, .inProgress, .returned]
        case .verify: [.resolved]
        case .close: [.verified]
        case .rate: [.closed]
        case .recategorize: [.reported, .accepted, .dispatched, .returned, .reopened]
        }
    }

    /// The transition `command` makes from `facts`, or `invalid_transition`.
    public static func transition(_ command: CaseCommand, from facts: Facts) throws(DistrictError) -> CaseTransition {
        let state = facts.state
        guard sources(of: command).contains(state) else {
            throw refusal(command, state, "a case in state \(state.rawValue) cannot be \(pastTense(command))")
        }
        switch command {
        case .accept:
            return CaseTransition(from: state, to: .accepted, event: "case.accepted")
        case .reject:
            return CaseTransition(from: state, to: .rejected, event: "case.rejected")
        case .dispatch:
            return CaseTransition(from: state, to: .dispatched, event: "case.dispatched", clearsAssignee: true, startsResolveDeadline: true)
        case .claim:
            return CaseTransition(from: state, to: .claimed, event: "case.claimed")
        case .start:
            return CaseTransition(from: state, to: .inProgress, event: "case.started")
        case .resolve:
            return CaseTransition(from: state, to: .resolved, event: "case.resolved")
        case .returnCase:
            return CaseTransition(from: state, to: .returned, event: "case.returned", clearsAssignee: true, countsReturn: true)
        case .arbitrate(let upheld):
            return upheld
                ? CaseTransition(from: state, to: .accepted, event: "case.return_upheld", clearsDepartment: true)
                : CaseTransition(from: state, to: .dispatched, event: "case.return_overruled", startsResolveDeadline: true)
        case .escalate:
            return CaseTransition(from: state, to: .escalated, event: "case.escalated", clearsAssignee: true, startsResolveDeadline: true)
        case .verify(let passed):
            return passed
                ? CaseTransition(from: state, to: .verified, event: "case.verified")
                : CaseTransition(from: state, to: .inProgress, event: "case.verification_failed")
        case .close:
            return CaseTransition(from: state, to: .closed, event: "case.closed")
        case .rate(let satisfaction):
            guard !facts.isRated else {
                throw refusal(command, state, "the case was already rated")
            }
            guard satisfaction == .unsatisfied else {
                return CaseTransition(from: state, to: .closed, event: "case.rated")
            }
            if facts.reopenCount < maximumReopens {
                return CaseTransition(from: state, to: .reopened, event: "case.reopened", clearsAssignee: true, reopens: true)
            }
            return CaseTransition(from: state, to: .closed, event: "case.rated", needsSupervisorReview: true)
        case .recategorize:
            // A dispatched case goes where the new category belongs, with a fresh deadline;
            // earlier states keep their state and are routed when dispatched.
            return state == .dispatched
                ? CaseTransition(from: state, to: .dispatched, event: "case.recategorized", clearsAssignee: true, startsResolveDeadline: true)
                : CaseTransition(from: state, to: state, event: "case.recategorized")
        }
    }

    private static func refusal(_ command: CaseCommand, _ state: CaseState, _ message: String) -> DistrictError {
        DistrictError(.invalidTransition, message, details: ["state": state.rawValue, "command": command.name])
    }

    private static func pastTense(_ command: CaseCommand) -> String {
        switch command {
        case .accept: "accepted"
        case .reject: "rejected"
        case .dispatch: "dispatched"
        case .claim: "claimed"
        case .start: "started"
        case .resolve: "resolved"
        case .returnCase: "returned"
        case .arbitrate: "arbitrated"
        case .escalate: "escalated"
        case .verify: "verified"
        case .close: "closed"
        case .rate: "rated"
        case .recategorize: "recategorized"
        }
    }
}
