import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension EmbeddedPostgres {
    /// The system user server binaries run as when this process is root.
    static let serverUser = "postgres"

    static var isRoot: Bool { geteuid() == 0 }

    /// Finds the server binaries: `PG_BIN`, else `pg_config --bindir`, else the newest
    /// `/usr/lib/postgresql/<version>/bin`. `environment` defaults to the process environment.
    public static func locateBinDirectory(environment: [String: String]? = nil) async throws -> String {
        let environment = environment ?? ProcessInfo.processInfo.environment
        func hasServer(_ directory: String) -> Bool {
            FileManager.default.isExecutableFile(atPath: directory + "/initdb")
                && FileManager.default.isExecutableFile(atPath: directory + "/pg_ctl")
        }
        if let bin = environment["PG_BIN"], !bin.isEmpty {
            guard hasServer(bin) else {
                throw EmbeddedPostgresError(.binariesNotFound, "PG_BIN=\(bin) holds no initdb/pg_ctl")
            }
            return bin
        }
        if let output = try? await self.run("/usr/bin/env", ["pg_config", "--bindir"]) {
            let bin = output.trimmingCharacters(in: .whitespacesAndNewlines)
            if hasServer(bin) { return bin }
        }
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .compactMap { name in Double(name).map { (name, $0) } }
            .sorted { $0.1 > $1.1 }
        for (name, _) in versions where hasServer("\(root)/\(name)/bin") {
            return "\(root)/\(name)/bin"
        }
        throw EmbeddedPostgresError(.binariesNotFound, "set PG_BIN, put pg_config on PATH, or install PostgreSQL server binaries")
    }

    /// Creates `path` (mode 0700) if needed and, when root, gives it to the server user.
    func prepareDirectory(_ path: String) throws {
        try FileManager.default.createDirectory(
            atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]
        )
        guard Self.isRoot else { return }
        guard let user = getpwnam(Self.serverUser) else {
            throw EmbeddedPostgresError(.postgresUserMissing, "running as root needs a '\(Self.serverUser)' system user")
        }
        guard chown(path, user.pointee.pw_uid, user.pointee.pw_gid) == 0 else {
            throw EmbeddedPostgresError(.commandFailed, "chown \(path) failed: errno \(errno)")
        }
    }

    /// Runs one of the installed PostgreSQL client tools (`pgbench`, `psql` …) from the
    /// directory ``locateBinDirectory(environment:)`` finds, without blocking the concurrency
    /// pool; returns its output (stdout and stderr) or throws with it.
    public static func runInstalledTool(_ tool: String, _ arguments: [String]) async throws -> String {
        try await run(try await locateBinDirectory() + "/" + tool, arguments)
    }

    /// Runs `tool` from ``binDirectory``; as the server user when root and `asServerUser`.
    @discardableResult
    func runTool(_ tool: String, _ arguments: [String], asServerUser: Bool) async throws -> String {
        let executable = self.binDirectory + "/" + tool
        if asServerUser && Self.isRoot {
            // `env -C /`: the server user may not be able to read our working directory.
            return try await Self.run(
                "/usr/sbin/runuser", ["-u", Self.serverUser, "--", "/usr/bin/env", "-C", "/", executable] + arguments
            )
        }
        return try await Self.run(executable, arguments)
    }

    /// Runs a process without blocking the concurrency pool; returns its output (stdout and stderr) or throws with it.
    static func run(_ executable: String, _ arguments: [String]) async throws -> String {
        // Output goes to a file, not a pipe: a server started by pg_ctl must never hold our pipe open.
        let outputPath = NSTemporaryDirectory() + "/district-pg-\(UUID().uuidString).out"
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        let status = try await self.spawnAndWait(executable, arguments, outputPath: outputPath)
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        guard status == 0 else {
            let command = ([executable] + arguments).joined(separator: " ")
            throw EmbeddedPostgresError(.commandFailed, "\(command) exited with \(status): \(text.suffix(2000))")
        }
        return text
    }

    /// `posix_spawn` plus a blocking `waitpid` on a dedicated thread.
    ///
    /// Foundation's `Process` on Linux can miss the termination of a child when several run at
    /// once (its SIGCHLD monitoring), leaving a zombie and a caller waiting forever.
    private static func spawnAndWait(_ executable: String, _ arguments: [String], outputPath: String) async throws -> Int32 {
        var fileActions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&fileActions)
        defer { posix_spawn_file_actions_destroy(&fileActions) }
        posix_spawn_file_actions_addopen(&fileActions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&fileActions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&fileActions, 1, 2)

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var spawned = pid_t()
        let result = posix_spawn(&spawned, executable, &fileActions, nil, argv, environ)
        let pid = spawned
        guard result == 0 else {
            throw EmbeddedPostgresError(.commandFailed, "cannot run \(executable): error \(result)")
        }
        let status: Int32 = await withCheckedContinuation { continuation in
            let waiter = Thread {
                var status: Int32 = 0
                while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
                continuation.resume(returning: status)
            }
            waiter.start()
        }
        // Exited normally: the exit code; killed by a signal: 128 + signal, as shells report it.
        return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago (bind to port 0, read it, close).
    public static func findFreePort() throws -> Int {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw EmbeddedPostgresError(.noFreePort, "socket() failed: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(fd, socketAddress, length) == 0 && getsockname(fd, socketAddress, &length) == 0
            }
        }
        guard bound else { throw EmbeddedPostgresError(.noFreePort, "bind() failed: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
