import Dispatch

extension PasswordHasher {
    /// PBKDF2 runs for tens of milliseconds on purpose; the cooperative pool has one
    /// thread per core, so hashing there would stall every other request of the process.
    /// These run the work on a Dispatch queue of their own and resume the caller after.
    private static let queue = DispatchQueue(label: "district.identity.password-hashing", attributes: .concurrent)

    /// ``hash(_:)`` off the cooperative pool.
    func hashOffPool(_ password: String) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            Self.queue.async { continuation.resume(with: Result { try self.hash(password) }) }
        }
    }

    /// ``verify(_:against:)`` off the cooperative pool.
    func verifyOffPool(_ password: String, against stored: String) async -> Bool {
        await withCheckedContinuation { continuation in
            Self.queue.async { continuation.resume(returning: self.verify(password, against: stored)) }
        }
    }
}
