import ArgumentParser
import DistrictAuth
import DistrictStorage
import Foundation
import IdentityService
import Logging

/// `districtctl accounts`: account tasks done directly on the database.
struct AccountsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accounts", abstract: "Manage accounts directly in the database (bootstrap).",
        subcommands: [CreateAdminCommand.self])
}

/// `districtctl accounts create-admin`: the first administrators of a fresh install.
struct CreateAdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-admin",
        abstract: "Create the first system administrator (and optionally a security administrator and an auditor).",
        discussion: """
            Applies pending migrations, creates the district root when the org tree is empty \
            (--district-code, --district-name), then creates each account with its role at the root. \
            Passwords come from DISTRICT_ADMIN_PASSWORD, DISTRICT_SECURITY_ADMIN_PASSWORD and \
            DISTRICT_AUDITOR_PASSWORD, or with --password-stdin one per line in that order. \
            Running it again for accounts that already hold their role changes nothing.
            """)

    @Option(help: "The database URL (default: $DATABASE_URL).")
    var databaseURL: String?
    @Option(help: "Login name of the system administrator.")
    var login: String = "sysadmin"
    @Option(help: "Display name of the system administrator.")
    var displayName: String = "System administrator"
    @Option(help: "Also create a security administrator with this login name.")
    var securityAdmin: String?
    @Option(help: "Also create an auditor with this login name.")
    var auditor: String?
    @Option(help: "Code of the district root to create when the org tree is empty, e.g. d01.")
    var districtCode: String?
    @Option(help: "Name of the district root to create when the org tree is empty.")
    var districtName: String?
    @Flag(help: "Read the passwords from standard input, one per line.")
    var passwordStdin = false

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let url = databaseURL ?? environment["DATABASE_URL"] else {
            throw ValidationError("give --database-url or set DATABASE_URL")
        }
        var accounts: [(login: String, display: String, role: Role, variable: String)] = [
            (login, displayName, .systemAdministrator, "DISTRICT_ADMIN_PASSWORD")
        ]
        if let securityAdmin { accounts.append((securityAdmin, "Security administrator", .securityAdministrator, "DISTRICT_SECURITY_ADMIN_PASSWORD")) }
        if let auditor { accounts.append((auditor, "Auditor", .auditor, "DISTRICT_AUDITOR_PASSWORD")) }
        guard Set(accounts.map { $0.login.lowercased() }).count == accounts.count else {
            throw ValidationError("each administrator needs a login name of their own")
        }
        var passwords: [String] = []
        for account in accounts {
            if passwordStdin {
                guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                    throw ValidationError("standard input has no password line for \(account.login)")
                }
                passwords.append(line)
            } else {
                guard let value = environment[account.variable], !value.isEmpty else {
                    throw ValidationError("set \(account.variable) or use --password-stdin")
                }
                passwords.append(value)
            }
        }

        let logger = Logger(label: "districtctl.accounts")
        let report = try await AllMigrations.apply(databaseURL: url, logger: logger)
        if !report.applied.isEmpty { print("migrations: \(report.applied.count) applied") }
        let iterations = AccountSettings.fromEnvironment(environment).passwordIterations
        let database = Database(configuration: try DatabaseConfiguration(url: url, environment: environment), logger: logger)
        try await database.whileRunning {
            for (account, password) in zip(accounts, passwords) {
                let outcome = try await AccountBootstrap.createAdministrator(
                    loginName: account.login, displayName: account.display, password: password, role: account.role,
                    districtCode: districtCode, districtName: districtName, passwordIterations: iterations,
                    database: database, logger: logger)
                print(outcome.created
                    ? "created \(outcome.loginName) (\(outcome.role)) id \(outcome.userID)"
                    : "\(outcome.loginName) already holds \(outcome.role); nothing changed")
            }
        }
    }
}
