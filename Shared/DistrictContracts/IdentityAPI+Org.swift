public import DistrictProtocol

/// One node of the org tree.
public struct OrgNode: Codable, Sendable, Hashable {
    /// The node's stable id (a UUID); it survives moves.
    public var id: String
    /// The dotted materialised path, root first, e.g. `d01.s03.c12`; its last label is `code`.
    public var path: String
    /// The node's code, unique among its siblings (`[a-z0-9_]{1,32}`).
    public var code: String
    /// What the node is.
    public var kind: OrgKind
    /// The display name, e.g. `新华街道`.
    public var name: String
    /// The parent's path; nil for the district root.
    public var parentPath: String?

    /// Creates a node.
    public init(id: String, path: String, code: String, kind: OrgKind, name: String, parentPath: String?) {
        self.id = id
        self.path = path
        self.code = code
        self.kind = kind
        self.name = name
        self.parentPath = parentPath
    }
}

extension IdentityAPI {
    /// `org.create`: adds a node under an existing parent (or the district root).
    public enum OrgCreate: MethodDescriptor {
        public static let name = "org.create"

        /// The new node.
        public struct Params: Codable, Sendable, Hashable {
            /// The parent's path; nil only for a district root.
            public var parentPath: String?
            /// The node's code, which becomes the last label of its path.
            public var code: String
            /// What the node is; must be allowed under the parent's kind.
            public var kind: OrgKind
            /// The display name: 1–64 characters after trimming, no control characters.
            public var name: String

            /// Creates the parameters.
            public init(parentPath: String?, code: String, kind: OrgKind, name: String) {
                self.parentPath = parentPath
                self.code = code
                self.kind = kind
                self.name = name
            }
        }

        public typealias Result = OrgNode
    }

    /// `org.rename`: changes a node's display name (its code and path stay).
    public enum OrgRename: MethodDescriptor {
        public static let name = "org.rename"

        /// The node and its new name.
        public struct Params: Codable, Sendable, Hashable {
            /// The node's path.
            public var path: String
            /// The new display name.
            public var name: String

            /// Creates the parameters.
            public init(path: String, name: String) {
                self.path = path
                self.name = name
            }
        }

        public typealias Result = OrgNode
    }

    /// `org.move`: moves a node and its whole subtree under another parent, in one transaction.
    public enum OrgMove: MethodDescriptor {
        public static let name = "org.move"

        /// The node and where it goes.
        public struct Params: Codable, Sendable, Hashable {
            /// The node's current path.
            public var path: String
            /// The path of its new parent.
            public var newParentPath: String

            /// Creates the parameters.
            public init(path: String, newParentPath: String) {
                self.path = path
                self.newParentPath = newParentPath
            }
        }

        /// The node at its new path.
        public typealias Result = OrgNode
    }

    /// `org.get`: one node and its ancestors.
    public enum OrgGet: MethodDescriptor {
        public static let name = "org.get"

        /// The node asked for.
        public struct Params: Codable, Sendable, Hashable {
            /// The node's path.
            public var path: String

            /// Creates the parameters.
            public init(path: String) { self.path = path }
        }

        /// The node and the chain above it.
        public struct Result: Codable, Sendable, Hashable {
            /// The node.
            public var node: OrgNode
            /// Its ancestors, root first (empty for the root).
            public var ancestors: [OrgNode]

            /// Creates the result.
            public init(node: OrgNode, ancestors: [OrgNode]) {
                self.node = node
                self.ancestors = ancestors
            }
        }
    }

    /// `org.children`: the direct children of a node, ordered by path.
    public enum OrgChildren: MethodDescriptor {
        public static let name = "org.children"

        /// The parent node.
        public struct Params: Codable, Sendable, Hashable {
            /// The node's path.
            public var path: String

            /// Creates the parameters.
            public init(path: String) { self.path = path }
        }

        /// The children.
        public struct Result: Codable, Sendable, Hashable {
            /// The direct children, ordered by path.
            public var nodes: [OrgNode]

            /// Creates the result.
            public init(nodes: [OrgNode]) { self.nodes = nodes }
        }
    }

    /// `org.subtree`: a node and everything under it, page by page in path order.
    public enum OrgSubtree: MethodDescriptor {
        public static let name = "org.subtree"
        /// The page size when none is given.
        public static let defaultLimit = 200
        /// The largest page size.
        public static let maxLimit = 1000

        /// The subtree and the page asked for.
        public struct Params: Codable, Sendable, Hashable {
            /// The subtree's root.
            public var path: String
            /// The `nextCursor` of the previous page; nil for the first page.
            public var cursor: String?
            /// Nodes per page, 1 … 1000 (default 200).
            public var limit: Int?

            /// Creates the parameters.
            public init(path: String, cursor: String? = nil, limit: Int? = nil) {
                self.path = path
                self.cursor = cursor
                self.limit = limit
            }
        }

        /// One page.
        public struct Result: Codable, Sendable, Hashable {
            /// The nodes of this page, in path order (parents before children); the
            /// first page starts with the subtree's root itself.
            public var nodes: [OrgNode]
            /// Pass as `cursor` to get the next page; nil on the last page.
            public var nextCursor: String?

            /// Creates the result.
            public init(nodes: [OrgNode], nextCursor: String?) {
                self.nodes = nodes
                self.nextCursor = nextCursor
            }
        }
    }
}
