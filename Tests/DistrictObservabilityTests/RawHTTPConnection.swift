import NIOCore
import NIOPosix

/// A plain TCP connection that speaks HTTP by hand, so tests see the exact bytes.
struct RawHTTPConnection {
    private let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>

    static func connect(port: Int) async throws -> RawHTTPConnection {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return RawHTTPConnection(channel: channel)
    }

    /// Sends `request`, then hands the inbound stream to `body`; the connection closes afterwards.
    func exchange<Result: Sendable>(
        _ request: String,
        _ body: (inout NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator) async throws -> Result
    ) async throws -> Result {
        try await self.channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: request))
            var iterator = inbound.makeAsyncIterator()
            return try await body(&iterator)
        }
    }

    /// Sends `request` (which should ask the server to close) and reads until end of stream.
    static func send(_ request: String, port: Int) async throws -> String {
        try await Self.connect(port: port).exchange(request) { iterator in
            try await readToEnd(&iterator)
        }
    }

    static func readToEnd(_ iterator: inout NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator) async throws -> String {
        var text = ""
        while let chunk = try await iterator.next() {
            text += String(buffer: chunk)
        }
        return text
    }
}
