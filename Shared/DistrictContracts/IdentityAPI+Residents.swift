public import DistrictProtocol

/// A household (户): a door in a building or unit of the org tree.
public struct Household: Codable, Sendable, Hashable {
    /// The household's id (a UUID).
    public var id: String
    /// The id of the building or unit node it belongs to; stable across moves.
    public var nodeID: String
    /// The node's current path.
    public var nodePath: String
    /// The door (门牌), unique within the node, e.g. `0301`.
    public var door: String
    /// How many residents are registered in it.
    public var residentCount: Int

    /// Creates a household.
    public init(id: String, nodeID: String, nodePath: String, door: String, residentCount: Int) {
        self.id = id
        self.nodeID = nodeID
        self.nodePath = nodePath
        self.door = door
        self.residentCount = residentCount
    }
}

/// A resident (居民) as a caller sees them: phone and ID-card number masked
/// (`138****5678`, `110***********1234`) unless an unmasked read was asked for and allowed.
public struct Resident: Codable, Sendable, Hashable {
    /// The resident's id (a UUID).
    public var id: String
    /// The household they belong to.
    public var householdID: String
    /// The household's node path.
    public var nodePath: String
    /// The household's door.
    public var door: String
    /// The name.
    public var name: String
    /// The mobile number, masked unless `masked` is false; nil when none is registered.
    public var phone: String?
    /// The ID-card number, masked unless `masked` is false; nil when none is registered.
    public var idNumber: String?
    /// Whether `phone` and `idNumber` are masked.
    public var masked: Bool

    /// Creates a resident.
    public init(id: String, householdID: String, nodePath: String, door: String, name: String, phone: String?, idNumber: String?, masked: Bool) {
        self.id = id
        self.householdID = householdID
        self.nodePath = nodePath
        self.door = door
        self.name = name
        self.phone = phone
        self.idNumber = idNumber
        self.masked = masked
    }
}

extension IdentityAPI {
    /// `household.create`: registers a household at a building or unit node. Needs
    /// `resident.write` at the node.
    public enum HouseholdCreate: MethodDescriptor {
        public static let name = "household.create"

        /// Where the household is.
        public struct Params: Codable, Sendable, Hashable {
            /// The id of a `building` or `unit` org node.
            public var nodeID: String
            /// The door, 1–16 characters of letters, digits and `-`, unique within the node.
            public var door: String

            /// Creates the parameters.
            public init(nodeID: String, door: String) {
                self.nodeID = nodeID
                self.door = door
            }
        }

        public typealias Result = Household
    }

    /// `household.list`: the households anywhere under an org node, by node path and door,
    /// a page at a time. Needs `resident.read` at the node.
    public enum HouseholdList: MethodDescriptor {
        public static let name = "household.list"
        /// The page size when none is given.
        public static let defaultLimit = 100
        /// The largest page size.
        public static let maxLimit = 500

        /// The subtree and the page asked for.
        public struct Params: Codable, Sendable, Hashable {
            /// The org node whose subtree is listed.
            public var path: String
            /// The `nextCursor` of the previous page; nil for the first page.
            public var cursor: String?
            /// Households per page, 1 … 500 (default 100).
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
            /// The households of this page.
            public var households: [Household]
            /// Pass as `cursor` to get the next page; nil on the last page.
            public var nextCursor: String?

            /// Creates the result.
            public init(households: [Household], nextCursor: String?) {
                self.households = households
                self.nextCursor = nextCursor
            }
        }
    }

    /// `resident.create`: registers a resident in a household. Needs `resident.write` at
    /// the household's node. The result is masked.
    public enum ResidentCreate: MethodDescriptor {
        public static let name = "resident.create"

        /// The resident.
        public struct Params: Codable, Sendable, Hashable {
            /// The household.
            public var householdID: String
            /// The name: 1–32 characters after trimming, no control characters.
            public var name: String
            /// A mainland mobile number (11 digits starting with 1; spaces, dashes and a
            /// leading +86 are ignored).
            public var phone: String?
            /// An 18-character resident ID-card number with a valid check digit.
            public var idNumber: String?

            /// Creates the parameters.
            public init(householdID: String, name: String, phone: String? = nil, idNumber: String? = nil) {
                self.householdID = householdID
                self.name = name
                self.phone = phone
                self.idNumber = idNumber
            }
        }

        public typealias Result = Resident
    }

    /// `resident.get`: one resident. Needs `resident.read` at the household's node;
    /// `unmasked: true` also needs `personal_data.read_unmasked` there and is audit-logged.
    public enum ResidentGet: MethodDescriptor {
        public static let name = "resident.get"

        /// The resident asked for.
        public struct Params: Codable, Sendable, Hashable {
            /// The resident's id.
            public var id: String
            /// Ask for the phone and ID-card number in the clear (default false).
            public var unmasked: Bool?

            /// Creates the parameters.
            public init(id: String, unmasked: Bool? = nil) {
                self.id = id
                self.unmasked = unmasked
            }
        }

        public typealias Result = Resident
    }

    /// `resident.findByPhone`: the residents under an org node registered with a phone
    /// number (an exact match through a keyed hash; the number is never stored in the
    /// clear). Needs `resident.read` at the node; `unmasked: true` as for `resident.get`,
    /// with one audit entry per resident returned.
    public enum ResidentFindByPhone: MethodDescriptor {
        public static let name = "resident.findByPhone"
        /// The most residents returned.
        public static let maxResults = 50

        /// The number and where to look.
        public struct Params: Codable, Sendable, Hashable {
            /// The mobile number, as for `resident.create`.
            public var phone: String
            /// The org node whose subtree is searched.
            public var path: String
            /// Ask for the phone and ID-card number in the clear (default false).
            public var unmasked: Bool?

            /// Creates the parameters.
            public init(phone: String, path: String, unmasked: Bool? = nil) {
                self.phone = phone
                self.path = path
                self.unmasked = unmasked
            }
        }

        /// The residents found.
        public struct Result: Codable, Sendable, Hashable {
            /// At most 50 residents, by node path, door and name.
            public var residents: [Resident]

            /// Creates the result.
            public init(residents: [Resident]) { self.residents = residents }
        }
    }
}
