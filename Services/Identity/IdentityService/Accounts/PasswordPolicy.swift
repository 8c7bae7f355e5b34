public import DistrictProtocol

/// The password policy: at least 10 characters, of at least 3 of the 4 classes
/// (lower case, upper case, digit, other), at most 256 characters.
public enum PasswordPolicy {
    /// The least length, in characters.
    public static let minimumLength = 10
    /// The greatest length, in characters (PBKDF2 hashes long inputs, but a cap keeps
    /// requests small).
    public static let maximumLength = 256
    /// How many of the four classes a password must mix.
    public static let requiredClasses = 3

    /// Returns when `password` satisfies the policy; otherwise `invalid_params` naming
    /// `field` and what is missing.
    public static func check(_ password: String, field: String = "password") throws(DistrictError) {
        let count = password.count
        guard count >= minimumLength else {
            throw policyError("the password must have at least \(minimumLength) characters", field: field)
        }
        guard count <= maximumLength else {
            throw policyError("the password must have at most \(maximumLength) characters", field: field)
        }
        var lower = false, upper = false, digit = false, other = false
        for character in password {
            if character.isLowercase { lower = true }
            else if character.isUppercase { upper = true }
            else if character.isASCII && character.isNumber { digit = true }
            else { other = true }
        }
        let classes = [lower, upper, digit, other].filter { $0 }.count
        guard classes >= requiredClasses else {
            throw policyError(
                "the password must mix at least \(requiredClasses) of: lower-case letters, upper-case letters, digits, other characters",
                field: field)
        }
    }

    private static func policyError(_ message: String, field: String) -> DistrictError {
        DistrictError(.invalidParams, message, details: ["field": field, "reason": "password_policy"])
    }
}
