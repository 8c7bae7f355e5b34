import DistrictProtocol
import IdentityService
import Testing

@Suite("Password policy and PBKDF2 hashes")
struct PasswordTests {
    @Test("at least 10 characters of at least 3 of lower, upper, digit, other")
    func policy() throws {
        for good in ["Abcdefghi1", "abcdefgh1!", "ABCDEFGH1!", "网格员Abc-defg", "correct horse Battery"] {
            try PasswordPolicy.check(good)
        }
        for bad in ["Abcdef1!", "abcdefghijkl", "abcdefgh12345", "ABCDEFGHIJ!!", "abcdefGHIJKL", String(repeating: "aB1", count: 90)] {
            #expect(throws: DistrictError.self, "\(bad)") { try PasswordPolicy.check(bad) }
        }
        let error = #expect(throws: DistrictError.self) { try PasswordPolicy.check("short", field: "newPassword") }
        #expect(error?.code == .invalidParams && error?.details?["field"] == "newPassword" && error?.details?["reason"] == "password_policy")
    }

    @Test("hashes verify their own password only, salt differs, production count is 210 000, malformed hashes never verify")
    func hashes() throws {
        #expect(PasswordHasher().iterations == 210_000)
        #expect(PasswordHasher(iterations: 10).iterations == PasswordHasher.minimumIterations)
        let hasher = PasswordHasher(iterations: 1_000)
        let first = try hasher.hash("Correct-horse-9")
        let second = try hasher.hash("Correct-horse-9")
        #expect(first != second, "a fresh salt each time")
        #expect(first.hasPrefix("pbkdf2-sha256$1000$"))
        #expect(hasher.verify("Correct-horse-9", against: first))
        #expect(hasher.verify("Correct-horse-9", against: second))
        #expect(!hasher.verify("Correct-horse-8", against: first))
        #expect(!hasher.verify("", against: first))
        // A hash made with another count still verifies with its own count.
        #expect(PasswordHasher(iterations: 2_000).verify("Correct-horse-9", against: first))
        var tampered = Array(first)
        tampered[tampered.count - 3] = tampered[tampered.count - 3] == "A" ? "B" : "A"
        #expect(!hasher.verify("Correct-horse-9", against: String(tampered)))
        for malformed in ["", "pbkdf2-sha256$1000$$", "md5$1$a$b", "pbkdf2-sha256$10$AAAA$AAAA", "pbkdf2-sha256$x$AAAA$AAAA"] {
            #expect(!hasher.verify("Correct-horse-9", against: malformed))
        }
    }
}
