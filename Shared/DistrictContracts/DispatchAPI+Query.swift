public import DistrictProtocol

extension DispatchAPI {
    /// `case.get`: one case with its timeline. Needs `case.read` on the case, or being its reporter.
    public enum Get: MethodDescriptor {
        public static let name = "case.get"

        /// The case asked for.
        public struct Params: Codable, Sendable, Hashable {
            /// The case id.
            public var caseId: String
            /// Creates the parameters.
            public init(caseId: String) { self.caseId = caseId }
        }

        public typealias Result = CaseRecord
    }

    /// `case.list`: cases under an org subtree, newest first, page by page. Needs `case.read`
    /// at `path`; department staff see only cases dispatched to their department.
    public enum List: MethodDescriptor {
        public static let name = "case.list"
        /// The page size when none is given.
        public static let defaultLimit = 50
        /// The largest page size.
        public static let maxLimit = 500

        /// Filters and the page.
        public struct Params: Codable, Sendable, Hashable {
            /// The subtree, e.g. `d01.s01`.
            public var path: String
            /// Only cases in one of these states.
            public var states: [CaseState]?
            /// Only this category.
            public var category: String?
            /// Only cases dispatched to this department.
            public var department: String?
            /// Words that must occur in title or description.
            public var text: String?
            /// The previous page's `nextCursor`.
            public var cursor: String?
            /// 1 … 500 (default 50).
            public var limit: Int?

            /// Creates the parameters.
            public init(
                path: String, states: [CaseState]? = nil, category: String? = nil, department: String? = nil,
                text: String? = nil, cursor: String? = nil, limit: Int? = nil
            ) {
                self.path = path
                self.states = states
                self.category = category
                self.department = department
                self.text = text
                self.cursor = cursor
                self.limit = limit
            }
        }

        /// One page.
        public struct Result: Codable, Sendable, Hashable {
            /// The cases, newest first (without timelines).
            public var cases: [CaseRecord]
            /// Pass as `cursor` for the next page; nil on the last.
            public var nextCursor: String?
            /// Creates the result.
            public init(cases: [CaseRecord], nextCursor: String?) {
                self.cases = cases
                self.nextCursor = nextCursor
            }
        }
    }

    /// `case.queue`: a department's work queue: its cases in dispatched, escalated, claimed or
    /// in_progress, oldest deadline first. Needs `case.read` at `path` for `department`.
    public enum Queue: MethodDescriptor {
        public static let name = "case.queue"

        /// The department and the subtree.
        public struct Params: Codable, Sendable, Hashable {
            /// The department code.
            public var department: String
            /// The subtree the caller works in, e.g. `d01`.
            public var path: String
            /// The previous page's `nextCursor`.
            public var cursor: String?
            /// 1 … 500 (default 50).
            public var limit: Int?
            /// Creates the parameters.
            public init(department: String, path: String, cursor: String? = nil, limit: Int? = nil) {
                self.department = department
                self.path = path
                self.cursor = cursor
                self.limit = limit
            }
        }

        public typealias Result = List.Result
    }
}
