@testable import DistrictObservability
import Logging
import Synchronization
import Testing

@Suite("TextLogHandler")
struct TextLogHandlerTests {
    /// Collects what a `StreamLogHandler` writes.
    final class Capture: TextOutputStream, Sendable {
        private let text = Mutex("")
        var written: String { text.withLock { $0 } }
        func write(_ string: String) { text.withLock { $0 += string } }
    }

    private func logger(_ capture: Capture, level: Logger.Level = .info, provider: Logger.MetadataProvider? = nil) -> Logger {
        Logger(label: "district.test") { label in
            TextLogHandler(stream: StreamLogHandler(label: label, stream: capture), logLevel: level, metadataProvider: provider)
        }
    }

    @Test("writes the logger's metadata, the provider's and the call's, the call's winning")
    func writesMergedMetadata() {
        let capture = Capture()
        var logger = logger(capture, provider: Logger.MetadataProvider { ["trace.id": "t-1", "rpc.id": "from-provider"] })
        logger[metadataKey: "rpc.id"] = "7"
        logger[metadataKey: "rpc.method"] = "case.report"
        logger.info("case reported", metadata: ["case.id": "c-1", "rpc.method": "case.get"])
        let line = capture.written
        #expect(line.contains("case reported"))
        #expect(line.contains("case.id=c-1"))
        #expect(line.contains("rpc.method=case.get"))
        #expect(!line.contains("rpc.method=case.report"))
        #expect(line.contains("trace.id=t-1"))
        // The provider's value overrides the logger's own, as in swift-log's handlers.
        #expect(line.contains("rpc.id=from-provider"))
    }

    @Test("metadata set on one logger stays out of a copy made before; nothing below the level is written")
    func keepsValueSemanticsAndLevel() {
        let capture = Capture()
        let base = logger(capture, level: .warning)
        var request = base
        request[metadataKey: "rpc.id"] = "9"
        request.info("not written")
        base.warning("from the base")
        request.error("from the request")
        let lines = capture.written.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first.map { !$0.contains("rpc.id") } == true)
        #expect(lines.last.map { $0.contains("rpc.id=9") && $0.contains("from the request") } == true)
        #expect(request[metadataKey: "rpc.id"] == "9")
        #expect(base[metadataKey: "rpc.id"] == nil)
    }
}
