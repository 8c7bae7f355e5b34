public import DistrictProtocol

extension DispatchAPI {
    /// The two cases of a manual link or unlink, as they are afterwards.
    public struct LinkResult: Codable, Sendable, Hashable {
        /// The case that was (or no longer is) a duplicate.
        public var duplicate: CaseRecord
        /// The case it was linked into.
        public var target: CaseRecord
        /// Creates the result.
        public init(duplicate: CaseRecord, target: CaseRecord) {
            self.duplicate = duplicate
            self.target = target
        }
    }

    /// `case.link`: staff mark `caseId` as a duplicate of the open case `intoCaseId` (合并
    /// 重复件). The duplicate (reported, accepted or dispatched, not yet claimed) ends as
    /// `rejected` with a `case.linked` entry; its reporters join the target, counted once.
    /// Needs `case.dispatch` on both cases.
    public enum Link: MethodDescriptor {
        public static let name = "case.link"

        /// The duplicate and its target.
        public struct Params: Codable, Sendable, Hashable {
            /// The case that duplicates another.
            public var caseId: String
            /// The open case it duplicates.
            public var intoCaseId: String
            /// Why (shown in both timelines).
            public var note: String?
            /// Creates the parameters.
            public init(caseId: String, intoCaseId: String, note: String? = nil) {
                self.caseId = caseId
                self.intoCaseId = intoCaseId
                self.note = note
            }
        }

        public typealias Result = LinkResult
    }

    /// `case.unlink`: undoes a link (automatic merges are not undone this way): the case
    /// returns to the state it had, its reporters leave the target. Needs `case.dispatch`
    /// on both cases.
    public enum Unlink: MethodDescriptor {
        public static let name = "case.unlink"

        /// The linked case.
        public struct Params: Codable, Sendable, Hashable {
            /// The case that was linked as a duplicate.
            public var caseId: String
            /// Why.
            public var note: String?
            /// Creates the parameters.
            public init(caseId: String, note: String? = nil) {
                self.caseId = caseId
                self.note = note
            }
        }

        public typealias Result = LinkResult
    }
}
