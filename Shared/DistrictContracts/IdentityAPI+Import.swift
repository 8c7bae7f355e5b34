public import DistrictProtocol

extension IdentityAPI {
    /// `org.import`: a whole district, or a subtree under an existing node, in one call and
    /// one transaction. Everything is validated before anything is written; any error
    /// writes nothing. Needs `org.write` at `parentPath` (for a whole district: at the new
    /// root's path), i.e. a system administrator.
    public enum OrgImport: MethodDescriptor {
        public static let name = "org.import"
        /// The most nodes one call may carry.
        public static let maxNodes = 50_000

        /// One node of the import. Codes are unique within the import; `parentCode` names
        /// another node of the same import, or is empty for a root of the import.
        public struct Node: Codable, Sendable, Hashable {
            /// The node's code (`[a-z0-9_]{1,32}`), the last label of its path.
            public var code: String
            /// The node's kind, as `OrgKind`'s raw value (kept as text so that an unknown
            /// kind is reported with its row, not as an undecodable request).
            public var kind: String
            /// The display name, 1–64 characters.
            public var name: String
            /// The parent's code within the import; nil or empty for a root of the import.
            public var parentCode: String?

            /// Creates a node.
            public init(code: String, kind: String, name: String, parentCode: String?) {
                self.code = code
                self.kind = kind
                self.name = name
                self.parentCode = parentCode
            }
        }

        /// The nodes, as JSON or as CSV text.
        public struct Params: Codable, Sendable, Hashable {
            /// The existing node the import's roots go under; nil to import a whole district,
            /// whose single root is then a `district` node.
            public var parentPath: String?
            /// The nodes as JSON objects (row n is the n-th element, from 1).
            public var nodes: [Node]?
            /// The nodes as CSV text with the header `code,kind,name,parent_code` (row n is
            /// line n, the header being line 1). Give `nodes` or `csv`, not both.
            public var csv: String?

            /// Creates the parameters.
            public init(parentPath: String?, nodes: [Node]? = nil, csv: String? = nil) {
                self.parentPath = parentPath
                self.nodes = nodes
                self.csv = csv
            }
        }

        /// What was written.
        public struct Result: Codable, Sendable, Hashable {
            /// How many nodes were created.
            public var imported: Int
            /// The paths of the import's roots.
            public var rootPaths: [String]

            /// Creates the result.
            public init(imported: Int, rootPaths: [String]) {
                self.imported = imported
                self.rootPaths = rootPaths
            }
        }
    }
}
