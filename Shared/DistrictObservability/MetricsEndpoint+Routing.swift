import NIOCore
import NIOHTTP1

extension MetricsEndpoint {
    /// The Prometheus text exposition format this endpoint serves.
    static let metricsContentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The complete response to one request: head, body and end.
    func respond(to request: HTTPRequestHead, keepAlive: Bool) -> [HTTPServerResponsePart] {
        let (status, contentType, body) = self.route(request)

        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Content-Length", value: String(body.readableBytes))
        if status == .methodNotAllowed {
            headers.add(name: "Allow", value: "GET")
        }
        if !keepAlive {
            headers.add(name: "Connection", value: "close")
        } else if request.version == .http1_0 {
            headers.add(name: "Connection", value: "keep-alive")
        }

        let head = HTTPResponseHead(version: request.version, status: status, headers: headers)
        return [.head(head), .body(.byteBuffer(body)), .end(nil)]
    }

    /// Status, content type and body for a request: non-GET is 405 on every path.
    func route(_ request: HTTPRequestHead) -> (HTTPResponseStatus, String, ByteBuffer) {
        guard request.method == .GET else {
            return (.methodNotAllowed, "text/plain; charset=utf-8", ByteBuffer(string: "method not allowed\n"))
        }
        let path = request.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        switch path {
        case "/metrics":
            var bytes: [UInt8] = []
            self.registry.emit(into: &bytes)
            return (.ok, Self.metricsContentType, ByteBuffer(bytes: bytes))
        case "/healthz":
            return (.ok, "text/plain; charset=utf-8", ByteBuffer(string: "ok"))
        default:
            return (.notFound, "text/plain; charset=utf-8", ByteBuffer(string: "not found\n"))
        }
    }
}
