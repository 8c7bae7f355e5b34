@testable import DispatchService
import Foundation
import Testing

@Suite("The report writer's hand-written JSON rows")
struct JSONRecordWriterTests {
    @Test("strings with quotes, backslashes, control characters and Chinese text, nulls, numbers and dates parse back as written")
    func roundTrip() throws {
        var writer = JSONRecordWriter()
        let tricky = "路面\"塌陷\"\\ 第一行\n第二行\t\u{01}末尾"
        let date = Date(timeIntervalSince1970: 1_764_561_234.567891)
        writer.beginRecord()
        writer.field("i", 0)
        writer.field("title", tricky)
        writer.field("key", nil as String?)
        writer.field("lon", 116.387)
        writer.field("lat", nil as Double?)
        writer.field("reported_at", date)
        writer.field("attachments", json: "[]")
        writer.endRecord()
        writer.beginRecord()
        writer.field("i", -7)
        writer.field("title", "")
        writer.field("lon", Double.nan)
        writer.endRecord()
        let text = writer.finish()
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        #expect(parsed.count == 2)
        #expect(parsed[0]["i"] as? Int == 0)
        #expect(parsed[0]["title"] as? String == tricky)
        #expect(parsed[0]["key"] is NSNull)
        #expect(parsed[0]["lon"] as? Double == 116.387)
        #expect(parsed[0]["lat"] is NSNull)
        #expect(abs((parsed[0]["reported_at"] as? Double ?? 0) - date.timeIntervalSince1970) < 1e-6)
        #expect((parsed[0]["attachments"] as? [Any])?.isEmpty == true)
        #expect(parsed[1]["i"] as? Int == -7)
        #expect(parsed[1]["title"] as? String == "")
        #expect(parsed[1]["lon"] is NSNull)
    }

    @Test("no records is an empty array")
    func empty() throws {
        var writer = JSONRecordWriter()
        #expect(writer.finish() == "[]")
    }
}
