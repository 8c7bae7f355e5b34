public import DistrictProtocol

/// A staff account as the identity service reports it (never with its password hash).
public struct UserAccount: Codable, Sendable, Hashable {
    /// The account's stable id (a UUID); it is the `sub` of the account's tokens.
    public var id: String
    /// The login name, unique without regard to case.
    public var loginName: String
    /// The display name.
    public var displayName: String
    /// The department code, for department staff.
    public var department: String?
    /// Whether the account is disabled (it can neither log in nor refresh).
    public var disabled: Bool
    /// The roles held, each at an org node (by id, with the node's current path).
    public var roles: [RoleBindingInfo]

    /// Creates an account.
    public init(id: String, loginName: String, displayName: String, department: String?, disabled: Bool, roles: [RoleBindingInfo]) {
        self.id = id
        self.loginName = loginName
        self.displayName = displayName
        self.department = department
        self.disabled = disabled
        self.roles = roles
    }
}

/// One role binding as stored: a role held at an org node, named by id so that the
/// holder's reach moves with the node.
public struct RoleBindingInfo: Codable, Sendable, Hashable {
    /// The binding's id.
    public var id: String
    /// The role's wire name, e.g. `grid_worker`.
    public var role: String
    /// The org node's id.
    public var nodeID: String
    /// The node's current path.
    public var path: String
    /// The department code, for department-scoped roles.
    public var department: String?

    /// Creates a grant.
    public init(id: String, role: String, nodeID: String, path: String, department: String?) {
        self.id = id
        self.role = role
        self.nodeID = nodeID
        self.path = path
        self.department = department
    }
}

/// A department system's service account (its API key is shown only once, at creation).
public struct ServiceAccountInfo: Codable, Sendable, Hashable {
    /// The account's id (a UUID); its tokens' subject is `sa:<id>`.
    public var id: String
    /// A unique name, e.g. `urban-management-gateway`.
    public var name: String
    /// The department code the account's tokens are scoped to.
    public var department: String
    /// The first characters of the API key, to tell keys apart.
    public var keyPrefix: String
    /// Whether the key was revoked.
    public var revoked: Bool

    /// Creates the description.
    public init(id: String, name: String, department: String, keyPrefix: String, revoked: Bool) {
        self.id = id
        self.name = name
        self.department = department
        self.keyPrefix = keyPrefix
        self.revoked = revoked
    }
}

/// One line of the audit log.
public struct AuditRecord: Codable, Sendable, Hashable {
    /// The entry's id, increasing with time.
    public var id: Int64
    /// When it happened, ISO 8601 in UTC.
    public var occurredAt: String
    /// The actor's subject id (`anonymous` before login).
    public var actorSubject: String
    /// The actor's display name.
    public var actorName: String
    /// What was done, e.g. `user.create`.
    public var action: String
    /// `success`, `failure` or `denied`.
    public var outcome: String
    /// The kind of target, e.g. `user`.
    public var targetKind: String?
    /// The target's id.
    public var targetID: String?
    /// The org path of the target, when it has one.
    public var orgPath: String?
    /// Further facts (never secrets).
    public var details: [String: String]

    /// Creates a record.
    public init(
        id: Int64, occurredAt: String, actorSubject: String, actorName: String, action: String, outcome: String,
        targetKind: String?, targetID: String?, orgPath: String?, details: [String: String]
    ) {
        self.id = id
        self.occurredAt = occurredAt
        self.actorSubject = actorSubject
        self.actorName = actorName
        self.action = action
        self.outcome = outcome
        self.targetKind = targetKind
        self.targetID = targetID
        self.orgPath = orgPath
        self.details = details
    }
}

extension IdentityAPI {
    /// `user.create` (system administrator): a staff account with an initial password.
    public enum UserCreate: MethodDescriptor {
        public static let name = "user.create"

        /// The new account.
        public struct Params: Codable, Sendable, Hashable {
            /// The login name: 3–64 characters of `a-z A-Z 0-9 . _ -`, unique without regard to case.
            public var loginName: String
            /// The display name: 1–64 characters after trimming.
            public var displayName: String
            /// The department code, for department staff.
            public var department: String?
            /// The initial password; it must satisfy the password policy.
            public var password: String

            /// Creates the parameters.
            public init(loginName: String, displayName: String, department: String? = nil, password: String) {
                self.loginName = loginName
                self.displayName = displayName
                self.department = department
                self.password = password
            }
        }

        public typealias Result = UserAccount
    }

    /// `user.get`: one account with its roles.
    public enum UserGet: MethodDescriptor {
        public static let name = "user.get"

        /// The account asked for.
        public struct Params: Codable, Sendable, Hashable {
            /// The account's id.
            public var id: String
            /// Creates the parameters.
            public init(id: String) { self.id = id }
        }

        public typealias Result = UserAccount
    }

    /// `user.list`: accounts by login name, page by page.
    public enum UserList: MethodDescriptor {
        public static let name = "user.list"
        /// The page size when none is given.
        public static let defaultLimit = 100
        /// The largest page size.
        public static let maxLimit = 500

        /// The page asked for.
        public struct Params: Codable, Sendable, Hashable {
            /// The `nextCursor` of the previous page; nil for the first.
            public var cursor: String?
            /// Accounts per page, 1 … 500 (default 100).
            public var limit: Int?
            /// Creates the parameters.
            public init(cursor: String? = nil, limit: Int? = nil) {
                self.cursor = cursor
                self.limit = limit
            }
        }

        /// One page.
        public struct Result: Codable, Sendable, Hashable {
            /// The accounts, ordered by lower-cased login name.
            public var users: [UserAccount]
            /// Pass as `cursor` for the next page; nil on the last page.
            public var nextCursor: String?
            /// Creates the result.
            public init(users: [UserAccount], nextCursor: String?) {
                self.users = users
                self.nextCursor = nextCursor
            }
        }
    }

    /// The parameters naming one account.
    public struct UserRef: Codable, Sendable, Hashable {
        /// The account's id.
        public var id: String
        /// Creates the parameters.
        public init(id: String) { self.id = id }
    }

    /// `user.disable` (system administrator): the account can no longer log in or
    /// refresh; its refresh tokens are revoked. Access tokens already issued expire on
    /// their own (within 15 minutes).
    public enum UserDisable: MethodDescriptor {
        public static let name = "user.disable"
        public typealias Params = UserRef
        public typealias Result = UserAccount
    }

    /// `user.enable` (system administrator): undoes `user.disable`.
    public enum UserEnable: MethodDescriptor {
        public static let name = "user.enable"
        public typealias Params = UserRef
        public typealias Result = UserAccount
    }

    /// `user.setPassword`: the account holder changes their own password (with the old
    /// one), or a system administrator resets it (without). Either way the account's
    /// refresh tokens are revoked.
    public enum UserSetPassword: MethodDescriptor {
        public static let name = "user.setPassword"

        /// Whose password, and the new one.
        public struct Params: Codable, Sendable, Hashable {
            /// The account's id; nil means the caller's own.
            public var id: String?
            /// The current password; required when changing one's own.
            public var oldPassword: String?
            /// The new password; it must satisfy the password policy.
            public var newPassword: String
            /// Creates the parameters.
            public init(id: String? = nil, oldPassword: String? = nil, newPassword: String) {
                self.id = id
                self.oldPassword = oldPassword
                self.newPassword = newPassword
            }
        }

        public typealias Result = Empty
    }

    /// `role.grant` (security administrator): binds a role to an account at an org node.
    ///
    /// No account may hold two of the three administrator roles (`failed_precondition`).
    public enum RoleGrant: MethodDescriptor {
        public static let name = "role.grant"

        /// The binding.
        public struct Params: Codable, Sendable, Hashable {
            /// The account's id.
            public var userID: String
            /// The role's wire name.
            public var role: String
            /// The org node's id (not its path: the binding follows the node when it moves).
            public var nodeID: String
            /// The department code; required for `department_handler` and `department_lead`.
            public var department: String?
            /// Creates the parameters.
            public init(userID: String, role: String, nodeID: String, department: String? = nil) {
                self.userID = userID
                self.role = role
                self.nodeID = nodeID
                self.department = department
            }
        }

        /// The account with its roles after the grant.
        public typealias Result = UserAccount
    }

    /// `role.revoke` (security administrator): removes one binding by its id.
    public enum RoleRevoke: MethodDescriptor {
        public static let name = "role.revoke"

        /// The binding to remove.
        public struct Params: Codable, Sendable, Hashable {
            /// The binding's id (`RoleBindingInfo.id`).
            public var bindingID: String
            /// Creates the parameters.
            public init(bindingID: String) { self.bindingID = bindingID }
        }

        /// The account with its roles after the revocation.
        public typealias Result = UserAccount
    }

    /// `serviceAccount.create` (system administrator): a department system's account.
    public enum ServiceAccountCreate: MethodDescriptor {
        public static let name = "serviceAccount.create"

        /// The new account.
        public struct Params: Codable, Sendable, Hashable {
            /// A unique name, 3–64 characters of `a-z A-Z 0-9 . _ -`.
            public var name: String
            /// The department code its tokens are scoped to.
            public var department: String
            /// Creates the parameters.
            public init(name: String, department: String) {
                self.name = name
                self.department = department
            }
        }

        /// The account and its API key, which is shown this once and stored only hashed.
        public struct Result: Codable, Sendable, Hashable {
            /// The account.
            public var serviceAccount: ServiceAccountInfo
            /// The API key, for `auth.apiKey`.
            public var apiKey: String
            /// Creates the result.
            public init(serviceAccount: ServiceAccountInfo, apiKey: String) {
                self.serviceAccount = serviceAccount
                self.apiKey = apiKey
            }
        }
    }

    /// `serviceAccount.revoke` (system administrator): the key stops working at once
    /// (tokens already issued with it expire on their own).
    public enum ServiceAccountRevoke: MethodDescriptor {
        public static let name = "serviceAccount.revoke"
        public typealias Params = UserRef
        public typealias Result = ServiceAccountInfo
    }

    /// `serviceAccount.list` (`user.read` at the district root): every service account
    /// by name, revoked ones included; never their keys.
    public enum ServiceAccountList: MethodDescriptor {
        public static let name = "serviceAccount.list"
        public typealias Params = Empty

        /// The accounts.
        public struct Result: Codable, Sendable, Hashable {
            /// The accounts, ordered by name.
            public var serviceAccounts: [ServiceAccountInfo]
            /// Creates the result.
            public init(serviceAccounts: [ServiceAccountInfo]) { self.serviceAccounts = serviceAccounts }
        }
    }

    /// `audit.list` (auditor): the audit log, newest first, page by page.
    public enum AuditList: MethodDescriptor {
        public static let name = "audit.list"
        /// The page size when none is given.
        public static let defaultLimit = 100
        /// The largest page size.
        public static let maxLimit = 1000

        /// Filters and the page asked for.
        public struct Params: Codable, Sendable, Hashable {
            /// Only entries of this actor subject.
            public var actor: String?
            /// Only entries of this action, e.g. `auth.login`.
            public var action: String?
            /// Only entries at or after this time (ISO 8601).
            public var from: String?
            /// Only entries before this time (ISO 8601).
            public var to: String?
            /// The `nextCursor` of the previous page; nil for the first.
            public var cursor: String?
            /// Entries per page, 1 … 1000 (default 100).
            public var limit: Int?
            /// Creates the parameters.
            public init(actor: String? = nil, action: String? = nil, from: String? = nil, to: String? = nil, cursor: String? = nil, limit: Int? = nil) {
                self.actor = actor
                self.action = action
                self.from = from
                self.to = to
                self.cursor = cursor
                self.limit = limit
            }
        }

        /// One page.
        public struct Result: Codable, Sendable, Hashable {
            /// The entries, newest first.
            public var entries: [AuditRecord]
            /// Pass as `cursor` for the next (older) page; nil on the last page.
            public var nextCursor: String?
            /// Creates the result.
            public init(entries: [AuditRecord], nextCursor: String?) {
                self.entries = entries
                self.nextCursor = nextCursor
            }
        }
    }
}
