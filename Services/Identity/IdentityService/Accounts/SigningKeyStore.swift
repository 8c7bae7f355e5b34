import DistrictAuth
import DistrictProtocol
import DistrictStorage
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// The identity service's own Ed25519 signing keys: private halves sealed with the
/// district secret in `identity.signing_keys`, public halves in `identity.token_keys`.
///
/// A key is published (its transaction committed) before anything is signed with it, so
/// every service's `KeyRing` can find it. The first signature on a fresh install creates
/// the first key; replicas agree on one through an advisory lock and a unique index.
final class SigningKeyStore: Sendable {
    private struct State {
        var signers: [String: TokenSigner] = [:]
        var current: String?
        var checkedAt: ContinuousClock.Instant?
    }

    private let database: Database
    private let secret: IdentitySecret
    private let recheck: Duration
    private let state = Mutex(State())

    init(database: Database, secret: IdentitySecret, recheck: Duration) {
        self.database = database
        self.secret = secret
        self.recheck = recheck
    }

    /// The signer of new tokens, creating and publishing the first key when none is current.
    func currentSigner(logger: Logger) async throws -> TokenSigner {
        let recheck = self.recheck
        if let cached = state.withLock({ state -> TokenSigner? in
            guard let kid = state.current, let at = state.checkedAt, at.duration(to: .now) < recheck else { return nil }
            return state.signers[kid]
        }) {
            return cached
        }
        let secret = self.secret
        let (kid, sealed) = try await database.withTransaction { connection -> (String, Data) in
            if let found = try await Self.currentRow(on: connection, logger: logger) { return found }
            try await Self.lock(connection, logger: logger)
            if let found = try await Self.currentRow(on: connection, logger: logger) { return found }
            let signer = TokenSigner.generate(kid: Self.newKid())
            let sealed = try secret.seal(signer.privateKeyRepresentation, for: .signingKey)
            try await Self.publish(signer, sealed: sealed, on: connection, logger: logger)
            logger.info("created the first token-signing key", metadata: ["key.id": "\(signer.kid)"])
            return (signer.kid, sealed)
        }
        let signer = try openSigner(kid: kid, sealed: sealed)
        state.withLock {
            $0.current = kid
            $0.checkedAt = .now
        }
        return signer
    }

    /// Publishes a new key, makes it current and retires the old one (which stays in
    /// `identity.token_keys`, readable for an hour), writing `audit(new, retired)` in the
    /// same transaction. Returns the new and the retired key ids.
    func rotate(logger: Logger, audit: @Sendable (String, String?) -> AuditEntry) async throws -> (current: String, retired: String?) {
        let secret = self.secret
        let fresh = TokenSigner.generate(kid: Self.newKid())
        let sealed = try secret.seal(fresh.privateKeyRepresentation, for: .signingKey)
        let retired = try await database.withTransaction { connection -> String? in
            try await Self.lock(connection, logger: logger)
            let old = try await Self.currentRow(on: connection, logger: logger)?.0
            if let old {
                try await connection.query(
                    "UPDATE identity.signing_keys SET retired_at = now() WHERE kid = \(old)", logger: logger)
                try await connection.query(
                    "UPDATE identity.token_keys SET retired_at = now() WHERE kid = \(old)", logger: logger)
            }
            try await Self.publish(fresh, sealed: sealed, on: connection, logger: logger)
            try await AuditLog.append(audit(fresh.kid, old), on: connection, logger: logger)
            return old
        }
        state.withLock {
            $0.signers[fresh.kid] = fresh
            $0.current = fresh.kid
            $0.checkedAt = .now
        }
        logger.info("rotated the token-signing key", metadata: ["key.id": "\(fresh.kid)", "key.retired": "\(retired ?? "-")"])
        return (fresh.kid, retired)
    }

    /// The published keys: every key not retired, and retired ones for one more hour;
    /// and the current key id.
    func published(logger: Logger) async throws -> (keys: [JSONWebKey], current: String?) {
        try await database.withConnection { connection in
            var keys: [JSONWebKey] = []
            for try await (kid, x) in try await connection.query(
                """
                SELECT kid, public_key FROM identity.token_keys
                WHERE retired_at IS NULL OR retired_at > now() - interval '1 hour'
                ORDER BY created_at, kid
                """, logger: logger
            ).decode((String, String).self) {
                keys.append(JSONWebKey(kty: "OKP", crv: "Ed25519", kid: kid, x: x))
            }
            let current = try await Self.currentRow(on: connection, logger: logger)?.0
            return (keys, current)
        }
    }

    private func openSigner(kid: String, sealed: Data) throws -> TokenSigner {
        if let known = state.withLock({ $0.signers[kid] }) { return known }
        let signer = try TokenSigner(kid: kid, privateKey: try secret.open(sealed, for: .signingKey))
        state.withLock { $0.signers[kid] = signer }
        return signer
    }

    private static func currentRow(on connection: PostgresConnection, logger: Logger) async throws -> (String, Data)? {
        var found: (String, Data)?
        for try await (kid, sealed) in try await connection.query(
            "SELECT kid, sealed_private_key FROM identity.signing_keys WHERE retired_at IS NULL", logger: logger
        ).decode((String, Data).self) {
            found = (kid, sealed)
        }
        return found
    }

    private static func lock(_ connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("SELECT pg_advisory_xact_lock(hashtext('identity.signing_keys'))", logger: logger)
    }

    /// Writes the public half (published) and the sealed private half, in the caller's transaction.
    private static func publish(_ signer: TokenSigner, sealed: Data, on connection: PostgresConnection, logger: Logger) async throws {
        let key = signer.publicKey
        try await connection.query(
            "INSERT INTO identity.token_keys (kid, public_key) VALUES (\(key.kid), \(key.x))", logger: logger)
        try await connection.query(
            "INSERT INTO identity.signing_keys (kid, sealed_private_key) VALUES (\(key.kid), \(sealed))", logger: logger)
    }

    /// `id-YYYYMMDD-<8 hex>`: sortable by day, unique by chance.
    private static func newKid() -> String {
        let day = Date().formatted(.iso8601.year().month().day().dateSeparator(.omitted))
        let random = UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(8).lowercased()
        return "id-\(day)-\(random)"
    }
}
