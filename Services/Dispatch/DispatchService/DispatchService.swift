public import DispatchDomain
public import DistrictRuntime

/// The dispatch service: grids, the matter catalogue and the case lifecycle (`grid.*`,
/// `catalogue.*`, `case.*`), the department queue subscription, the deadline sweeper, the
/// consumer that keeps stored org paths current, the event tail and the report writer.
public enum DispatchService {
    /// The service's definition for `ServiceRuntime` and `districtctl up`, on the system clock.
    public static let definition = definition(clock: SystemDispatchClock())

    /// A definition reading the time from `clock` (tests inject a ``ManualClock``), whose
    /// in-memory grid index checks the database for changed grids at most once per
    /// `gridRecheckInterval` (tests pass `.zero` to see every change at once).
    public static func definition(clock: any DispatchClock, gridRecheckInterval: Duration = .seconds(1)) -> ServiceDefinition {
        let tails = PerService { EventTail(database: $0.database, notifier: $0.notifier, logger: $0.logger) }
        let reportWriters = PerService { ReportWriter(database: $0.database, logger: $0.logger) }
        return ServiceDefinition(
            service: .dispatch,
            migrations: DispatchMigrations.all,
            registerMethods: { router, context in
                DispatchHandlers(
                    context: context, clock: clock, tail: tails(context), reports: reportWriters(context),
                    gridRecheckInterval: gridRecheckInterval
                ).register(on: &router)
            },
            backgroundServices: { context in
                [
                    DeadlineSweeper(database: context.database, clock: clock, logger: context.logger),
                    OrgPathFollower(database: context.database, notifier: context.notifier, logger: context.logger),
                    tails(context),
                    reportWriters(context),
                ]
            }
        )
    }
}
