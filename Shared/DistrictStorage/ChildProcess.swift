import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a program with `posix_spawn` and reaps it with `waitpid` on a thread of its own.
///
/// Foundation's `Process` on Linux sometimes never reports the exit of a `runuser … pg_ctl
/// start` (the child stays a zombie and the termination handler never runs), which hung
/// `districtctl up`. Spawning and reaping ourselves leaves nothing to chance.
enum ChildProcess {
    /// Runs `executable` with `arguments`, stdin from /dev/null and stdout and stderr
    /// appended to `outputPath`, and returns its exit status (128 + signal if killed).
    static func run(_ executable: String, _ arguments: [String], outputPath: String) async throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Run from "/" (via env -C) so the server user can always read its working directory.
        let argv: [UnsafeMutablePointer<CChar>?] = (["/usr/bin/env", "-C", "/", executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let environment = ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer { envp.forEach { free($0) } }

        var spawned = pid_t()
        let result = posix_spawn(&spawned, "/usr/bin/env", &actions, nil, argv, envp)
        guard result == 0 else {
            throw EmbeddedPostgresError(.commandFailed, "cannot run \(executable): \(String(cString: strerror(result)))")
        }
        let pid = spawned
        return await withCheckedContinuation { continuation in
            let thread = Thread {
                var status: Int32 = 0
                while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
                let exited = status & 0x7F == 0
                continuation.resume(returning: exited ? (status >> 8) & 0xFF : 128 + (status & 0x7F))
            }
            thread.start()
        }
    }
}
