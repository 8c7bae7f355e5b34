import ArgumentParser
import DispatchService
import DistrictLoad

extension BenchCommand {
    /// `districtctl bench report-pgbench`: the pgbench script that runs what a group of
    /// `case.report`s runs in the dispatch service, built from the service's own statement so
    /// the two cannot drift apart (``ReportPgbenchScript``).
    struct ReportPgbench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report-pgbench",
            abstract: "Print a pgbench script running a report group's statement, one group per transaction, as the service does.")

        @Option(help: "Reports per transaction (1 to 12): 1 is what the service does for a report that arrives alone.")
        var group: Int = 1

        func validate() throws {
            // pgbench prepares at most 255 parameters per statement; a report uses 15.
            guard (1...12).contains(group) else { throw ValidationError("--group must be 1 to 12") }
        }

        func run() {
            print(ReportPgbenchScript.make(statement: ReportSQL.store, group: group))
        }
    }
}
