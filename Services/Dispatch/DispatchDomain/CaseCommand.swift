public import DistrictAuth
public import DistrictContracts

/// A request to change a case's state, as a value.
public enum CaseCommand: Sendable, Hashable {
    /// 受理.
    case accept
    /// Not our matter.
    case reject
    /// 派单 (also re-dispatch before a claim).
    case dispatch
    /// 签收.
    case claim
    /// Start handling.
    case start
    /// The handler reports it resolved.
    case resolve
    /// A department sends the case back (案件回流).
    case returnCase
    /// The arbiter upholds (`true`) or overrules (`false`) a return.
    case arbitrate(upheld: Bool)
    /// 吹哨.
    case escalate
    /// 核查: passed or failed.
    case verify(passed: Bool)
    /// 结案.
    case close
    /// The reporter's rating or a call-back.
    case rate(Satisfaction)
    /// Change the category before anyone claimed the case; a dispatched case is routed again.
    case recategorize

    /// The command's name in errors and logs, e.g. `claim`.
    public var name: String {
        switch self {
        case .accept: "accept"
        case .reject: "reject"
        case .dispatch: "dispatch"
        case .claim: "claim"
        case .start: "start"
        case .resolve: "resolve"
        case .returnCase: "return"
        case .arbitrate: "arbitrate"
        case .escalate: "escalate"
        case .verify: "verify"
        case .close: "close"
        case .rate: "rate"
        case .recategorize: "recategorize"
        }
    }

    /// The action the caller needs on the case. A reporter may also rate their own case
    /// without it (the service checks ownership).
    public var requiredAction: Action {
        switch self {
        case .accept, .reject, .dispatch, .recategorize: .caseDispatch
        case .claim: .caseClaim
        case .start, .resolve: .caseHandle
        case .returnCase, .escalate: .caseEscalate
        case .arbitrate: .caseArbitrate
        case .verify, .close, .rate: .caseVerify
        }
    }
}
