"""A local HTTPS server for emulators: a throwaway CA (``trustme``, imported when a server starts),
a certificate for 127.0.0.1, and a threading server on a free port."""

from __future__ import annotations

import ssl
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


class QuietServer(ThreadingHTTPServer):
    """A threading server whose clients may hang up (a timeout test, a closed pool) without noise."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


def serve_https(handler: type[BaseHTTPRequestHandler], ca_bundle: Path, name: str) -> tuple[ThreadingHTTPServer, str]:
    """Serve ``handler`` over HTTPS on 127.0.0.1 in a daemon thread; the CA's PEM is written to
    ``ca_bundle`` (point the client at it). Returns the server (``shutdown()``/``server_close()``) and its URL."""
    import trustme

    ca_bundle.parent.mkdir(parents=True, exist_ok=True)
    ca = trustme.CA()
    ca.cert_pem.write_to_path(str(ca_bundle))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    server = QuietServer(("127.0.0.1", 0), handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, name=name, daemon=True).start()
    return server, f"https://127.0.0.1:{server.server_address[1]}"


class HttpsFake:
    """The life cycle every HTTPS emulator shares: ``start()`` serves :attr:`handler` (subclassed with
    ``owner`` = this fake) on a free port, ``stop()`` shuts it down, ``with fake:`` does both.

    A subclass sets :attr:`handler` and :attr:`thread_name` and, in its ``__init__``, :attr:`ca_bundle`.
    """

    handler: type[BaseHTTPRequestHandler]
    thread_name = "fake-https"
    ca_bundle: Path
    url = ""
    _server: ThreadingHTTPServer | None = None

    def start(self) -> Any:
        owned = type(self.handler.__name__, (self.handler,), {"owner": self})
        self._server, self.url = serve_https(owned, self.ca_bundle, self.thread_name)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> Any:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()
