import DistrictAuth
import DistrictContracts
import DistrictProtocol
import DistrictServer
import DistrictStorage
import PostgresNIO

extension AccountHandlers {
    /// `auth.keys`: the published verification keys; no credentials needed. Creates the
    /// first signing key when none exists yet, so a fresh install publishes one.
    func publishedKeys(_ params: Empty, _ context: RequestContext) async throws -> IdentityAPI.AuthKeys.Result {
        _ = try await keys.currentSigner(logger: context.logger)
        let published = try await keys.published(logger: context.logger)
        return .init(keys: published.keys.map { PublishedKey(kty: $0.kty, crv: $0.crv, kid: $0.kid, x: $0.x) }, current: published.current)
    }

    /// `auth.rotateKey` (`role.grant` at the district root: the security administrator).
    func rotateKey(_ params: Empty, _ context: RequestContext) async throws -> IdentityAPI.AuthRotateKey.Result {
        let actor = try await authorizeDistrictWide(context, .roleGrant)
        let rotated = try await keys.rotate(logger: context.logger) { current, retired in
            AuditEntry(actor: actor, action: "auth.rotateKey", targetKind: "signing_key", targetID: current, details: ["retired": retired ?? ""])
        }
        return .init(current: rotated.current, retired: rotated.retired)
    }
}
