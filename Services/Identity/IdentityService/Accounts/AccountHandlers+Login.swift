import DistrictAuth
import DistrictContracts
import DistrictProtocol
import DistrictServer
import DistrictStorage
import Foundation
import Logging
import PostgresNIO

extension AccountHandlers {
    /// The one answer for an unknown login name and a wrong password.
    static let wrongCredentials = DistrictError(.unauthenticated, "the login name or the password is wrong")

    /// `auth.login`.
    ///
    /// The throttle is keyed by the login name whether or not an account of that name
    /// exists, and an unknown name costs one PBKDF2 run like a known one, so neither the
    /// answer, the lockout nor the time tells whether a login name exists. A locked name is
    /// refused before the password is looked at.
    func login(_ params: IdentityAPI.AuthLogin.Params, _ context: RequestContext) async throws -> TokenGrant {
        let logger = context.logger
        let now = settings.now()
        let loginKey = secret.lookupHash(params.loginName.lowercased(), for: .loginName)
        // What the audit log records of the name typed: bounded, whatever was sent.
        let typedName = String(params.loginName.prefix(64))

        if let lockedUntil = try await lockEnd(loginKey, now: now, logger: logger) {
            try await database.withTransaction { connection in
                try await AuditLog.append(
                    AuditEntry(actorSubject: "anonymous", actorName: typedName, action: "auth.login", outcome: .denied,
                               details: ["reason": "locked"]),
                    on: connection, logger: logger)
            }
            let seconds = max(1, Int(lockedUntil.timeIntervalSince(now).rounded(.up)))
            throw DistrictError(
                .accountLocked, "too many failed logins; try again in \(seconds) seconds",
                details: ["retryAfterSeconds": "\(seconds)"])
        }

        let stored = try await database.withConnection { connection -> StoredUser? in
            var id: String?
            for try await value in try await connection.query(
                "SELECT id::text FROM identity.users WHERE lower(login_name) = lower(\(params.loginName))", logger: logger
            ).decode(String.self) { id = value }
            guard let id else { return nil }
            return try await Self.loadUser(id, on: connection, logger: logger)
        }
        let matches: Bool
        if let stored {
            matches = await hasher.verifyOffPool(params.password, against: stored.passwordHash)
        } else {
            _ = await hasher.verifyOffPool(params.password, against: decoy)
            matches = false
        }
        guard let stored, matches else {
            try await recordFailure(loginKey, loginName: typedName, userID: stored?.account.id, now: now, logger: logger)
            throw Self.wrongCredentials
        }
        let account = stored.account
        if account.disabled {
            try await database.withTransaction { connection in
                try await AuditLog.append(
                    AuditEntry(actorSubject: account.id, actorName: account.loginName, action: "auth.login", outcome: .denied,
                               targetKind: "user", targetID: account.id, details: ["reason": "disabled"]),
                    on: connection, logger: logger)
            }
            throw DistrictError(.unauthenticated, "this account is disabled")
        }

        let principal = try Self.principal(of: account)
        let access = try await issueAccessToken(for: principal, logger: logger)
        let refresh = OpaqueToken.make(prefix: "drt_")
        let refreshHash = secret.lookupHash(refresh, for: .refreshToken)
        let refreshExpiry = now.addingTimeInterval(settings.refreshTokenLifetime)
        try await database.withTransaction { connection in
            try await connection.query("DELETE FROM identity.login_throttle WHERE login_key = \(loginKey)", logger: logger)
            var family = ""
            for try await id in try await connection.query(
                "INSERT INTO identity.refresh_families (user_id, created_at) VALUES (\(account.id)::uuid, \(now)) RETURNING id::text",
                logger: logger
            ).decode(String.self) { family = id }
            try await connection.query(
                """
                INSERT INTO identity.refresh_tokens (token_hash, family_id, issued_at, expires_at)
                VALUES (\(refreshHash), \(family)::uuid, \(now), \(refreshExpiry))
                """, logger: logger)
            try await AuditLog.append(
                AuditEntry(actorSubject: account.id, actorName: account.displayName, action: "auth.login",
                           targetKind: "user", targetID: account.id, details: ["family": family]),
                on: connection, logger: logger)
        }
        return TokenGrant(
            accessToken: access.token, expiresAt: access.expiresAt,
            refreshToken: refresh, refreshExpiresAt: Int64(refreshExpiry.timeIntervalSince1970.rounded(.down)))
    }

    /// A stored hash nobody's password matches, at the current iteration count.
    private var decoy: String {
        "pbkdf2-sha256$\(hasher.iterations)$\(Data(count: 16).base64EncodedString())$\(Data(count: 32).base64EncodedString())"
    }

    /// When the login name's lockout ends, if it is locked at `now`.
    private func lockEnd(_ loginKey: String, now: Date, logger: Logger) async throws -> Date? {
        try await database.withConnection { connection in
            var end: Date?
            for try await until in try await connection.query(
                "SELECT locked_until FROM identity.login_throttle WHERE login_key = \(loginKey) AND locked_until > \(now)",
                logger: logger
            ).decode(Date.self) { end = until }
            return end
        }
    }

    /// Counts a failure within the window; the threshold-th one locks the name. Audited.
    private func recordFailure(_ loginKey: String, loginName: String, userID: String?, now: Date, logger: Logger) async throws {
        let windowStart = now.addingTimeInterval(-settings.lockoutWindow)
        let lockEnd = now.addingTimeInterval(settings.lockoutDuration)
        let threshold = settings.lockoutThreshold
        try await database.withTransaction { connection in
            var failures = 0
            for try await count in try await connection.query(
                """
                INSERT INTO identity.login_throttle AS t (login_key, failures, window_started_at) VALUES (\(loginKey), 1, \(now))
                ON CONFLICT (login_key) DO UPDATE SET
                    failures = CASE WHEN t.window_started_at IS NULL OR t.window_started_at <= \(windowStart) THEN 1 ELSE t.failures + 1 END,
                    window_started_at = CASE WHEN t.window_started_at IS NULL OR t.window_started_at <= \(windowStart) THEN \(now) ELSE t.window_started_at END
                RETURNING failures
                """, logger: logger
            ).decode(Int.self) { failures = count }
            var entries = [AuditEntry(
                actorSubject: userID ?? "anonymous", actorName: loginName, action: "auth.login", outcome: .failure,
                targetKind: userID == nil ? nil : "user", targetID: userID, details: ["reason": "wrong_credentials"])]
            if failures >= threshold {
                try await connection.query(
                    """
                    UPDATE identity.login_throttle SET locked_until = \(lockEnd), failures = 0, window_started_at = NULL
                    WHERE login_key = \(loginKey)
                    """, logger: logger)
                entries.append(AuditEntry(
                    actorSubject: userID ?? "anonymous", actorName: loginName, action: "auth.lockout", outcome: .denied,
                    targetKind: userID == nil ? nil : "user", targetID: userID,
                    details: ["failures": "\(failures)", "lockedForSeconds": "\(Int(settings.lockoutDuration))"]))
            }
            try await AuditLog.append(entries, on: connection, logger: logger)
        }
    }
}
