public import DistrictProtocol

/// The parameters of a transition that needs only the case and an optional note.
public struct CaseNoteParams: Codable, Sendable, Hashable {
    /// The case id.
    public var caseId: String
    /// A note for the timeline (at most 2000 characters).
    public var note: String?

    /// Creates the parameters.
    public init(caseId: String, note: String? = nil) {
        self.caseId = caseId
        self.note = note
    }
}

/// The parameters of a transition that needs a reason.
public struct CaseReasonParams: Codable, Sendable, Hashable {
    /// The case id.
    public var caseId: String
    /// Why (1–2000 characters).
    public var reason: String

    /// Creates the parameters.
    public init(caseId: String, reason: String) {
        self.caseId = caseId
        self.reason = reason
    }
}

extension DispatchAPI {
    /// `case.accept`: reported → accepted (受理). Needs `case.dispatch`.
    public enum Accept: MethodDescriptor {
        public static let name = "case.accept"
        public typealias Params = CaseNoteParams
        public typealias Result = CaseRecord
    }

    /// `case.reject`: reported or accepted → rejected, not our matter. Needs `case.dispatch`.
    public enum Reject: MethodDescriptor {
        public static let name = "case.reject"

        /// Why, and where the reporter should go instead.
        public struct Params: Codable, Sendable, Hashable {
            /// The case id.
            public var caseId: String
            /// Why it is not our matter.
            public var reason: String
            /// Where to go instead, e.g. `区人民法院`.
            public var redirectTo: String
            /// Creates the parameters.
            public init(caseId: String, reason: String, redirectTo: String) {
                self.caseId = caseId
                self.reason = reason
                self.redirectTo = redirectTo
            }
        }

        public typealias Result = CaseRecord
    }

    /// `case.dispatch`: accepted, escalated, reopened (or returned and upheld) → dispatched (派单).
    /// Without `department` the catalogue decides (自动交办); with it, the case goes there.
    /// Needs `case.dispatch`.
    public enum Dispatch: MethodDescriptor {
        public static let name = "case.dispatch"

        /// The case and, optionally, where it goes.
        public struct Params: Codable, Sendable, Hashable {
            /// The case id.
            public var caseId: String
            /// A department code; nil routes by the catalogue.
            public var department: String?
            /// A note.
            public var note: String?
            /// Creates the parameters.
            public init(caseId: String, department: String? = nil, note: String? = nil) {
                self.caseId = caseId
                self.department = department
                self.note = note
            }
        }

        public typealias Result = CaseRecord
    }

    /// `case.recategorize`: changes the category before the case is claimed and routes it
    /// again under the newest catalogue. Needs `case.dispatch`.
    public enum Recategorize: MethodDescriptor {
        public static let name = "case.recategorize"

        /// The case and its new category.
        public struct Params: Codable, Sendable, Hashable {
            /// The case id.
            public var caseId: String
            /// The new category code.
            public var category: String
            /// Creates the parameters.
            public init(caseId: String, category: String) {
                self.caseId = caseId
                self.category = category
            }
        }

        public typealias Result = CaseRecord
    }

    /// `case.claim`: dispatched or escalated → claimed (签收). Needs `case.claim` on the case
    /// (a department only on cases dispatched to it). Of two concurrent claims one wins;
    /// the other gets `invalid_transition`.
    public enum Claim: MethodDescriptor {
        public static let name = "case.claim"
        public typealias Params = CaseNoteParams
        public typealias Result = CaseRecord
    }

    /// `case.start`: claimed → in_progress. Needs `case.handle`.
    public enum Start: MethodDescriptor {
        public static let name = "case.start"
        public typealias Params = CaseNoteParams
        public typealias Result = CaseRecord
    }

    /// `case.resolve`: claimed or in_progress → resolved. Needs `case.handle`.
    public enum Resolve: MethodDescriptor {
        public static let name = "case.resolve"
        public typealias Params = CaseNoteParams
        public typealias Result = CaseRecord
    }

    /// `case.return`: dispatched, claimed or in_progress → returned (案件回流), with a reason.
    /// Needs `case.escalate` on the case. Counted per department.
    public enum Return: MethodDescriptor {
        public static let name = "case.return"
        public typealias Params = CaseReasonParams
        public typealias Result = CaseRecord
    }

    /// `case.arbitrate`: returned → accepted (return upheld: dispatch elsewhere) or
    /// dispatched (overruled: back to the same department). Needs `case.arbitrate`.
    public enum Arbitrate: MethodDescriptor {
        public static let name = "case.arbitrate"

        /// The decision.
        public struct Params: Codable, Sendable, Hashable {
            /// The case id.
            public var caseId: String
            /// True: the department was right; false: it must handle the case.
            public var upheld: Bool
            /// Why.
            public var note: String?
            /// Creates the parameters.
            public init(caseId: String, upheld: Bool, note: String? = nil) {
                self.caseId = caseId
                self.upheld = upheld
                self.note = note
            }
        }

        public typealias Result = CaseRecord
    }

    /// `case.escalate`: blows the whistle (吹哨): accepted, dispatched, claimed, in_progress or
    /// returned → escalated, summoning departments with a lead and a report-by time.
    /// Needs `case.escalate`.
    public enum Escalate: MethodDescriptor {
        public static let name = "case.escalate"

        /// The case and the summons.
        public struct Params: Codable, Sendable, Hashable {
            /// The case id.
            public var caseId: String
            /// Why.
            public var reason: String
            /// The summons.
            public var whistle: Whistle
            /// Creates the parameters.
            public init(caseId: String, reason: String, whistle: Whistle) {
                self.caseId = caseId
                self.reason = reason
                self.whistle = whistle
            }
        }

        public typealias Result = CaseRecord
    }

    /// `case.verify`: resolved → verified (passed) or in_progress (failed, back to the
    /// handler) (核查). Needs `case.verify`.
    public enum Verify: MethodDescriptor {
        public static let name = "case.verify"

        /// The outcome.
        public struct Params: Codable, Sendable, Hashable {
            /// The case id.
            public var caseId: String
            /// Whether the resolution holds.
            public var passed: Bool
            /// A note.
            public var note: String?
            /// Creates the parameters.
            public init(caseId: String, passed: Bool, note: String? = nil) {
                self.caseId = caseId
                self.passed = passed
                self.note = note
            }
        }

        public typealias Result = CaseRecord
    }

    /// `case.close`: verified → closed (结案). Needs `case.verify`.
    public enum Close: MethodDescriptor {
        public static let name = "case.close"
        public typealias Params = CaseNoteParams
        public typealias Result = CaseRecord
    }

    /// `case.rate`: the reporter's rating of a verified or closed case (评价), or a call-back
    /// (回访) recorded by staff with `case.verify`. `unsatisfied` reopens the case once; a
    /// second `unsatisfied` marks it for supervisor review.
    public enum Rate: MethodDescriptor {
        public static let name = "case.rate"

        /// The rating.
        public struct Params: Codable, Sendable, Hashable {
            /// The case id.
            public var caseId: String
            /// The rating.
            public var satisfaction: Satisfaction
            /// A comment.
            public var comment: String?
            /// Creates the parameters.
            public init(caseId: String, satisfaction: Satisfaction, comment: String? = nil) {
                self.caseId = caseId
                self.satisfaction = satisfaction
                self.comment = comment
            }
        }

        public typealias Result = CaseRecord
    }
}
