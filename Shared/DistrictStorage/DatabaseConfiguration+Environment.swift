public import Foundation

extension DatabaseConfiguration {
    /// The variable naming a file that holds the database password (a Compose or
    /// Kubernetes secret), so that the password is never part of an image or a URL in
    /// the environment.
    public static let passwordFileVariable = "DISTRICT_DATABASE_PASSWORD_FILE"

    /// Parses `url`, then takes the password from the file named by
    /// `DISTRICT_DATABASE_PASSWORD_FILE` in `environment` when it is set (one trailing
    /// newline is ignored). A set but unreadable or empty file is an error, not a silent
    /// fallback to the URL's password.
    public init(url: String, environment: [String: String]) throws {
        try self.init(url: url, passwordFile: environment[Self.passwordFileVariable])
    }

    /// Parses `url`, then takes the password from the file at `passwordFile` when given.
    public init(url: String, passwordFile: String?) throws {
        try self.init(url: url)
        guard let path = passwordFile, !path.isEmpty else { return }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DatabaseConfigurationError(.passwordFile, "\(Self.passwordFileVariable)=\(path) cannot be read")
        }
        var password = String(decoding: data, as: UTF8.self)
        while password.hasSuffix("\n") || password.hasSuffix("\r") { password.removeLast() }
        guard !password.isEmpty else {
            throw DatabaseConfigurationError(.passwordFile, "\(Self.passwordFileVariable)=\(path) is empty")
        }
        self.password = password
    }
}
