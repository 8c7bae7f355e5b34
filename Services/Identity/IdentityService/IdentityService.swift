public import DistrictRuntime

/// The identity service: the org tree (`org.*`). Users, roles and tokens follow.
public enum IdentityService {
    /// The service's definition for `ServiceRuntime` and `districtctl up`.
    public static let definition = ServiceDefinition(
        service: .identity,
        migrations: IdentityMigrations.all,
        registerMethods: { router, context in
            OrgHandlers(context: context).register(on: &router)
        }
    )
}
