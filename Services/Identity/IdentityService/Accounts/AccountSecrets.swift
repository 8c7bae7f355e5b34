import Crypto
import Foundation

extension IdentitySecret.Purpose {
    /// A refresh token (stored as a keyed hash).
    static let refreshToken = IdentitySecret.Purpose(rawValue: "auth.refresh_token")
    /// A service account's API key (stored as a keyed hash).
    static let apiKey = IdentitySecret.Purpose(rawValue: "auth.api_key")
    /// A login name, for the login throttle (stored as a keyed hash).
    static let loginName = IdentitySecret.Purpose(rawValue: "auth.login_name")
}

/// Random opaque secrets (refresh tokens, API keys).
enum OpaqueToken {
    /// 32 random bytes, base64url without padding, after `prefix`.
    static func make(prefix: String = "") -> String {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        let text = bytes.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return prefix + text
    }
}
