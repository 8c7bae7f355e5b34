public import DistrictProtocol

/// A node's place in the org tree as a materialised path of node codes, root first,
/// for example `d01.s03.c12.g0457` (district.street.community.grid).
///
/// Labels are `[a-z0-9_]{1,32}` and a path has at most 16 of them, so every path is a
/// valid PostgreSQL `ltree` value. Paths order label by label, so a parent sorts
/// before its children, as `ltree` does.
public struct OrgPath: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The most levels a path may have.
    public static let maxDepth = 16
    /// The longest a single label may be.
    public static let maxLabelLength = 32

    /// The node codes from the root down to this node; never empty.
    public let components: [String]

    /// Parses a dotted path such as `d01.s03`; throws `.invalidParams` naming the fault.
    public init(_ text: String) throws(DistrictError) {
        guard !text.isEmpty else { throw Self.invalid("org path is empty") }
        try self.init(components: text.split(separator: ".", omittingEmptySubsequences: false).map(String.init))
    }

    /// Builds a path from its labels, root first; throws `.invalidParams` if one is invalid.
    public init(components: [String]) throws(DistrictError) {
        guard !components.isEmpty else { throw Self.invalid("org path is empty") }
        guard components.count <= Self.maxDepth else {
            throw Self.invalid("org path has \(components.count) levels; at most \(Self.maxDepth) are allowed")
        }
        for label in components {
            try Self.validate(label)
        }
        self.components = components
    }

    /// The path as dotted text, for example `d01.s03.c12`.
    public var description: String { components.joined(separator: ".") }

    /// The number of levels (1 for a root such as `d01`).
    public var depth: Int { components.count }

    /// The code of the node itself (the last label).
    public var leaf: String { components[components.count - 1] }

    /// The path of the parent node, or `nil` for a root.
    public var parent: OrgPath? {
        guard components.count > 1 else { return nil }
        return OrgPath(trusted: Array(components.dropLast()))
    }

    /// True when `other` is this node or lies anywhere in its subtree (`ltree`'s `@>`).
    ///
    /// Matching is by whole labels, so `d01.s03` does not contain `d01.s030`.
    public func contains(_ other: OrgPath) -> Bool {
        other.components.count >= components.count
            && other.components.prefix(components.count).elementsEqual(components)
    }

    /// True when `other` lies strictly below this node (a proper descendant, not itself).
    public func isAncestor(of other: OrgPath) -> Bool {
        other.components.count > components.count && contains(other)
    }

    /// The path of a child node with code `label`; throws if the label is invalid or
    /// the path would exceed the maximum depth.
    public func appending(_ label: String) throws(DistrictError) -> OrgPath {
        try OrgPath(components: components + [label])
    }

    /// Orders label by label; a prefix sorts before the longer path.
    public static func < (lhs: OrgPath, rhs: OrgPath) -> Bool {
        lhs.components.lexicographicallyPrecedes(rhs.components)
    }

    private init(trusted components: [String]) {
        self.components = components
    }

    private static func validate(_ label: String) throws(DistrictError) {
        guard !label.isEmpty else { throw invalid("org path has an empty label") }
        guard label.utf8.count <= maxLabelLength else {
            throw invalid("org path label '\(label.prefix(maxLabelLength))…' is longer than \(maxLabelLength) characters")
        }
        for byte in label.utf8 {
            let allowed = (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "_")
            guard allowed else {
                throw invalid("org path label '\(label)' may contain only a-z, 0-9 and _")
            }
        }
    }

    private static func invalid(_ message: String) -> DistrictError {
        .invalidParams(message, field: "path")
    }
}
