extension Principal {
    /// The kind of caller.
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// A member of staff who logs in with a password.
        case staff
        /// A department system's service account, logging in with an API key.
        case serviceAccount = "service_account"
        /// A resident using the app or a WeChat entry point.
        case resident
        /// A platform service, authenticated by mTLS rather than a token.
        case service
    }
}
