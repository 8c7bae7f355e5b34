import NIOCore
import Synchronization

/// Reassembles frames from a raw byte stream for ``RawTLSConnection``.
final class FrameReader: Sendable {
    private let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
    private let buffered = Mutex<[UInt8]>([])
    private let iterator: Mutex<NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator?>

    init(channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>) {
        self.channel = channel
        self.iterator = Mutex(channel.inbound.makeAsyncIterator())
    }

    /// The next frame's payload, or nil when the stream ended (even mid-frame).
    func next() async throws -> [UInt8]? {
        while true {
            if let frame = takeFrame() { return frame }
            // Only one test task reads at a time, so taking the iterator out is safe.
            guard var current = iterator.withLock({ $0.take() }) else { return nil }
            let chunk: ByteBuffer?
            do {
                chunk = try await current.next()
            } catch {
                return nil
            }
            iterator.withLock { $0 = current }
            guard let chunk else { return nil }
            buffered.withLock { $0.append(contentsOf: chunk.readableBytesView) }
        }
    }

    private func takeFrame() -> [UInt8]? {
        buffered.withLock { buffer in
            guard buffer.count >= 4 else { return nil }
            let length = Int(buffer[0]) << 24 | Int(buffer[1]) << 16 | Int(buffer[2]) << 8 | Int(buffer[3])
            guard buffer.count >= 4 + length else { return nil }
            let frame = Array(buffer[4..<(4 + length)])
            buffer.removeFirst(4 + length)
            return frame
        }
    }
}
