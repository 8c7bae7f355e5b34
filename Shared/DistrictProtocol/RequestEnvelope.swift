/// A request as it arrives: `{"id", "method", "params"?, "token"?, "idempotencyKey"?}`.
///
/// `params` stays raw JSON until the router knows the method's parameter type.
public struct RequestEnvelope: Sendable {
    /// The client's request id, echoed in the response.
    public var id: RequestID
    /// The method name.
    public var method: String
    /// The raw JSON of `params`; `{}` when absent.
    public var params: [UInt8]
    /// The bearer token, if the request carries one.
    public var token: String?
    /// The client's idempotency key for retried writes, if any.
    public var idempotencyKey: String?

    /// Creates an envelope.
    public init(id: RequestID, method: String, params: [UInt8] = Array("{}".utf8), token: String? = nil, idempotencyKey: String? = nil) {
        self.id = id
        self.method = method
        self.params = params
        self.token = token
        self.idempotencyKey = idempotencyKey
    }

    /// The longest method name accepted.
    public static let maximumMethodLength = 128
    /// The longest token accepted, in bytes.
    public static let maximumTokenLength = 8192
    /// The longest idempotency key accepted, in bytes.
    public static let maximumIdempotencyKeyLength = 128

    /// Why a frame could not become a request.
    public enum ParseFailure: Error, Sendable {
        /// Not a JSON object in UTF-8: the connection must close.
        case malformedFrame(DistrictError)
        /// A JSON object, but not a valid request; `id` is set when it could be read.
        case badRequest(id: RequestID?, DistrictError)
    }

    /// Parses one frame's payload.
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> Result<RequestEnvelope, ParseFailure> {
        let members: [JSONMember]
        do {
            members = try JSONObjectScanner.scanObject(bytes)
        } catch {
            switch error {
            case .duplicateKey(let key):
                return .failure(.badRequest(id: nil, DistrictError(.badRequest, "member '\(key)' appears twice")))
            case .invalidUTF8(let offset):
                return .failure(.malformedFrame(DistrictError(.malformedFrame, "frame is not valid UTF-8", details: ["offset": String(offset)])))
            case .invalidJSON(let offset):
                return .failure(.malformedFrame(DistrictError(.malformedFrame, "frame is not valid JSON", details: ["offset": String(offset)])))
            case .notAnObject:
                return .failure(.malformedFrame(DistrictError(.malformedFrame, "frame is not a JSON object")))
            case .tooDeep:
                return .failure(.malformedFrame(DistrictError(.malformedFrame, "JSON nests deeper than \(JSONObjectScanner.maximumDepth) levels")))
            }
        }

        func raw(_ range: Range<Int>) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: bytes[range]) }
        func string(_ range: Range<Int>) -> String? {
            let value = raw(range)
            guard value.count >= 2, value.first == UInt8(ascii: "\""), value.last == UInt8(ascii: "\"") else { return nil }
            return JSONText.unescapeString(UnsafeRawBufferPointer(rebasing: value[1..<(value.count - 1)]))
        }
        func isNull(_ range: Range<Int>) -> Bool { raw(range).elementsEqual("null".utf8) }

        var id: RequestID?
        var method: String?
        var params: [UInt8]?
        var token: String?
        var idempotencyKey: String?

        // The id first, so later errors can be answered to it.
        if let idMember = members.first(where: { $0.key == "id" }) {
            if let text = string(idMember.value) {
                guard !text.isEmpty, text.utf8.count <= RequestID.maximumStringLength else {
                    return .failure(.badRequest(id: nil, DistrictError(.badRequest, "string id must be 1 to \(RequestID.maximumStringLength) bytes")))
                }
                id = .string(text)
            } else if let number = JSONText.integer(raw(idMember.value)), abs(number) <= RequestID.maximumNumber {
                id = .number(number)
            } else {
                return .failure(.badRequest(id: nil, DistrictError(.badRequest, "id must be a string or an integer within ±2^53")))
            }
        } else {
            return .failure(.badRequest(id: nil, DistrictError(.badRequest, "missing field 'id'", details: ["field": "id"])))
        }

        for member in members {
            switch member.key {
            case "id":
                continue
            case "method":
                guard let text = string(member.value), !text.isEmpty, text.utf8.count <= maximumMethodLength else {
                    return .failure(.badRequest(id: id, DistrictError(.badRequest, "method must be a non-empty string of at most \(maximumMethodLength) bytes", details: ["field": "method"])))
                }
                method = text
            case "params":
                let value = raw(member.value)
                guard value.first == UInt8(ascii: "{") || value.first == UInt8(ascii: "[") || isNull(member.value) else {
                    return .failure(.badRequest(id: id, DistrictError(.badRequest, "params must be an object", details: ["field": "params"])))
                }
                params = isNull(member.value) ? nil : Array(value)
            case "token":
                if isNull(member.value) { continue }
                guard let text = string(member.value), text.utf8.count <= maximumTokenLength else {
                    return .failure(.badRequest(id: id, DistrictError(.badRequest, "token must be a string of at most \(maximumTokenLength) bytes", details: ["field": "token"])))
                }
                token = text
            case "idempotencyKey":
                if isNull(member.value) { continue }
                guard let text = string(member.value), !text.isEmpty, text.utf8.count <= maximumIdempotencyKeyLength else {
                    return .failure(.badRequest(id: id, DistrictError(.badRequest, "idempotencyKey must be a string of 1 to \(maximumIdempotencyKeyLength) bytes", details: ["field": "idempotencyKey"])))
                }
                idempotencyKey = text
            default:
                return .failure(.badRequest(id: id, DistrictError(.badRequest, "unknown envelope member '\(member.key)'", details: ["field": member.key])))
            }
        }
        guard let id, let method else {
            return .failure(.badRequest(id: id, DistrictError(.badRequest, "missing field 'method'", details: ["field": "method"])))
        }
        return .success(RequestEnvelope(id: id, method: method, params: params ?? Array("{}".utf8), token: token, idempotencyKey: idempotencyKey))
    }

    /// Parses one frame's payload from a byte array.
    public static func parse(_ bytes: [UInt8]) -> Result<RequestEnvelope, ParseFailure> {
        bytes.withUnsafeBytes { parse($0) }
    }

    /// The request as JSON text, as a client sends it.
    public func encoded() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64 + params.count + (token?.utf8.count ?? 0) + (idempotencyKey?.utf8.count ?? 0))
        bytes.append(contentsOf: #"{"id":"#.utf8)
        bytes.append(contentsOf: id.json.utf8)
        bytes.append(contentsOf: #","method":"#.utf8)
        JSONEscaping.appendQuoted(method, to: &bytes)
        bytes.append(contentsOf: #","params":"#.utf8)
        bytes.append(contentsOf: params)
        if let token {
            bytes.append(contentsOf: #","token":"#.utf8)
            JSONEscaping.appendQuoted(token, to: &bytes)
        }
        if let idempotencyKey {
            bytes.append(contentsOf: #","idempotencyKey":"#.utf8)
            JSONEscaping.appendQuoted(idempotencyKey, to: &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }
}
