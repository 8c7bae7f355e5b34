public import DistrictProtocol

/// What a successful login, refresh or API-key login returns.
public struct TokenGrant: Codable, Sendable, Hashable {
    /// The signed access token (compact JWS, EdDSA), for the `token` member of requests.
    public var accessToken: String
    /// When the access token expires, seconds since 1970 (15 minutes after issue).
    public var expiresAt: Int64
    /// The refresh token, for `auth.refresh` and `auth.logout`; nil for API-key logins.
    public var refreshToken: String?
    /// When the refresh token expires, seconds since 1970.
    public var refreshExpiresAt: Int64?

    /// Creates the grant.
    public init(accessToken: String, expiresAt: Int64, refreshToken: String? = nil, refreshExpiresAt: Int64? = nil) {
        self.accessToken = accessToken
        self.expiresAt = expiresAt
        self.refreshToken = refreshToken
        self.refreshExpiresAt = refreshExpiresAt
    }
}

extension ErrorCode {
    /// Too many failed logins for this login name: it is locked for a while
    /// (`details.retryAfterSeconds`), even for the right password.
    public static let accountLocked = ErrorCode(rawValue: "account_locked")
}

extension IdentityAPI {
    /// `auth.login`: a login name and password for an access token and a refresh token.
    ///
    /// A wrong login name and a wrong password are the same `unauthenticated` error. Five
    /// failures for one login name within 15 minutes lock it for 15 minutes
    /// (`account_locked`).
    public enum AuthLogin: MethodDescriptor {
        public static let name = "auth.login"

        /// The credentials.
        public struct Params: Codable, Sendable, Hashable {
            /// The login name (case does not matter).
            public var loginName: String
            /// The password.
            public var password: String
            /// Creates the parameters.
            public init(loginName: String, password: String) {
                self.loginName = loginName
                self.password = password
            }
        }

        public typealias Result = TokenGrant
    }

    /// `auth.refresh`: exchanges a refresh token for a new access token and a new refresh
    /// token (the old one is used up). Presenting a used-up refresh token again revokes
    /// every refresh token descended from the same login.
    public enum AuthRefresh: MethodDescriptor {
        public static let name = "auth.refresh"

        /// The refresh token.
        public struct Params: Codable, Sendable, Hashable {
            /// The refresh token of the last login or refresh.
            public var refreshToken: String
            /// Creates the parameters.
            public init(refreshToken: String) { self.refreshToken = refreshToken }
        }

        public typealias Result = TokenGrant
    }

    /// `auth.logout`: revokes the refresh token and every token of its login.
    public enum AuthLogout: MethodDescriptor {
        public static let name = "auth.logout"
        public typealias Params = AuthRefresh.Params
        public typealias Result = Empty
    }

    /// `auth.apiKey`: a department service account's API key for an access token scoped
    /// to its department (no refresh token: log in again with the key).
    public enum AuthAPIKey: MethodDescriptor {
        public static let name = "auth.apiKey"

        /// The key.
        public struct Params: Codable, Sendable, Hashable {
            /// The API key `serviceAccount.create` returned.
            public var apiKey: String
            /// Creates the parameters.
            public init(apiKey: String) { self.apiKey = apiKey }
        }

        public typealias Result = TokenGrant
    }

    /// `auth.keys`: the published token-verification keys as a JWKS document
    /// (`{"keys":[{"kty":"OKP","crv":"Ed25519","kid":…,"x":…}]}`); needs no credentials.
    public enum AuthKeys: MethodDescriptor {
        public static let name = "auth.keys"

        public typealias Params = Empty

        /// The key set.
        public struct Result: Codable, Sendable, Hashable {
            /// The keys: the current one, and retired ones for an hour after retirement.
            public var keys: [PublishedKey]
            /// The key id new tokens are signed with.
            public var current: String?
            /// Creates the result.
            public init(keys: [PublishedKey], current: String?) {
                self.keys = keys
                self.current = current
            }
        }
    }

    /// `auth.rotateKey` (security administrator at the district root): publishes a new
    /// signing key, signs with it from now on, and retires the old one (which still
    /// verifies for an hour).
    public enum AuthRotateKey: MethodDescriptor {
        public static let name = "auth.rotateKey"

        public typealias Params = Empty

        /// The rotation.
        public struct Result: Codable, Sendable, Hashable {
            /// The new current key id.
            public var current: String
            /// The retired key id, if there was one.
            public var retired: String?
            /// Creates the result.
            public init(current: String, retired: String?) {
                self.current = current
                self.retired = retired
            }
        }
    }
}

/// One public key in JWKS form (RFC 8037).
public struct PublishedKey: Codable, Sendable, Hashable {
    /// `OKP`.
    public var kty: String
    /// `Ed25519`.
    public var crv: String
    /// The key id tokens name in their header.
    public var kid: String
    /// The raw public key, base64url without padding.
    public var x: String
    /// Creates the key.
    public init(kty: String = "OKP", crv: String = "Ed25519", kid: String, x: String) {
        self.kty = kty
        self.crv = crv
        self.kid = kid
        self.x = x
    }
}
