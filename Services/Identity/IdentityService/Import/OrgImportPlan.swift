public import DistrictAuth
public import DistrictContracts
public import DistrictProtocol

/// A validated import: every node with its path, parents before children. Pure; built
/// entirely before anything is written, so that any error writes nothing.
public struct OrgImportPlan: Sendable {
    /// One node to write.
    public struct Entry: Sendable, Hashable {
        /// Its row in the input.
        public var row: Int
        /// Its path.
        public var path: OrgPath
        /// Its code.
        public var code: String
        /// Its kind.
        public var kind: OrgKind
        /// Its validated name.
        public var name: String
    }

    /// The nodes, parents before children.
    public private(set) var entries: [Entry]
    /// The paths of the import's roots, in row order.
    public private(set) var rootPaths: [OrgPath]
    /// The existing node the roots go under; nil for a whole district.
    public let parentPath: OrgPath?

    /// Validates `rows` as a subtree under the existing node `parent` (its path and kind),
    /// or as a whole district when `parent` is nil. Throws `invalid_params` naming the
    /// first offending row: an empty or oversized import, a malformed code, an unknown
    /// kind, a bad name, a duplicate code, an unknown parent code, a cycle, a kind not
    /// allowed under its parent, or (for a whole district) not exactly one root.
    public init(rows: [OrgImportRow], under parent: (path: OrgPath, kind: OrgKind)?) throws(DistrictError) {
        guard !rows.isEmpty else { throw .invalidParams("the import has no nodes", field: "nodes") }
        guard rows.count <= IdentityAPI.OrgImport.maxNodes else {
            throw .invalidParams("the import has \(rows.count) nodes; at most \(IdentityAPI.OrgImport.maxNodes) are allowed in one call", field: "nodes")
        }
        self.parentPath = parent?.path

        // Each row on its own.
        var kinds: [OrgKind] = []
        var names: [String] = []
        var index: [String: Int] = [:]
        kinds.reserveCapacity(rows.count)
        names.reserveCapacity(rows.count)
        for (position, row) in rows.enumerated() {
            do throws(DistrictError) {
                _ = try OrgPath(components: [row.code])
            } catch {
                throw OrgImportRow.rowError(row.row, "code '\(row.code)': \(error.message.replacingOccurrences(of: "org path label", with: "code"))", field: "code")
            }
            guard let kind = OrgKind(rawValue: row.kind) else {
                throw OrgImportRow.rowError(
                    row.row, "unknown kind '\(row.kind)' (known: \(OrgKind.allCases.map(\.rawValue).joined(separator: ", ")))", field: "kind")
            }
            let name: String
            do throws(DistrictError) {
                name = try OrgRules.validatedName(row.name)
            } catch {
                throw OrgImportRow.rowError(row.row, error.message, field: "name")
            }
            if let first = index[row.code] {
                throw OrgImportRow.rowError(
                    row.row, "code '\(row.code)' appears twice in the import (first in row \(rows[first].row))", field: "code",
                    extra: ["code": row.code])
            }
            index[row.code] = position
            kinds.append(kind)
            names.append(name)
        }

        // Parents: known codes, no cycles, allowed kinds.
        var parentOf = [Int?](repeating: nil, count: rows.count)
        for (position, row) in rows.enumerated() {
            guard let code = row.parentCode else { continue }
            guard let parentPosition = index[code] else {
                throw OrgImportRow.rowError(row.row, "unknown parent code '\(code)' (not a code of this import)", field: "parentCode", extra: ["code": row.code])
            }
            parentOf[position] = parentPosition
        }
        var paths = [OrgPath?](repeating: nil, count: rows.count)
        var roots: [OrgPath] = []
        for start in rows.indices where paths[start] == nil {
            // Walk up to a node with a known path (or a root), then assign on the way down.
            var chain: [Int] = []
            var onChain: Set<Int> = []
            var cursor: Int? = start
            while let position = cursor, paths[position] == nil {
                guard onChain.insert(position).inserted else {
                    throw OrgImportRow.rowError(
                        rows[position].row, "the parent chain of '\(rows[position].code)' loops back to itself (a cycle)", field: "parentCode",
                        extra: ["code": rows[position].code])
                }
                chain.append(position)
                cursor = parentOf[position]
            }
            for position in chain.reversed() {
                let row = rows[position]
                do throws(DistrictError) {
                    if let parentPosition = parentOf[position] {
                        try OrgRules.checkPlacement(of: kinds[position], under: kinds[parentPosition], field: "kind")
                        paths[position] = try paths[parentPosition]!.appending(row.code)
                    } else {
                        try OrgRules.checkPlacement(of: kinds[position], under: parent?.kind, field: "kind")
                        if let parent {
                            paths[position] = try parent.path.appending(row.code)
                        } else {
                            paths[position] = try OrgPath(components: [row.code])
                        }
                    }
                } catch {
                    throw OrgImportRow.rowError(row.row, error.message, field: error.details?["field"] ?? "kind", extra: ["code": row.code])
                }
            }
        }
        for (position, row) in rows.enumerated() where row.parentCode == nil {
            roots.append(paths[position]!)
        }
        if parent == nil, roots.count != 1 {
            throw .invalidParams("a whole-district import has exactly one root (a node without parent code); this one has \(roots.count)", field: "parentCode")
        }
        self.rootPaths = roots
        self.entries = rows.indices.map { position in
            Entry(row: rows[position].row, path: paths[position]!, code: rows[position].code, kind: kinds[position], name: names[position])
        }
        entries.sort { $0.path.depth < $1.path.depth }
    }

    /// The number of nodes of each kind.
    public var countsByKind: [OrgKind: Int] {
        entries.reduce(into: [:]) { $0[$1.kind, default: 0] += 1 }
    }
}
