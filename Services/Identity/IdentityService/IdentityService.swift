public import DistrictRuntime

/// The identity service: the org tree (`org.*`), with users, roles, tokens, residents and
/// the audit log growing beside it.
public enum IdentityService {
    /// The service's definition for `ServiceRuntime` and `districtctl up`.
    ///
    /// The start fails when the district secret (`DISTRICT_SECRET_KEY`) cannot be read:
    /// without it neither signing keys nor residents' personal data can be opened.
    public static let definition = ServiceDefinition(
        service: .identity,
        migrations: IdentityMigrations.all,
        registerMethods: { router, context in
            let secret = try IdentitySecret.load(path: context.configuration.secretKeyPath)
            OrgHandlers(context: context).register(on: &router)
            OrgImportHandlers(context: context).register(on: &router)
            ResidentHandlers(context: context, secret: secret).register(on: &router)
        }
    )
}
