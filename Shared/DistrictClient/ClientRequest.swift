import DistrictProtocol
import NIOCore

/// A request on its way to the channel handler, with the promise its answer fulfils.
struct ClientRequest: Sendable {
    /// The envelope without its id; the handler assigns one.
    var method: String
    var params: [UInt8]
    var token: String?
    var idempotencyKey: String?
    var deadline: NIODeadline
    var promise: EventLoopPromise<[UInt8]>
    /// Set for subscription methods: where the events of the acknowledged subscription go.
    var subscription: AsyncThrowingStream<PushedEvent, any Error>.Continuation?
}
