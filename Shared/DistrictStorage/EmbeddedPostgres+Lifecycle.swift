import Foundation

extension EmbeddedPostgres {
    /// Whether the data directory already holds a cluster.
    public var isInitialized: Bool {
        FileManager.default.fileExists(atPath: self.dataDirectory + "/PG_VERSION")
    }

    /// Creates the cluster with `initdb` (UTF8, C locale, trust authentication, superuser ``username``).
    public func initialize() async throws {
        try self.prepareDirectory(self.dataDirectory)
        self.logger.info("initialising PostgreSQL cluster")
        try await self.runTool("initdb", [
            "-D", self.dataDirectory, "-U", self.username, "-E", "UTF8", "--locale=C",
            "--auth=trust", "--no-instructions",
        ], asServerUser: true)
    }

    /// Starts the server and waits until it accepts connections.
    public func start() async throws {
        try self.prepareDirectory(self.socketDirectory)
        var options = ["-p", String(self.port), "-k", self.socketDirectory]
        let merged = Self.baseSettings.merging(self.settings) { _, new in new }
        for (name, value) in merged.sorted(by: { $0.key < $1.key }) {
            options += ["-c", "\(name)=\(value)"]
        }
        self.logger.info("starting PostgreSQL")
        // pg_ctl hands -o to a shell, so every option is shell-quoted.
        try await self.runTool("pg_ctl", [
            "-D", self.dataDirectory, "-o", options.map(Self.shellQuoted).joined(separator: " "),
            "-l", self.logFile, "-w", "-t", "60", "start",
        ], asServerUser: true)
    }

    /// Stops the server (`pg_ctl stop -m fast`), waiting until it is down.
    public func stop() async throws {
        self.logger.info("stopping PostgreSQL")
        try await self.runTool("pg_ctl", ["-D", self.dataDirectory, "-m", "fast", "-w", "stop"], asServerUser: true)
    }

    /// Whether a server is running on the data directory (`pg_ctl status`).
    public func isRunning() async -> Bool {
        (try? await self.runTool("pg_ctl", ["-D", self.dataDirectory, "status"], asServerUser: true)) != nil
    }

    /// Creates database `name` owned by ``username``.
    public func createDatabase(_ name: String) async throws {
        try await self.runTool("createdb", [
            "-h", "127.0.0.1", "-p", String(self.port), "-U", self.username, name,
        ], asServerUser: false)
    }

    static func shellQuoted(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        return FileManager.default.currentDirectoryPath + "/" + path
    }
}
