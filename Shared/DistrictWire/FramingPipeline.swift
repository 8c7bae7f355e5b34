public import NIOCore
import NIOExtras

extension ChannelPipeline.SynchronousOperations {
    /// Adds the district framing: the limited frame decoder and the length-field prepender
    /// (4-byte big-endian), so the handlers after them see one `ByteBuffer` per frame.
    public func addDistrictFraming(limits: FrameLimits) throws {
        try addHandler(ByteToMessageHandler(FrameDecoder(limits: limits)))
        try addHandler(LengthFieldPrepender(lengthFieldBitLength: .thirtyTwoBits, lengthFieldEndianness: .big))
        try addHandler(FlushCoalescingHandler())
    }
}
