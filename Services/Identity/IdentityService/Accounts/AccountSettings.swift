public import Foundation

/// Tunables of accounts and authentication, with production defaults.
///
/// `DISTRICT_PASSWORD_ITERATIONS` may lower the PBKDF2 iteration count for test
/// installations only (at least 1 000); production keeps 210 000.
public struct AccountSettings: Sendable {
    /// PBKDF2 iterations for new password hashes.
    public var passwordIterations: Int
    /// How long access tokens live.
    public var accessTokenLifetime: TimeInterval
    /// How long a refresh token lives (each refresh issues a new one).
    public var refreshTokenLifetime: TimeInterval
    /// Failed logins within ``lockoutWindow`` that lock a login name.
    public var lockoutThreshold: Int
    /// The window in which failures count.
    public var lockoutWindow: TimeInterval
    /// How long a lockout lasts.
    public var lockoutDuration: TimeInterval
    /// How long the current signing key id is trusted before it is read again (another
    /// replica may have rotated it; the old key still verifies for an hour).
    public var currentKeyRecheck: Duration
    /// The clock for token times, lockouts and refresh expiry (inject one in tests).
    public var now: @Sendable () -> Date

    /// Creates settings; the defaults are production's.
    public init(
        passwordIterations: Int = PasswordHasher.productionIterations,
        accessTokenLifetime: TimeInterval = 15 * 60,
        refreshTokenLifetime: TimeInterval = 12 * 60 * 60,
        lockoutThreshold: Int = 5,
        lockoutWindow: TimeInterval = 15 * 60,
        lockoutDuration: TimeInterval = 15 * 60,
        currentKeyRecheck: Duration = .seconds(30),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.passwordIterations = passwordIterations
        self.accessTokenLifetime = accessTokenLifetime
        self.refreshTokenLifetime = refreshTokenLifetime
        self.lockoutThreshold = lockoutThreshold
        self.lockoutWindow = lockoutWindow
        self.lockoutDuration = lockoutDuration
        self.currentKeyRecheck = currentKeyRecheck
        self.now = now
    }

    /// Production settings, with `DISTRICT_PASSWORD_ITERATIONS` applied when set.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> AccountSettings {
        var settings = AccountSettings()
        if let text = environment["DISTRICT_PASSWORD_ITERATIONS"], let value = Int(text) {
            settings.passwordIterations = max(value, PasswordHasher.minimumIterations)
        }
        return settings
    }
}
