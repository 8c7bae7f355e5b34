public import DistrictContracts
public import DistrictProtocol

/// The shape of the org tree: which kind of node may sit under which, and what a name may
/// be. Pure; the handlers apply it before writing.
public enum OrgRules {
    /// The longest display name, in characters.
    public static let maxNameLength = 64

    /// The kinds a node of `kind` may sit under; empty for the district, which is the root.
    ///
    /// Party nodes sit under the region node they serve, so the party tree is read beside
    /// the region tree (a community's party committee is a child of the community).
    public static func allowedParents(of kind: OrgKind) -> Set<OrgKind> {
        switch kind {
        case .district: []
        case .street, .township: [.district]
        case .community, .village: [.street, .township]
        case .grid: [.community, .village]
        case .compound: [.grid]
        case .building: [.compound]
        case .unit: [.building]
        case .department: [.district]
        case .mediationBody, .legalStation: [.district, .street, .township, .community, .village]
        case .streetPartyCommittee: [.street, .township]
        case .communityPartyCommittee: [.community, .village]
        case .gridPartyBranch: [.grid, .compound]
        case .buildingPartyGroup: [.building]
        }
    }

    /// Checks that a node of `kind` may sit under a parent of `parentKind` (nil: no
    /// parent, i.e. the node would be a root); throws `invalid_params` naming `field`.
    public static func checkPlacement(of kind: OrgKind, under parentKind: OrgKind?, field: String) throws(DistrictError) {
        let allowed = allowedParents(of: kind)
        guard let parentKind else {
            guard allowed.isEmpty else {
                throw .invalidParams("a \(kind.rawValue) needs a parent (one of: \(describe(allowed)))", field: field)
            }
            return
        }
        guard allowed.contains(parentKind) else {
            if allowed.isEmpty {
                throw .invalidParams("a \(kind.rawValue) is a root and cannot sit under a \(parentKind.rawValue)", field: field)
            }
            throw .invalidParams(
                "a \(kind.rawValue) cannot sit under a \(parentKind.rawValue) (allowed parents: \(describe(allowed)))", field: field)
        }
    }

    /// The name trimmed of surrounding white space, if it is 1–64 characters long and has
    /// no control characters; throws `invalid_params` (field `name`) otherwise.
    public static func validatedName(_ name: String) throws(DistrictError) -> String {
        let trimmed = name.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw .invalidParams("name is empty", field: "name") }
        guard trimmed.count <= maxNameLength else {
            throw .invalidParams("name has \(trimmed.count) characters; at most \(maxNameLength) are allowed", field: "name")
        }
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidParams("name contains a control character", field: "name")
        }
        return trimmed
    }

    private static func describe(_ kinds: Set<OrgKind>) -> String {
        kinds.map(\.rawValue).sorted().joined(separator: ", ")
    }
}

extension String {
    /// The string without leading and trailing white space (including ideographic space).
    fileprivate func trimmingWhitespace() -> String {
        var scalars = Substring(self).unicodeScalars
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
