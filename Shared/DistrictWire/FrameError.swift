public import DistrictProtocol

/// A framing violation: the connection cannot continue after one.
public enum FrameError: Error, Hashable, Sendable {
    /// The length prefix is zero.
    case empty
    /// The length prefix exceeds the limit.
    case tooLarge(length: UInt32, limit: Int)

    /// The protocol error a peer is told before the connection closes.
    public var districtError: DistrictError {
        switch self {
        case .empty:
            return DistrictError(.emptyFrame, "frame length must be at least 1")
        case .tooLarge(let length, let limit):
            return DistrictError(
                .frameTooLarge, "frame of \(length) bytes exceeds the limit of \(limit) bytes",
                details: ["length": String(length), "limit": String(limit)])
        }
    }
}
