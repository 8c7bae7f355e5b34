public import DistrictContracts

/// The outcome of a legal command: the new state, the event announcing it and what else
/// changes on the case.
public struct CaseTransition: Sendable, Hashable {
    /// The state before.
    public var from: CaseState
    /// The state after.
    public var to: CaseState
    /// The event type appended to the log and the timeline, e.g. `case.claimed`.
    public var event: String
    /// The claim ends (return, escalation, re-dispatch, reopening): the assignee is cleared.
    public var clearsAssignee: Bool = false
    /// A department's return: counted against the department.
    public var countsReturn: Bool = false
    /// An unsatisfied rating reopened the case.
    public var reopens: Bool = false
    /// An unsatisfied rating after a reopen: a supervisor reviews the case.
    public var needsSupervisorReview: Bool = false
    /// A new resolve deadline starts (dispatch).
    public var startsResolveDeadline: Bool = false
    /// The case's department is cleared (a return upheld: it goes elsewhere).
    public var clearsDepartment: Bool = false
}
