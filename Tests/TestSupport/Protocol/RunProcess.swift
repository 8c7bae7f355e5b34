public import Foundation

/// What a finished child process printed (stdout and stderr together) and its exit status.
public struct ProcessOutput: Sendable {
    /// The exit status.
    public var status: Int32
    /// Standard output and standard error, interleaved.
    public var text: String
}

/// Runs a program to completion without blocking a thread of the cooperative pool.
public func runProcess(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) async throws -> ProcessOutput {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = environment }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    let collected = OutputCollector()
    pipe.fileHandleForReading.readabilityHandler = { handle in
        let data = handle.availableData
        collected.append(data)
    }
    return try await withCheckedThrowingContinuation { continuation in
        process.terminationHandler = { process in
            pipe.fileHandleForReading.readabilityHandler = nil
            let rest = pipe.fileHandleForReading.readDataToEndOfFile()
            collected.append(rest)
            continuation.resume(returning: ProcessOutput(status: process.terminationStatus, text: collected.text))
        }
        do {
            try process.run()
        } catch {
            continuation.resume(throwing: error)
        }
    }
}

private final class OutputCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func append(_ more: Data) {
        lock.lock()
        data.append(more)
        lock.unlock()
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self)
    }
}
