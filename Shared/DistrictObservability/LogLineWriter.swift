#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Synchronization

/// Where ``JSONLogHandler`` writes its finished lines.
///
/// Every write hands over one complete line (terminated by `\n`) under a lock,
/// so lines from concurrent loggers never interleave. Copies of a writer share
/// that lock; ``standardError`` is one shared writer for the whole process.
public struct LogLineWriter: Sendable {
    private let storage: Storage

    /// Writes each line to the process's standard error.
    public static let standardError = LogLineWriter(fileDescriptor: 2)

    /// Writes each line to the process's standard output.
    public static let standardOutput = LogLineWriter(fileDescriptor: 1)

    /// Creates a writer that passes every line, including its trailing newline, to `sink`.
    ///
    /// Calls to `sink` are serialised, so the closure needs no locking of its own.
    public init(_ sink: @escaping @Sendable (_ line: [UInt8]) -> Void) {
        self.storage = Storage(sink: sink)
    }

    /// Creates a writer that writes every line to an open file descriptor with `write(2)`.
    ///
    /// The descriptor is not closed by the writer.
    public init(fileDescriptor: Int32) {
        self.init { line in Self.writeFully(fileDescriptor, line) }
    }

    /// Hands one complete line to the sink.
    func write(_ line: [UInt8]) {
        self.storage.lock.withLock { _ in self.storage.sink(line) }
    }

    private static func writeFully(_ fd: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                #if canImport(Darwin)
                let written = Darwin.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                #elseif canImport(Glibc)
                let written = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                #else
                let written = Musl.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                #endif
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    // Logging must never take the process down; a broken stderr drops the line.
                    return
                }
            }
        }
    }

    private final class Storage: Sendable {
        let lock = Mutex<Void>(())
        let sink: @Sendable ([UInt8]) -> Void

        init(sink: @escaping @Sendable ([UInt8]) -> Void) {
            self.sink = sink
        }
    }
}
