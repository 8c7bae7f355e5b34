@testable import DistrictObservability
import Foundation
import Logging
import Testing

@Suite("JSONLogHandler")
struct JSONLogHandlerTests {
    private func parse(_ line: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
        return try #require(object as? [String: Any])
    }

    @Test("one valid JSON object per line, with dotted metadata keys")
    func writesOneObjectPerLine() throws {
        let collector = LineCollector()
        var logger = Logger(label: "district.test") { JSONLogHandler(label: $0, writer: collector.writer) }
        logger[metadataKey: "connection.id"] = "42"

        logger.info(
            "case opened",
            metadata: [
                "case.id": "c-1",
                "attempt": .stringConvertible(3),
                "route": ["grid": "g-7", "streets": ["s-1", "s-2"]],
            ]
        )

        let lines = collector.strings
        try #require(lines.count == 1)
        let line = lines[0]
        #expect(line.hasSuffix("}\n"))
        #expect(line.dropLast().contains("\n") == false)

        let object = try self.parse(line)
        #expect(object["level"] as? String == "info")
        #expect(object["label"] as? String == "district.test")
        #expect(object["msg"] as? String == "case opened")
        #expect(object["source"] as? String == "DistrictObservabilityTests")
        #expect(object["case.id"] as? String == "c-1")
        #expect(object["connection.id"] as? String == "42")
        #expect(object["attempt"] as? String == "3")
        let route = try #require(object["route"] as? [String: Any])
        #expect(route["grid"] as? String == "g-7")
        #expect(route["streets"] as? [String] == ["s-1", "s-2"])

        let timestamp = try #require(object["ts"] as? String)
        #expect(timestamp.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/) != nil)
    }

    @Test("quotes, backslashes, newlines, control characters and Chinese text round-trip")
    func escapesStrings() throws {
        let collector = LineCollector()
        let logger = Logger(label: "转义\"测试\"") { JSONLogHandler(label: $0, writer: collector.writer) }
        let message = "居民说：\"路灯坏了\"\n第二行\t\\ 结束\u{01}\u{7F}"

        logger.warning("\(message)", metadata: ["note": "换行\r\n引号\"", "nested": ["键": ["值\"\n"]]])

        let lines = collector.strings
        try #require(lines.count == 1)
        #expect(lines[0].dropLast().contains("\n") == false)
        let object = try self.parse(lines[0])
        #expect(object["msg"] as? String == message)
        #expect(object["label"] as? String == "转义\"测试\"")
        #expect(object["note"] as? String == "换行\r\n引号\"")
        let nested = try #require(object["nested"] as? [String: Any])
        #expect(nested["键"] as? [String] == ["值\"\n"])
    }

    @Test("metadata precedence and keys that collide with fixed fields")
    func metadataPrecedence() throws {
        let collector = LineCollector()
        let provider = Logger.MetadataProvider { ["request.id": "from-provider", "shared": "provider"] }
        var logger = Logger(label: "district.test") {
            JSONLogHandler(label: $0, writer: collector.writer, metadataProvider: provider)
        }
        logger[metadataKey: "shared"] = "handler"
        logger[metadataKey: "handler.only"] = "yes"

        logger.error("boom", metadata: ["msg": "not the message", "level": "not the level"])
        logger.notice("again", metadata: ["shared": "call"])

        let lines = collector.strings
        try #require(lines.count == 2)
        let first = try self.parse(lines[0])
        #expect(first["msg"] as? String == "boom")
        #expect(first["level"] as? String == "error")
        #expect(first["meta.msg"] as? String == "not the message")
        #expect(first["meta.level"] as? String == "not the level")
        #expect(first["shared"] as? String == "provider")
        #expect(first["handler.only"] as? String == "yes")
        #expect(first["request.id"] as? String == "from-provider")
        let second = try self.parse(lines[1])
        #expect(second["shared"] as? String == "call")
    }

    @Test("timestamps are UTC ISO-8601 with milliseconds")
    func timestampFormat() {
        let handler = JSONLogHandler(label: "t", writer: LineCollector().writer)
        let event = LogEvent(level: .debug, message: "m", metadata: nil, source: "S", file: #fileID, function: #function, line: #line)

        let line = String(decoding: handler.encode(event, seconds: 1_700_000_000, nanoseconds: 7_999_999), as: UTF8.self)

        #expect(line.hasPrefix(#"{"ts":"2023-11-14T22:13:20.007Z","level":"debug","label":"t","msg":"m","source":"S"}"#))
    }

    @Test("concurrent loggers produce whole lines")
    func concurrentLinesStayWhole() async throws {
        let collector = LineCollector()
        let writer = collector.writer
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    let logger = Logger(label: "task.\(task)") { JSONLogHandler(label: $0, writer: writer) }
                    for index in 0..<50 {
                        logger.info("line \(index)", metadata: ["task.id": "\(task)"])
                    }
                }
            }
        }

        let lines = collector.strings
        #expect(lines.count == 400)
        for line in lines {
            let object = try self.parse(line)
            #expect(object["task.id"] is String)
        }
    }
}
