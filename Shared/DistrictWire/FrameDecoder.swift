public import NIOCore
import NIOExtras

/// Decodes length-prefixed frames (4-byte big-endian length, then the payload) and
/// enforces the maximum frame size before buffering a payload.
///
/// swift-nio-extras' `LengthFieldBasedFrameDecoder` does the framing but has no limit
/// of its own; this decoder checks each length prefix first, so a peer announcing a
/// 4 GiB frame is refused after four bytes instead of being buffered.
public final class FrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = ByteBuffer

    private let limits: FrameLimits
    private let inner = LengthFieldBasedFrameDecoder(lengthFieldBitLength: .thirtyTwoBits, lengthFieldEndianness: .big)

    /// Creates a decoder with the given limits.
    public init(limits: FrameLimits) {
        self.limits = limits
    }

    public func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, endianness: .big, as: UInt32.self) else {
            return .needMoreData
        }
        if length == 0 { throw FrameError.empty }
        if length > limits.maximumPayloadBytes {
            throw FrameError.tooLarge(length: length, limit: limits.maximumPayloadBytes)
        }
        // Hand the inner decoder whole frames only: it remembers a length it has read,
        // and the check above must see every length prefix.
        guard buffer.readableBytes >= 4 + Int(length) else { return .needMoreData }
        return try inner.decode(context: context, buffer: &buffer)
    }

    public func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        // A partial frame at EOF is dropped: the peer went away mid-frame.
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}

@available(*, unavailable)
extension FrameDecoder: Sendable {}
