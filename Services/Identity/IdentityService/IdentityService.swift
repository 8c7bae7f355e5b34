public import DistrictRuntime

/// The identity service: the org tree (`org.*`), users and roles (`user.*`, `role.*`),
/// tokens (`auth.*`), department service accounts and the audit log reader
/// (`audit.list`), with residents growing beside them.
public enum IdentityService {
    /// The service's definition for `ServiceRuntime` and `districtctl up`.
    ///
    /// The start fails when the district secret (`DISTRICT_SECRET_KEY`) cannot be read:
    /// without it neither signing keys nor residents' personal data can be opened.
    public static let definition = makeDefinition(accounts: .fromEnvironment())

    /// The definition with explicit account settings (tests inject a clock and a low
    /// PBKDF2 iteration count).
    public static func makeDefinition(accounts: AccountSettings) -> ServiceDefinition {
        ServiceDefinition(
            service: .identity,
            migrations: IdentityMigrations.all,
            registerMethods: { router, context in
                let secret = try IdentitySecret.load(path: context.configuration.secretKeyPath)
                if accounts.passwordIterations < PasswordHasher.productionIterations {
                    context.logger.warning(
                        "password hashes use fewer PBKDF2 iterations than production's; for test installations only",
                        metadata: ["pbkdf2.iterations": "\(accounts.passwordIterations)"])
                }
                OrgHandlers(context: context).register(on: &router)
                OrgImportHandlers(context: context).register(on: &router)
                ResidentHandlers(context: context, secret: secret).register(on: &router)
                AccountHandlers(context: context, secret: secret, settings: accounts).register(on: &router)
            },
            backgroundServices: { context in
                // The secret was checked when the methods were registered, before this runs.
                guard let secret = try? IdentitySecret.load(path: context.configuration.secretKeyPath) else { return [] }
                let keys = SigningKeyStore(database: context.database, secret: secret, recheck: accounts.currentKeyRecheck)
                return [SigningKeyBootstrap(keys: keys, logger: context.logger)]
            }
        )
    }
}
