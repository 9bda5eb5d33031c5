"""A fault-injecting, request-counting HTTP proxy in front of the emulator: real wire, scripted
failures (throttling, 5xx, AccessDenied), and the error bodies of the AWS protocols."""

from __future__ import annotations

import http.client
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


@dataclass
class Rule:
    """Answer requests whose ``"METHOD PATH TARGET BODY"`` contains ``match`` with ``status``/``body``."""

    match: str
    status: int
    body: str = ""
    content_type: str = "text/xml"
    times: int = 1_000_000
    hits: int = 0


@dataclass
class FaultProxy:
    """A fault-injecting, request-counting HTTP proxy in front of the emulator (real wire, scripted failures)."""

    upstream: str
    rules: list[Rule] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    record_bodies: bool = False
    bodies: list[bytes] = field(default_factory=list)

    def __post_init__(self) -> None:
        proxy = self
        target = urlsplit(self.upstream)

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                key = (
                    f"{self.command} {self.path} {self.headers.get('X-Amz-Target', '')} {body[:300].decode('latin-1')}"
                )
                with proxy._lock:
                    proxy.requests.append(key)
                    rule = next((r for r in proxy.rules if r.match in key and r.hits < r.times), None)
                    if rule is not None:
                        rule.hits += 1
                if rule is not None:
                    payload = rule.body.encode()
                    self.send_response(rule.status)
                    self.send_header("Content-Type", rule.content_type)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                conn = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection",)}
                conn.request(self.command, self.path, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
                if proxy.record_bodies:
                    with proxy._lock:
                        proxy.bodies.extend((body, data))
                self.send_response(response.status)
                for k, v in response.getheaders():
                    if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                conn.close()

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.endpoint = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def add(self, rule: Rule) -> Rule:
        self.rules.append(rule)
        return rule

    def count(self, match: str) -> int:
        return sum(match in r for r in self.requests)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def query_error(code: str, message: str = "injected") -> str:
    """An error body of the AWS query protocol (EC2 uses a slightly different shape; both parse)."""
    return (
        f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>"
        f"<RequestId>fault</RequestId></ErrorResponse>"
    )


def ec2_error(code: str, message: str = "injected") -> str:
    return (
        f"<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors>"
        f"<RequestID>fault</RequestID></Response>"
    )


def json_error(code: str, message: str = "injected") -> str:
    return json.dumps({"__type": code, "message": message})
