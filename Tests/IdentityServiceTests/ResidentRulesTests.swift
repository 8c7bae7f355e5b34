import DistrictProtocol
import IdentityService
import Testing

/// The pure rules for residents' data: normalising, validating and masking.
@Suite("Resident rules (pure)")
struct ResidentRulesTests {
    @Test("phone numbers are normalised to 11 digits and masked as 138****5678")
    func phones() throws {
        for spelling in ["13812345678", "138 1234 5678", "138-1234-5678", "+8613812345678", "86 138 1234 5678"] {
            #expect(try ResidentRules.normalizedPhone(spelling) == "13812345678")
        }
        for bad in ["", "1381234567", "138123456789", "23812345678", "12012345678", "1381234567x", "+1 212 555 0100"] {
            #expect(throws: DistrictError.self) { try ResidentRules.normalizedPhone(bad) }
        }
        #expect(ResidentRules.maskedPhone("13812345678") == "138****5678")
    }

    @Test("ID-card numbers: 18 characters, a birth date and the GB 11643 check character")
    func idNumbers() throws {
        #expect(try ResidentRules.normalizedIDNumber("11010519491231002x") == "11010519491231002X")
        #expect(try ResidentRules.normalizedIDNumber("440524188001010014") == "440524188001010014")
        // Every wrong last character is refused.
        for last in "0123456789X" where last != "X" {
            #expect(throws: DistrictError.self) { try ResidentRules.normalizedIDNumber("11010519491231002\(last)") }
        }
        #expect(throws: DistrictError.self) { try ResidentRules.normalizedIDNumber("110105194912310") }
        #expect(throws: DistrictError.self) { try ResidentRules.normalizedIDNumber("1101051949123100A2") }
        #expect(ResidentRules.maskedIDNumber("11010519491231002X") == "110***********002X")
        #expect(ResidentRules.checkCharacter(of: "11010519491231002".compactMap(\.wholeNumberValue)) == "X")
    }

    @Test("names are trimmed, 1–32 characters; doors are short and plain")
    func namesAndDoors() throws {
        #expect(try ResidentRules.validatedName("\u{3000}阿依古丽·买买提 ") == "阿依古丽·买买提")
        #expect(throws: DistrictError.self) { try ResidentRules.validatedName(" ") }
        #expect(throws: DistrictError.self) { try ResidentRules.validatedName(String(repeating: "名", count: 33)) }
        #expect(throws: DistrictError.self) { try ResidentRules.validatedName("张\u{7}三") }
        #expect(try ResidentRules.validatedDoor("2-1-301") == "2-1-301")
        for bad in ["", "3 01", "301室", String(repeating: "1", count: 17), "1/2"] {
            #expect(throws: DistrictError.self) { try ResidentRules.validatedDoor(bad) }
        }
    }
}
