public import DistrictAuth
public import DistrictStorage
import Logging
import PostgresNIO

/// Publishes test signing keys the way the identity service does, so that services under
/// test verify tokens a test signed.
public enum TestTokenKeys {
    /// Inserts `signer`'s public key into `identity.token_keys` (after migrations ran).
    public static func publish(_ signer: TokenSigner, in database: Database) async throws {
        let key = signer.publicKey
        try await database.withConnection { connection in
            try await connection.query(
                "INSERT INTO identity.token_keys (kid, public_key) VALUES (\(key.kid), \(key.x)) ON CONFLICT (kid) DO NOTHING",
                logger: Logger(label: "test.keys"))
        }
    }
}
