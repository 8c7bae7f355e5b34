/// A frame sent by the server: a response to a request, a pushed subscription event, a
/// heartbeat, or a goodbye before the server closes the connection.
public enum ServerFrame: Sendable {
    /// `{"id": …, "result": …}`: the raw JSON of the result.
    case result(id: RequestID, json: [UInt8])
    /// `{"id": …|null, "error": {"code", "message", "details"?}}`.
    case error(id: RequestID?, DistrictError)
    /// `{"event": {"subscription", "cursor", "data"}}`.
    case event(subscription: String, cursor: String?, data: [UInt8])
    /// `{"subscriptionEnded": {"subscription", "error": {"code", "message", "details"?}}}`:
    /// the server ended a subscription on its own (for example its database went away).
    case subscriptionEnded(subscription: String, DistrictError)
    /// `{"heartbeat": {}}`, sent when the connection has been quiet.
    case heartbeat
    /// `{"goodbye": {"reason"}}`, sent before the server closes a draining connection.
    case goodbye(reason: String)

    /// The frame's JSON text.
    public func encoded() -> [UInt8] {
        switch self {
        case .result(let id, let json):
            var bytes = Array("{\"id\":\(id.json),\"result\":".utf8)
            bytes.reserveCapacity(bytes.count + json.count + 1)
            bytes.append(contentsOf: json)
            bytes.append(UInt8(ascii: "}"))
            return bytes
        case .error(let id, let error):
            return Array("{\"id\":\(id?.json ?? "null"),\"error\":\(Self.errorJSON(error))}".utf8)
        case .event(let subscription, let cursor, let data):
            var bytes = Array("{\"event\":{\"subscription\":\(JSONText.quoted(subscription)),\"cursor\":\(cursor.map(JSONText.quoted) ?? "null"),\"data\":".utf8)
            bytes.append(contentsOf: data)
            bytes.append(contentsOf: "}}".utf8)
            return bytes
        case .subscriptionEnded(let subscription, let error):
            return Array("{\"subscriptionEnded\":{\"subscription\":\(JSONText.quoted(subscription)),\"error\":\(Self.errorJSON(error))}}".utf8)
        case .heartbeat:
            return Array("{\"heartbeat\":{}}".utf8)
        case .goodbye(let reason):
            return Array("{\"goodbye\":{\"reason\":\(JSONText.quoted(reason))}}".utf8)
        }
    }

    /// `{"code", "message", "details"?}` with members in that order and details sorted,
    /// so the same error is always the same bytes.
    private static func errorJSON(_ error: DistrictError) -> String {
        var text = "{\"code\":\(JSONText.quoted(error.code.rawValue)),\"message\":\(JSONText.quoted(error.message))"
        if let details = error.details, !details.isEmpty {
            text += ",\"details\":{"
            text += details.sorted { $0.key < $1.key }.map { "\(JSONText.quoted($0.key)):\(JSONText.quoted($0.value))" }.joined(separator: ",")
            text += "}"
        }
        return text + "}"
    }

    /// Parses a frame received from a server.
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(DistrictError) -> ServerFrame {
        let members: [JSONMember]
        do {
            members = try JSONObjectScanner.scanObject(bytes)
        } catch {
            throw DistrictError(.malformedFrame, "server sent a frame that is not a JSON object: \(error)")
        }
        func raw(_ range: Range<Int>) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: bytes[range]) }
        func member(_ key: String) -> Range<Int>? { members.first { $0.key == key }?.value }

        if let result = member("result"), let id = member("id") {
            guard let requestID = parseID(raw(id)) else { throw DistrictError(.malformedFrame, "response id is neither string nor integer") }
            return .result(id: requestID, json: Array(raw(result)))
        }
        if let error = member("error") {
            let id = member("id").flatMap { parseID(raw($0)) }
            let decoded: DistrictError
            do {
                decoded = try WireCoding.decodeParams(DistrictError.self, from: Array(raw(error)))
            } catch {
                throw DistrictError(.malformedFrame, "error member is not {code, message, details?}")
            }
            return .error(id: id, decoded)
        }
        if let event = member("event") {
            struct EventHeader: Decodable { var subscription: String; var cursor: String? }
            let eventBytes = raw(event)
            let inner: [JSONMember]
            do {
                inner = try JSONObjectScanner.scanObject(eventBytes)
            } catch {
                throw DistrictError(.malformedFrame, "event member is not an object")
            }
            guard let data = inner.first(where: { $0.key == "data" })?.value,
                let header = try? WireCoding.decodeParams(EventHeader.self, from: Array(eventBytes))
            else {
                throw DistrictError(.malformedFrame, "event lacks subscription or data")
            }
            return .event(subscription: header.subscription, cursor: header.cursor, data: Array(UnsafeRawBufferPointer(rebasing: eventBytes[data])))
        }
        if let ended = member("subscriptionEnded") {
            struct Ended: Decodable { var subscription: String; var error: DistrictError }
            guard let decoded = try? WireCoding.decodeParams(Ended.self, from: Array(raw(ended))) else {
                throw DistrictError(.malformedFrame, "subscriptionEnded lacks subscription or error")
            }
            return .subscriptionEnded(subscription: decoded.subscription, decoded.error)
        }
        if member("heartbeat") != nil { return .heartbeat }
        if let goodbye = member("goodbye") {
            struct Goodbye: Decodable { var reason: String? }
            let reason = (try? WireCoding.decodeParams(Goodbye.self, from: Array(raw(goodbye))))?.reason
            return .goodbye(reason: reason ?? "")
        }
        throw DistrictError(.malformedFrame, "unrecognised server frame")
    }

    /// Parses a frame from a byte array.
    public static func parse(_ bytes: [UInt8]) throws(DistrictError) -> ServerFrame {
        do {
            return try bytes.withUnsafeBytes { try parse($0) }
        } catch let error as DistrictError {
            throw error
        } catch {
            throw DistrictError(.malformedFrame, "\(error)")
        }
    }

    private static func parseID(_ raw: UnsafeRawBufferPointer) -> RequestID? {
        if raw.count >= 2, raw.first == UInt8(ascii: "\"") {
            return .string(JSONText.unescapeString(UnsafeRawBufferPointer(rebasing: raw[1..<(raw.count - 1)])))
        }
        return JSONText.integer(raw).map(RequestID.number)
    }
}
