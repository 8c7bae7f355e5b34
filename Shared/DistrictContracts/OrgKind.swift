/// What an org node is: a level of the region tree, a node of the party tree beside it,
/// a department, a mediation body or a legal-service station (DOMAIN.md).
///
/// Which kind may sit under which is the identity service's rule (`org.create`, `org.move`).
public enum OrgKind: String, Codable, Sendable, Hashable, CaseIterable {
    /// 区: the root of a district's tree.
    case district
    /// 街道.
    case street
    /// 乡镇.
    case township
    /// 社区.
    case community
    /// 村.
    case village
    /// 网格.
    case grid
    /// 小区.
    case compound
    /// 楼栋.
    case building
    /// 单元.
    case unit
    /// 区直部门.
    case department
    /// 调解组织.
    case mediationBody = "mediation_body"
    /// 法律服务站.
    case legalStation = "legal_station"
    /// 街道党工委.
    case streetPartyCommittee = "street_party_committee"
    /// 社区党委.
    case communityPartyCommittee = "community_party_committee"
    /// 网格 / 小区党支部.
    case gridPartyBranch = "grid_party_branch"
    /// 楼院党小组.
    case buildingPartyGroup = "building_party_group"
}
