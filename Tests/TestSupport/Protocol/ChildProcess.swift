public import Foundation
import Synchronization

/// A program started by a test, whose output can be awaited line by line and which can
/// be sent signals, for end-to-end tests of the service executables.
public final class ChildProcess: Sendable {
    private struct State {
        var output = ""
        var waiters: [(String, CheckedContinuation<Void, any Error>)] = []
        var exitStatus: Int32?
        var exitWaiters: [CheckedContinuation<Int32, Never>] = []
    }

    private final class Box: Sendable {
        let mutex = Mutex(State())
        func withLock<R>(_ body: (inout State) -> R) -> R { mutex.withLock { body(&$0) } }
    }

    private let process: Process
    private let state = Box()

    /// Starts `executable` with `arguments` and `environment` added to this process's.
    public init(executable: String, arguments: [String] = [], environment: [String: String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        self.process = process
        pipe.fileHandleForReading.readabilityHandler = { [state] handle in
            let text = String(decoding: handle.availableData, as: UTF8.self)
            let ready = state.withLock { state in
                state.output += text
                let output = state.output
                let (ready, waiting) = state.waiters.reduce(into: ([CheckedContinuation<Void, any Error>](), [(String, CheckedContinuation<Void, any Error>)]())) { result, waiter in
                    if output.contains(waiter.0) { result.0.append(waiter.1) } else { result.1.append(waiter) }
                }
                state.waiters = waiting
                return ready
            }
            ready.forEach { $0.resume() }
        }
        process.terminationHandler = { [state] process in
            pipe.fileHandleForReading.readabilityHandler = nil
            let (waiters, lineWaiters) = state.withLock { state in
                state.exitStatus = process.terminationStatus
                defer { state.exitWaiters = []; state.waiters = [] }
                return (state.exitWaiters, state.waiters)
            }
            waiters.forEach { $0.resume(returning: process.terminationStatus) }
            lineWaiters.forEach { $0.1.resume(throwing: ChildProcessExited(output: "")) }
        }
        try process.run()
    }

    /// Everything the program printed so far.
    public var output: String { state.withLock { $0.output } }

    /// Returns once the output contains `text`; throws if the program exits first.
    public func waitForOutput(containing text: String) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let result: Result<Bool, ChildProcessExited> = state.withLock { state in
                if state.output.contains(text) { return .success(true) }
                if state.exitStatus != nil { return .failure(ChildProcessExited(output: state.output)) }
                state.waiters.append((text, continuation))
                return .success(false)
            }
            switch result {
            case .success(true): continuation.resume()
            case .success(false): break
            case .failure(let error): continuation.resume(throwing: error)
            }
        }
    }

    /// Sends a signal (e.g. `SIGTERM`).
    public func signal(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits for the program to exit and returns its status.
    public func waitForExit() async -> Int32 {
        await withCheckedContinuation { (continuation: CheckedContinuation<Int32, Never>) in
            let status: Int32? = state.withLock { state in
                if let status = state.exitStatus { return status }
                state.exitWaiters.append(continuation)
                return nil
            }
            if let status { continuation.resume(returning: status) }
        }
    }

    /// The directory of the running test binary, where SwiftPM also puts the products.
    public static var productsDirectory: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path
    }
}

/// The program exited before printing what a test waited for.
public struct ChildProcessExited: Error, CustomStringConvertible {
    /// Its output.
    public var output: String
    public var description: String { "the program exited; output:\n\(output)" }
}
