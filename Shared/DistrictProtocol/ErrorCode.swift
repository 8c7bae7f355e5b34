/// A machine-readable error code from the protocol's fixed catalogue.
///
/// The catalogue is documented in `docs/protocol.md`. Codes are strings on the wire; new
/// codes are added as new static constants, so callers never break when one appears.
public struct ErrorCode: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The code as it appears on the wire.
    public let rawValue: String

    /// Wraps a wire code. Unknown codes are kept as they are.
    public init(rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }

    // MARK: Framing errors (the server closes the connection after sending them)

    /// The frame's length prefix exceeds the maximum frame size.
    public static let frameTooLarge = ErrorCode(rawValue: "frame_too_large")
    /// The frame's length prefix is zero.
    public static let emptyFrame = ErrorCode(rawValue: "empty_frame")
    /// The frame is not UTF-8, not JSON, or not a JSON object.
    public static let malformedFrame = ErrorCode(rawValue: "malformed_frame")
    /// A request other than `protocol.hello` arrived before the handshake.
    public static let handshakeRequired = ErrorCode(rawValue: "handshake_required")
    /// The client offered no protocol version this server speaks.
    public static let unsupportedVersion = ErrorCode(rawValue: "unsupported_version")
    /// Nothing arrived from the peer within the idle timeout.
    public static let idleTimeout = ErrorCode(rawValue: "idle_timeout")

    // MARK: Request errors (the connection stays open)

    /// The envelope is a JSON object but not a valid request (missing or mistyped field).
    public static let badRequest = ErrorCode(rawValue: "bad_request")
    /// No method of that name exists on this service.
    public static let unknownMethod = ErrorCode(rawValue: "unknown_method")
    /// `params` do not match the method's parameter type, or a value is out of range.
    public static let invalidParams = ErrorCode(rawValue: "invalid_params")
    /// No valid credentials: missing, malformed, expired or wrongly signed token.
    public static let unauthenticated = ErrorCode(rawValue: "unauthenticated")
    /// The caller is known but may not do this on that resource.
    public static let permissionDenied = ErrorCode(rawValue: "permission_denied")
    /// The resource does not exist (or is outside the caller's reach).
    public static let notFound = ErrorCode(rawValue: "not_found")
    /// A resource with that identity already exists.
    public static let alreadyExists = ErrorCode(rawValue: "already_exists")
    /// The request conflicts with the current state (for example a concurrent update won).
    public static let conflict = ErrorCode(rawValue: "conflict")
    /// The requested state change is not allowed from the resource's current state.
    public static let invalidTransition = ErrorCode(rawValue: "invalid_transition")
    /// The request is valid but a precondition of the system does not hold.
    public static let failedPrecondition = ErrorCode(rawValue: "failed_precondition")
    /// The call's deadline passed before an answer was ready.
    public static let deadlineExceeded = ErrorCode(rawValue: "deadline_exceeded")
    /// Too many requests are in flight on this connection, or the caller is rate limited.
    public static let tooManyRequests = ErrorCode(rawValue: "too_many_requests")
    /// The service cannot serve now (database unreachable, dependency down); retry later.
    public static let unavailable = ErrorCode(rawValue: "unavailable")
    /// The server is draining for shutdown and accepts no new requests on this connection.
    public static let shuttingDown = ErrorCode(rawValue: "shutting_down")
    /// An unexpected server error; the message carries no internals.
    public static let `internal` = ErrorCode(rawValue: "internal")

    /// Codes after which the server closes the connection.
    public var closesConnection: Bool {
        switch self {
        case .frameTooLarge, .emptyFrame, .malformedFrame, .handshakeRequired, .unsupportedVersion, .idleTimeout:
            return true
        default:
            return false
        }
    }
}
