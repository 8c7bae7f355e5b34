import DistrictWire
import NIOCore
import NIOEmbedded
import Testing

@Suite("Frame decoder")
struct FrameDecoderTests {
    private func makeChannel(limit: Int = 64) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(FrameDecoder(limits: FrameLimits(maximumPayloadBytes: limit))))
        return channel
    }

    private func frame(_ text: String) -> [UInt8] {
        let payload = Array(text.utf8)
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt32(payload.count), endianness: .big)
        buffer.writeBytes(payload)
        return Array(buffer.readableBytesView)
    }

    @Test("frames trickled one byte at a time come out whole and in order")
    func trickle() throws {
        let channel = try makeChannel()
        let bytes = frame("{\"a\":1}") + frame("{\"b\":22}") + frame("{}")
        var decoded: [String] = []
        for byte in bytes {
            try channel.writeInbound(ByteBuffer(bytes: [byte]))
            while let out = try channel.readInbound(as: ByteBuffer.self) {
                decoded.append(String(buffer: out))
            }
        }
        #expect(decoded == ["{\"a\":1}", "{\"b\":22}", "{}"])
        #expect(try channel.finish().isClean)
    }

    @Test("an oversize length is refused after its four bytes, before any payload")
    func oversizeEarly() throws {
        let channel = try makeChannel(limit: 10)
        #expect(throws: FrameError.tooLarge(length: 11, limit: 10)) {
            try channel.writeInbound(ByteBuffer(bytes: [0, 0, 0, 11]))
        }
    }

    @Test("a zero length is refused")
    func zero() throws {
        let channel = try makeChannel()
        #expect(throws: FrameError.empty) {
            try channel.writeInbound(ByteBuffer(bytes: [0, 0, 0, 0]))
        }
    }

    @Test("a frame exactly at the limit passes")
    func atLimit() throws {
        let channel = try makeChannel(limit: 8)
        try channel.writeInbound(ByteBuffer(bytes: frame("12345678")))
        #expect(try channel.readInbound(as: ByteBuffer.self).map { String(buffer: $0) } == "12345678")
    }
}
