import ArgumentParser

/// `districtctl`: everything district IT and load testers do by hand.
@main
struct DistrictCtl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "districtctl",
        abstract: "Operate a district's governance services.",
        discussion: """
            Run the whole system locally with `districtctl up`; talk to a running service with \
            `districtctl call SERVICE METHOD JSON`. Paths default to ./var (set DISTRICT_HOME).
            """,
        subcommands: [
            UpCommand.self, StatusCommand.self, CallCommand.self, CertsCommand.self, MigrateCommand.self, AccountsCommand.self,
            SeedCommand.self, BenchCommand.self, LoadCommand.self,
        ])
}
