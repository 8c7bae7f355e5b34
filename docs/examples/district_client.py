#!/usr/bin/env python3
"""A minimal district protocol client, written from docs/protocol.md alone.

Usage: district_client.py HOST PORT CA_PEM [CLIENT_CERT CLIENT_KEY]

It performs the handshake, pipelines three requests, prints the responses as they
arrive (matched by id), and sends one oversize frame to show the error and the close.
The project's test suite runs it against a real server.
"""
import json
import socket
import ssl
import struct
import sys


def send_frame(sock, obj):
    payload = json.dumps(obj, ensure_ascii=False).encode("utf-8")
    sock.sendall(struct.pack(">I", len(payload)) + payload)


def recv_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError("connection closed")
        data += chunk
    return data


def recv_frame(sock):
    (length,) = struct.unpack(">I", recv_exact(sock, 4))
    return json.loads(recv_exact(sock, length).decode("utf-8"))


def main():
    host, port, ca = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    context = ssl.create_default_context(cafile=ca)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if len(sys.argv) > 5:
        context.load_cert_chain(sys.argv[4], sys.argv[5])
    with socket.create_connection((host, port)) as raw:
        with context.wrap_socket(raw, server_hostname=host) as sock:
            send_frame(sock, {"id": 1, "method": "protocol.hello", "params": {"versions": [1], "client": "python-example/1"}})
            hello = recv_frame(sock)
            assert hello["id"] == 1 and hello["result"]["version"] == 1, hello
            print("hello", json.dumps(hello["result"], sort_keys=True))

            # Pipeline three requests; the slow one is answered last.
            send_frame(sock, {"id": "slow", "method": "system.echo", "params": {"text": "慢", "delayMs": 200}})
            send_frame(sock, {"id": 2, "method": "system.echo", "params": {"text": "你好"}})
            send_frame(sock, {"id": 3, "method": "no.such.method"})
            answers = {}
            while len(answers) < 3:
                frame = recv_frame(sock)
                if "heartbeat" in frame:
                    continue
                answers[frame["id"]] = frame
                print("response", json.dumps(frame, ensure_ascii=False, sort_keys=True))
            assert answers[2]["result"] == {"text": "你好"}, answers
            assert answers["slow"]["result"] == {"text": "慢"}, answers
            assert answers[3]["error"]["code"] == "unknown_method", answers

            # A frame over the limit: error frame with id null, then the server closes.
            sock.sendall(struct.pack(">I", hello["result"]["maxFrameBytes"] + 1))
            error = recv_frame(sock)
            assert error["id"] is None and error["error"]["code"] == "frame_too_large", error
            print("error", json.dumps(error, sort_keys=True))
            try:
                rest = sock.recv(1)
            except (ssl.SSLError, ConnectionError):
                rest = b""
            assert rest == b"", rest
            print("closed")


if __name__ == "__main__":
    main()
