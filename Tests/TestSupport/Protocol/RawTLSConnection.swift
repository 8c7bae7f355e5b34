public import DistrictProtocol
public import DistrictWire
public import NIOCore
import NIOPosix
import NIOSSL

/// A TLS connection that sends raw bytes and reads raw frames, for tests that must send
/// what a well-behaved client never would (split frames, bad lengths, garbage).
public final class RawTLSConnection: Sendable {
    private let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
    private let reader: FrameReader

    private init(channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>) {
        self.channel = channel
        self.reader = FrameReader(channel: channel)
    }

    /// Connects to `address` trusting `pki`'s CA and presenting `clientName`'s certificate
    /// when given.
    public static func connect(to address: SocketAddress, trustRootsPath: String, clientCredentials: TLSCredentials? = nil) async throws -> RawTLSConnection {
        let context = try TLSContexts.client(trustRootsPath: trustRootsPath, clientCredentials: clientCredentials)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(to: address) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: "localhost"))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return RawTLSConnection(channel: channel)
    }

    /// Sends bytes as they are.
    public func send(_ bytes: [UInt8]) async throws {
        try await channel.outbound.write(ByteBuffer(bytes: bytes))
    }

    /// Sends one well-formed frame holding `json`.
    public func sendFrame(_ json: String) async throws {
        try await send(Self.frame(Array(json.utf8)))
    }

    /// Length-prefixes a payload.
    public static func frame(_ payload: [UInt8]) -> [UInt8] {
        let length = UInt32(payload.count)
        return [UInt8(length >> 24), UInt8((length >> 16) & 0xFF), UInt8((length >> 8) & 0xFF), UInt8(length & 0xFF)] + payload
    }

    /// Reads the next frame's payload, skipping heartbeats; nil when the server closed.
    public func readFrame(skipHeartbeats: Bool = true) async throws -> [UInt8]? {
        while true {
            guard let frame = try await reader.next() else { return nil }
            if skipHeartbeats, case .heartbeat? = try? ServerFrame.parse(frame) { continue }
            return frame
        }
    }

    /// Reads and parses the next frame; nil when the server closed.
    public func readServerFrame() async throws -> ServerFrame? {
        guard let frame = try await readFrame() else { return nil }
        return try ServerFrame.parse(frame)
    }

    /// Performs the protocol handshake.
    public func hello() async throws {
        try await sendFrame(#"{"id":0,"method":"protocol.hello","params":{"versions":[1],"client":"raw-test"}}"#)
        guard case .result(.number(0), _)? = try await readServerFrame() else {
            throw DistrictError(.internal, "handshake failed")
        }
    }

    /// Closes the connection.
    public func close() async {
        channel.outbound.finish()
        try? await channel.channel.close()
    }

    deinit {
        // NIO requires the writer to be finished before it goes away.
        channel.outbound.finish()
        channel.channel.close(promise: nil)
    }
}
