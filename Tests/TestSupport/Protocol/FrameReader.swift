import NIOCore

/// Reassembles frames from a raw byte stream for ``RawTLSConnection``.
///
/// Unchecked `Sendable`: a test reads a connection from one task at a time.
final class FrameReader: @unchecked Sendable {
    private var buffer: [UInt8] = []
    private var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private var ended = false

    init(channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>) {
        self.iterator = channel.inbound.makeAsyncIterator()
    }

    /// The next frame's payload, or nil when the stream ended (even mid-frame).
    func next() async throws -> [UInt8]? {
        while true {
            if let frame = takeFrame() { return frame }
            guard !ended else { return nil }
            let chunk: ByteBuffer?
            do {
                chunk = try await iterator.next()
            } catch {
                chunk = nil
            }
            guard let chunk else {
                ended = true
                return nil
            }
            buffer.append(contentsOf: chunk.readableBytesView)
        }
    }

    private func takeFrame() -> [UInt8]? {
        guard buffer.count >= 4 else { return nil }
        let length = Int(buffer[0]) << 24 | Int(buffer[1]) << 16 | Int(buffer[2]) << 8 | Int(buffer[3])
        guard buffer.count >= 4 + length else { return nil }
        let frame = Array(buffer[4..<(4 + length)])
        buffer.removeFirst(4 + length)
        return frame
    }
}
