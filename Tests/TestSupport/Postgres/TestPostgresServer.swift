public import DistrictStorage
import Foundation
import Logging
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The PostgreSQL server tests run against: `DATABASE_URL` if set, else one throwaway cluster per
/// test process, started lazily on a free port with `fsync=off` and stopped at process exit.
public enum TestPostgresServer {
    /// Configuration of the server's admin database (where test databases are created from).
    public static func adminConfiguration() async throws -> DatabaseConfiguration {
        try await shared.configuration()
    }
}

private let shared = SharedServer()

/// Data directory and base temp directory of the cluster to stop at exit.
private let clusterToStop = Mutex<(dataDirectory: String, baseDirectory: String)?>(nil)

private actor SharedServer {
    private var starting: Task<DatabaseConfiguration, any Error>?

    func configuration() async throws -> DatabaseConfiguration {
        if let starting { return try await starting.value }
        let task = Task { try await Self.start() }
        self.starting = task
        return try await task.value
    }

    private static func start() async throws -> DatabaseConfiguration {
        if let url = ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty {
            return try DatabaseConfiguration(url: url)
        }
        removeClustersOfDeadProcesses()
        var logger = Logger(label: "test.postgres")
        logger.logLevel = .warning
        // Under /tmp with a world-traversable base so the postgres user can reach it when we are root.
        let base = "\(clusterPrefix)\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let cluster = try await EmbeddedPostgres(
            dataDirectory: base + "/data",
            port: try EmbeddedPostgres.findFreePort(),
            socketDirectory: base + "/socket",
            settings: ["fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"],
            logger: logger
        )
        try await cluster.initialize()
        clusterToStop.withLock { $0 = (cluster.dataDirectory, base) }
        atexit { stopClusterAtExit() }
        try await cluster.start()
        return cluster.configuration(database: "postgres", poolSize: 4)
    }
}

private let clusterPrefix = "/tmp/district-test-pg-"

/// A test process that crashed never ran its exit handler: stop and remove clusters whose owning process is gone.
private func removeClustersOfDeadProcesses() {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? []
    for name in names where ("/tmp/" + name).hasPrefix(clusterPrefix) {
        let base = "/tmp/" + name
        let owner = base.dropFirst(clusterPrefix.count).split(separator: "-").first.flatMap { pid_t($0) }
        guard let owner, kill(owner, 0) != 0 else { continue }
        stopCluster(dataDirectory: base + "/data", baseDirectory: base)
    }
}

/// Stops the throwaway cluster with an immediate shutdown (SIGQUIT to the postmaster),
/// waits for it to go away, and removes its files.
private func stopClusterAtExit() {
    guard let cluster = clusterToStop.withLock({ $0 }) else { return }
    stopCluster(dataDirectory: cluster.dataDirectory, baseDirectory: cluster.baseDirectory)
}

private func stopCluster(dataDirectory: String, baseDirectory: String) {
    let pidFile = dataDirectory + "/postmaster.pid"
    if let contents = try? String(contentsOfFile: pidFile, encoding: .utf8),
       let firstLine = contents.split(separator: "\n").first,
       let pid = pid_t(firstLine.trimmingCharacters(in: .whitespaces))
    {
        // The postmaster is not our child (no waitpid): a pidfd becomes readable when it exits.
        let exited = processExitDescriptor(pid)
        kill(pid, SIGQUIT)
        if let exited {
            var entry = pollfd(fd: exited, events: Int16(POLLIN), revents: 0)
            _ = poll(&entry, 1, 10_000)  // at most 10 s
            close(exited)
        }
    }
    try? FileManager.default.removeItem(atPath: baseDirectory)
}

/// A descriptor that becomes readable when process `pid` exits (`pidfd_open`, Linux 5.3 and
/// glibc 2.36), or nil where there is none; then the cluster's files are removed at once.
private func processExitDescriptor(_ pid: pid_t) -> Int32? {
    typealias PidfdOpen = @convention(c) (pid_t, UInt32) -> Int32
    guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "pidfd_open") else { return nil }
    let descriptor = unsafeBitCast(symbol, to: PidfdOpen.self)(pid, 0)
    return descriptor >= 0 ? descriptor : nil
}
