/// An event frame as received, before its payload is decoded.
struct PushedEvent: Sendable {
    var cursor: String?
    var data: [UInt8]
}
