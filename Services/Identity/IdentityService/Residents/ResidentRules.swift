public import DistrictProtocol

/// What a resident's data may be, and how it is shown masked. Pure; the handlers apply
/// it before anything is written.
public enum ResidentRules {
    /// The longest name, in characters (long enough for minority names with `·`).
    public static let maxNameLength = 32
    /// The longest door.
    public static let maxDoorLength = 16

    /// The mobile number as 11 digits: spaces and dashes dropped, a leading `+86` or
    /// `86` before 11 digits dropped; it must then be `1[3-9]` and 9 more digits.
    public static func normalizedPhone(_ text: String, field: String = "phone") throws(DistrictError) -> String {
        var digits = text.filter { $0 != " " && $0 != "-" }
        if digits.hasPrefix("+") { digits.removeFirst() }
        if digits.count == 13, digits.hasPrefix("86") { digits.removeFirst(2) }
        let ascii = Array(digits.utf8)
        guard ascii.count == 11, ascii.allSatisfy({ (0x30...0x39).contains($0) }) else {
            throw .invalidParams("phone must be an 11-digit mainland mobile number, e.g. 13812345678", field: field)
        }
        guard ascii[0] == 0x31, (0x33...0x39).contains(ascii[1]) else {
            throw .invalidParams("phone must start with 13–19", field: field)
        }
        return digits
    }

    /// The weights of the first 17 digits of an ID-card number (GB 11643, ISO 7064 MOD 11-2).
    static let checkWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    /// The check character for each remainder.
    static let checkCharacters: [Character] = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]

    /// The check character of the first 17 digits (given as digit values).
    public static func checkCharacter(of digits: [Int]) -> Character {
        let sum = zip(digits, checkWeights).reduce(0) { $0 + $1.0 * $1.1 }
        return checkCharacters[sum % 11]
    }

    /// An 18-character resident ID-card number, upper-cased: 17 digits, a plausible
    /// birth date at positions 7–14, and the right check character (0–9 or X).
    public static func normalizedIDNumber(_ text: String, field: String = "idNumber") throws(DistrictError) -> String {
        let value = text.filter { $0 != " " }.uppercased()
        let characters = Array(value)
        guard characters.count == 18 else {
            throw .invalidParams("idNumber must have 18 characters, not \(characters.count)", field: field)
        }
        let digits = characters.prefix(17).compactMap { $0.isASCII ? $0.wholeNumberValue : nil }
        guard digits.count == 17, characters[17].isASCII, characters[17].isNumber || characters[17] == "X" else {
            throw .invalidParams("idNumber must be 17 digits followed by a digit or X", field: field)
        }
        let year = digits[6...9].reduce(0) { $0 * 10 + $1 }
        let month = digits[10] * 10 + digits[11]
        let day = digits[12] * 10 + digits[13]
        guard (1800...2100).contains(year), (1...12).contains(month), (1...31).contains(day) else {
            throw .invalidParams("idNumber has no valid birth date at positions 7–14", field: field)
        }
        guard checkCharacter(of: digits) == characters[17] else {
            throw .invalidParams("idNumber has a wrong check digit", field: field)
        }
        return value
    }

    /// The name trimmed, 1–32 characters, no control characters.
    public static func validatedName(_ name: String, field: String = "name") throws(DistrictError) -> String {
        let trimmed = name.trimmingCharacters()
        guard !trimmed.isEmpty else { throw .invalidParams("name is empty", field: field) }
        guard trimmed.count <= maxNameLength else {
            throw .invalidParams("name has \(trimmed.count) characters; at most \(maxNameLength) are allowed", field: field)
        }
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidParams("name contains a control character", field: field)
        }
        return trimmed
    }

    /// The door: 1–16 ASCII letters, digits and `-`.
    public static func validatedDoor(_ door: String, field: String = "door") throws(DistrictError) -> String {
        guard (1...maxDoorLength).contains(door.utf8.count),
            door.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D })
        else {
            throw .invalidParams("door must be 1–\(maxDoorLength) letters, digits or '-', e.g. 0301 or 2-1-301", field: field)
        }
        return door
    }

    /// `138****5678`: the first three and the last four characters kept.
    public static func maskedPhone(_ phone: String) -> String {
        mask(phone, keepingFirst: 3, last: 4)
    }

    /// `110***********1234`: the first three and the last four characters kept.
    public static func maskedIDNumber(_ idNumber: String) -> String {
        mask(idNumber, keepingFirst: 3, last: 4)
    }

    private static func mask(_ value: String, keepingFirst first: Int, last: Int) -> String {
        let characters = Array(value)
        guard characters.count > first + last else { return String(repeating: "*", count: characters.count) }
        return String(characters.prefix(first)) + String(repeating: "*", count: characters.count - first - last)
            + String(characters.suffix(last))
    }
}

extension String {
    /// The string without leading and trailing white space (including ideographic space).
    fileprivate func trimmingCharacters() -> String {
        var scalars = Substring(self).unicodeScalars
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
