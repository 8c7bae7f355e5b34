public import Foundation

extension UUID {
    /// A random (version 4, RFC 9562) UUID from the system's random number generator.
    ///
    /// Foundation's `UUID()` opens, reads and closes `/dev/urandom` for every UUID on Linux:
    /// three system calls, on paths that make a UUID per request (a report's case id).
    /// `SystemRandomNumberGenerator` asks the kernel without opening a file.
    public static func random() -> UUID {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }
}
