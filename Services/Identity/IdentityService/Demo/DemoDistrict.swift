public import DistrictAuth
public import DistrictContracts
import Foundation

/// A demo district shaped like the seeds' figures (DOMAIN.md): 12 streets and 4
/// townships; 150 communities and villages; 570 grids (a real grid holds ~300
/// households); the party tree beside the region tree (a party working committee per
/// street, a party committee per community, a party branch per grid, a party group per
/// demo building); 12 departments; people's mediation committees and public legal
/// service stations at district, street and community level; and in the first grid of
/// every community one compound of 2 buildings × 2 units × 6 doors, each door a
/// household of 1–5 residents with phone and ID-card numbers.
///
/// Generated from a seed, so every run (and every machine) produces the same district.
/// Pure data: ``DemoSeeder`` writes it.
public struct DemoDistrict: Sendable {
    /// The demo root's code (its path).
    public static let rootCode = "demo"
    /// The default seed.
    public static let defaultSeed: UInt64 = 20_260_301

    /// One household to register.
    public struct Household: Sendable, Hashable {
        /// The unit's path.
        public var unitPath: String
        /// The door.
        public var door: String
        /// The residents.
        public var residents: [Resident]
    }

    /// One resident to register (clear values; the seeder seals them).
    public struct Resident: Sendable, Hashable {
        /// The name.
        public var name: String
        /// An 11-digit mobile number; nil for young children.
        public var phone: String?
        /// An 18-character ID-card number with a valid check digit.
        public var idNumber: String
    }

    /// A staff account the demo would like to have, for whoever creates user accounts
    /// (the extension point for demo users: a ``DemoSeedStep`` that reads this list).
    public struct Account: Sendable, Hashable {
        /// The login name.
        public var username: String
        /// The display name.
        public var displayName: String
        /// The role.
        public var role: Role
        /// Where the role is held.
        public var path: String
        /// The department, for department-scoped roles.
        public var department: String?
    }

    /// The org nodes, as an import (parents before children, codes unique).
    public private(set) var nodes: [OrgImportRow] = []
    /// The households with their residents.
    public private(set) var households: [Household] = []
    /// The demo accounts, for the user-account seeding step.
    public private(set) var accounts: [Account] = []

    /// The department codes and names (区直部门).
    public static let departments: [(code: String, name: String)] = [
        ("urban_mgmt", "区城市管理局"), ("market_reg", "区市场监督管理局"), ("public_security", "区公安分局"),
        ("civil_affairs", "区民政局"), ("justice", "区司法局"), ("housing", "区住房和城乡建设局"),
        ("environment", "区生态环境分局"), ("emergency", "区应急管理局"), ("petitions", "区信访局"),
        ("health", "区卫生健康委员会"), ("education", "区教育局"), ("human_resources", "区人力资源和社会保障局"),
    ]

    static let streetNames = ["新华", "和平", "解放", "人民", "建设", "文化", "胜利", "东风", "光明", "长江", "黄河", "朝阳"]
    static let townshipNames = ["青山镇", "白沙镇", "柳河乡", "石门镇"]
    static let communityStems = [
        "东风", "红旗", "幸福", "和谐", "阳光", "锦绣", "金桥", "翠湖", "枫林", "桃园", "柳荫", "松鹤", "书香", "民主",
        "团结", "丰收", "春晖", "滨河", "龙湾", "凤凰", "玉泉", "兴隆", "永安", "长青", "福寿", "安康", "新村", "花园",
    ]
    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢")
    static let givenCharacters = Array("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰海燕文辉力鹏飞宇浩然欣怡子涵梓轩雨婷佳琪思远晨阳")
    static let phonePrefixes = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155", "156",
                                "158", "159", "177", "180", "181", "182", "183", "185", "186", "187", "188", "189", "199"]
    /// The first six digits of the demo's ID-card numbers (an administrative division code).
    static let regionCode = "340102"

    /// Generates the district from `seed`.
    public init(seed: UInt64 = DemoDistrict.defaultSeed) {
        var random = DemoRandom(seed: seed)
        var usedIDNumbers: Set<String> = []
        let root = Self.rootCode
        var row = 0
        func add(_ code: String, _ kind: OrgKind, _ name: String, _ parent: String?) {
            row += 1
            nodes.append(OrgImportRow(row: row, code: code, kind: kind.rawValue, name: name, parentCode: parent))
        }

        add(root, .district, "东湖区", nil)
        for department in Self.departments { add(department.code, .department, department.name, root) }
        add("mediation", .mediationBody, "区人民调解委员会", root)
        add("legal", .legalStation, "区公共法律服务中心", root)
        accounts.append(Account(username: "district.centre", displayName: "区综治中心值班员", role: .districtCommandCentre, path: root))
        accounts.append(Account(username: "sysadmin", displayName: "系统管理员", role: .systemAdministrator, path: root))
        accounts.append(Account(username: "secadmin", displayName: "安全管理员", role: .securityAdministrator, path: root))
        accounts.append(Account(username: "auditor", displayName: "安全审计员", role: .auditor, path: root))
        for department in Self.departments.prefix(4) {
            accounts.append(Account(
                username: "\(department.code).handler", displayName: "\(department.name)办件员", role: .departmentHandler, path: root,
                department: department.code))
        }

        // 16 streets and townships; 150 communities and villages: the first 6 get 10, the rest 9.
        var streets: [(code: String, name: String, isTownship: Bool)] = []
        for (offset, name) in Self.streetNames.enumerated() {
            streets.append((code: String(format: "s%02d", offset + 1), name: "\(name)街道", isTownship: false))
        }
        for (offset, name) in Self.townshipNames.enumerated() {
            streets.append((code: String(format: "t%02d", offset + 13), name: name, isTownship: true))
        }
        // 570 grids over 150 communities: 120 with 4, 30 with 3, chosen by the seed.
        var gridCounts = [Int](repeating: 4, count: 120) + [Int](repeating: 3, count: 30)
        gridCounts.shuffle(using: &random)
        var communityIndex = 0
        for (streetIndex, street) in streets.enumerated() {
            add(street.code, street.isTownship ? .township : .street, street.name, root)
            add("\(street.code)p", .streetPartyCommittee, "\(street.name)党工委", street.code)
            add("\(street.code)m", .mediationBody, "\(street.name)人民调解委员会", street.code)
            add("\(street.code)l", .legalStation, "\(street.name)公共法律服务工作站", street.code)
            accounts.append(Account(
                username: "\(street.code).centre", displayName: "\(street.name)综合指挥中心", role: .streetCommandCentre, path: "\(root).\(street.code)"))
            let communities = streetIndex < 6 ? 10 : 9
            var stems = Self.communityStems
            stems.shuffle(using: &random)
            for number in 1...communities {
                let code = "\(street.code)\(street.isTownship ? "v" : "c")\(String(format: "%02d", number))"
                let name = "\(stems[number - 1])\(street.isTownship ? "村" : "社区")"
                let communityPath = "\(root).\(street.code).\(code)"
                add(code, street.isTownship ? .village : .community, name, street.code)
                add("\(code)p", .communityPartyCommittee, "\(name)\(street.isTownship ? "党总支" : "党委")", code)
                add("\(code)m", .mediationBody, "\(name)人民调解委员会", code)
                add("\(code)l", .legalStation, "\(name)法律服务室", code)
                let grids = gridCounts[communityIndex]
                communityIndex += 1
                for grid in 1...grids {
                    let gridCode = "\(code)g\(grid)"
                    let gridName = "\(name)第\(Self.numerals[grid])网格"
                    add(gridCode, .grid, gridName, code)
                    add("\(gridCode)p", .gridPartyBranch, "\(gridName)党支部", gridCode)
                }
                // One compound in the first grid, with households.
                let gridCode = "\(code)g1"
                let compound = "\(gridCode)x1"
                add(compound, .compound, "\(stems[number - 1])小区", gridCode)
                accounts.append(Account(
                    username: "\(gridCode).worker", displayName: "\(name)第一网格网格员", role: .gridWorker, path: "\(communityPath).\(gridCode)"))
                for building in 1...2 {
                    let buildingCode = "\(compound)b\(building)"
                    add(buildingCode, .building, "\(building)号楼", compound)
                    add("\(buildingCode)p", .buildingPartyGroup, "\(building)号楼党小组", buildingCode)
                    for unit in 1...2 {
                        let unitCode = "\(buildingCode)u\(unit)"
                        add(unitCode, .unit, "\(unit)单元", buildingCode)
                        let unitPath = "\(communityPath).\(gridCode).\(compound).\(buildingCode).\(unitCode)"
                        for floor in 1...3 {
                            for door in 1...2 {
                                let residents = Self.household(using: &random, usedIDNumbers: &usedIDNumbers)
                                households.append(Household(unitPath: unitPath, door: "\(floor)0\(door)", residents: residents))
                            }
                        }
                    }
                }
            }
        }
        accounts.append(Account(username: "mediator", displayName: "区调委会调解员", role: .mediator, path: root))
        accounts.append(Account(username: "legal.adviser", displayName: "法律顾问", role: .legalAdviser, path: "\(root).s01"))
        // One of each remaining role, in the first community, so every role can be tried.
        if let firstGrid = accounts.first(where: { $0.role == .gridWorker })?.path {
            let community = firstGrid.split(separator: ".").dropLast().joined(separator: ".")
            accounts.append(Account(username: "grid.chief", displayName: "网格长", role: .gridChief, path: firstGrid))
            accounts.append(Account(username: "community.worker", displayName: "社区工作者", role: .communityWorker, path: community))
            accounts.append(Account(username: "party.instructor", displayName: "党建指导员", role: .partyInstructor, path: community))
            accounts.append(Account(username: "legal.savvy", displayName: "法律明白人", role: .legalSavvyResident, path: community))
            accounts.append(Account(username: "resident.demo", displayName: "居民", role: .resident, path: root))
        }
        if let department = Self.departments.first {
            accounts.append(Account(
                username: "\(department.code).lead", displayName: "\(department.name)负责人", role: .departmentLead, path: root,
                department: department.code))
        }
    }

    static let numerals = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]

    /// 1–5 residents: the first an adult with a phone; children under 12 have none.
    static func household(using random: inout DemoRandom, usedIDNumbers: inout Set<String>) -> [Resident] {
        let size = random.pick([1, 2, 2, 3, 3, 3, 4, 4, 5])
        let surname = random.pick(surnames)
        var residents: [Resident] = []
        for index in 0..<size {
            let year = index < 2 ? random.int(1945...1998) : random.int(1990...2022)
            var given = String(random.pick(givenCharacters))
            if random.int(0...2) > 0 { given.append(random.pick(givenCharacters)) }
            let name = (index == 1 ? String(random.pick(surnames)) : String(surname)) + given
            var idNumber: String
            repeat {
                let body = regionCode + String(format: "%04d%02d%02d%03d", year, random.int(1...12), random.int(1...28), random.int(1...999))
                idNumber = body + String(ResidentRules.checkCharacter(of: body.compactMap(\.wholeNumberValue)))
            } while !usedIDNumbers.insert(idNumber).inserted
            let phone = year <= 2013 ? random.pick(phonePrefixes) + String(format: "%08d", random.int(0...99_999_999)) : nil
            residents.append(Resident(name: name, phone: phone, idNumber: idNumber))
        }
        return residents
    }

    /// The number of nodes of each kind.
    public var countsByKind: [OrgKind: Int] {
        nodes.reduce(into: [:]) { counts, row in
            if let kind = OrgKind(rawValue: row.kind) { counts[kind, default: 0] += 1 }
        }
    }

    /// The number of residents.
    public var residentCount: Int { households.reduce(0) { $0 + $1.residents.count } }
}
