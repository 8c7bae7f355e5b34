import DistrictStorage
import Foundation
import Testing

@Suite struct EventPositionTests {
    @Test func cursorRoundTrip() throws {
        let positions = [
            EventPosition.start,
            EventPosition(transactionID: 751, eventID: 12),
            EventPosition(transactionID: UInt64.max, eventID: Int64.max),
        ]
        for position in positions {
            #expect(EventPosition(cursor: position.cursor) == position)
        }
        #expect(EventPosition(transactionID: 751, eventID: 12).cursor == "751-12")
    }

    @Test(arguments: ["", "-", "12", "12-", "-12", "1-2-3", "a-1", "1-b", "+1-2", "1- 2", "18446744073709551616-1", "1-9223372036854775808", "１-2"])
    func rejectsBadCursor(_ cursor: String) {
        #expect(EventPosition(cursor: cursor) == nil)
    }

    @Test func ordersByTransactionThenEvent() {
        let a = EventPosition(transactionID: 5, eventID: 100)
        let b = EventPosition(transactionID: 6, eventID: 1)
        let c = EventPosition(transactionID: 6, eventID: 2)
        #expect(a < b && b < c)
        #expect(EventPosition.start < a)
        #expect([c, a, b].sorted() == [a, b, c])
    }

    @Test func codableRoundTrip() throws {
        let position = EventPosition(transactionID: 9, eventID: 3)
        let data = try JSONEncoder().encode(position)
        #expect(try JSONDecoder().decode(EventPosition.self, from: data) == position)
    }
}
