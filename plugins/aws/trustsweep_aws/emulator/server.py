"""moto's server over real HTTP on 127.0.0.1, in a thread: the AWS half of the emulator.

:func:`start_emulator` runs moto's WSGI app. A service moto does not implement (IAM Access
Analyzer) answers ``501 NotImplemented`` at once, where moto itself would crash with a 500 that the
SDK retries. With ``fill_gaps=True`` (the demo) the operations the checks read and moto lacks are
served too (:mod:`.gaps`). Every request served is logged as ``"VERB Operation"``
(:meth:`AwsEmulator.requests`, :meth:`AwsEmulator.writes`), so tests and the conformance suite
can show that a sweep wrote nothing.

moto is imported when an emulator starts, never at import time.
"""

from __future__ import annotations

import json
import os
import threading
import urllib.request
from pathlib import Path
from typing import Any

from . import wire

ACCOUNT = "123456789012"
REGIONS = ("us-east-1", "eu-west-1")
CREDENTIAL_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_EC2_METADATA_DISABLED": "true",
}
CLEARED_ENV = ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE")


def _not_implemented(start_response: Any, what: str) -> list[bytes]:
    message = what if " " in what else f"{what or 'this service'} is not emulated"
    body = json.dumps({"__type": "NotImplementedException", "message": message}).encode()
    start_response(
        "501 Not Implemented",
        [
            ("Content-Type", "application/x-amz-json-1.1"),
            ("x-amzn-ErrorType", "NotImplementedException"),
            ("Content-Length", str(len(body))),
        ],
    )
    return [body]


class AwsEmulator:
    """moto's server on 127.0.0.1:<free port>, in a daemon thread."""

    def __init__(self, *, fill_gaps: bool = False) -> None:
        """``fill_gaps``: also serve what moto lacks and the checks read (see :mod:`.gaps`)."""
        # the estate needs no AMI catalogue; skipping it makes EC2's first call ~3 s faster
        os.environ.setdefault("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")
        from moto import backends
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
        from werkzeug.serving import make_server

        class QuietHandler(MotoRequestHandler):  # type: ignore[misc,valid-type]
            def log_request(self, *args: Any, **kwargs: Any) -> None:
                pass

        class Dispatcher(DomainDispatcherApplication):  # type: ignore[misc,valid-type]
            def get_backend_for_host(self, host: str | None) -> Any:
                if host is None or host == "moto_api" or host in backends.list_of_moto_modules():
                    return host
                return next((b for b, pattern in self.backend_url_patterns if pattern.match(f"http://{host}")), None)

        moto_app = Dispatcher(create_backend_app)

        def app(environ: dict[str, Any], start_response: Any) -> Any:
            try:
                moto_app.get_application(environ)
            except Exception:
                auth = environ.get("HTTP_AUTHORIZATION", "")
                service = auth.split("/")[3] if auth.count("/") >= 4 else ""
                return _not_implemented(start_response, service)
            try:
                return moto_app(environ, start_response)
            except NotImplementedError as exc:  # an operation moto lacks (e.g. backup selections)
                return _not_implemented(start_response, f"not emulated: {exc}")

        if fill_gaps:
            from .gaps import GapFiller

            app = GapFiller(app)  # type: ignore[assignment]
        self._log: list[str] = []
        self._log_lock = threading.Lock()
        served = app

        def logged(environ: dict[str, Any], start_response: Any) -> Any:
            if not environ.get("PATH_INFO", "").startswith("/moto-api"):
                line = f"{environ.get('REQUEST_METHOD', 'GET')} {wire.operation(environ)}"
                with self._log_lock:
                    self._log.append(line)
            return served(environ, start_response)

        self._server = make_server("127.0.0.1", 0, logged, threaded=True, request_handler=QuietHandler)
        self.port = self._server.server_address[1]
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self._server.handle_error = lambda request, address: None  # no tracebacks on stderr
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True, name="moto")
        self._thread.start()

    def env(self, config_file: Path | None = None) -> dict[str, str]:
        """Environment variables that point boto3 (and so the plugin) at this emulator."""
        out = {"AWS_ENDPOINT_URL": self.endpoint, **CREDENTIAL_ENV}
        if config_file is not None:
            out["AWS_CONFIG_FILE"] = str(config_file)
            out["AWS_SHARED_CREDENTIALS_FILE"] = str(config_file.with_name("credentials"))
        return out

    def post(self, path: str, payload: Any = None) -> None:
        post(self.endpoint, path, payload)

    def requests(self) -> list[str]:
        """Every API request served since the last :meth:`clear_log`, as ``"VERB Operation"``."""
        with self._log_lock:
            return list(self._log)

    def writes(self) -> list[str]:
        """The requests that would change state (see :func:`.wire.is_write`)."""
        return [line for line in self.requests() if wire.is_write(line.partition(" ")[2])]

    def clear_log(self) -> None:
        """Forget the requests served so far (after seeding, before the sweep under test)."""
        with self._log_lock:
            self._log.clear()

    def reset(self) -> None:
        """Forget every resource (``POST /moto-api/reset``)."""
        self.post("/moto-api/reset")
        self.clear_log()

    def seed_inspector_findings(self, findings: list[dict[str, Any]], region: str, account: str = ACCOUNT) -> None:
        """Queue the findings ``list_findings`` returns next (moto has no API to create findings)."""
        self.post(
            "/moto-api/static/inspector2/findings-results",
            {"results": [findings], "account_id": account, "region": region},
        )

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)


def post(endpoint: str, path: str, payload: Any = None) -> None:
    data = json.dumps(payload).encode() if payload is not None else b""
    request = urllib.request.Request(endpoint + path, data=data, method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()


def start_emulator(*, fill_gaps: bool = False) -> AwsEmulator:
    return AwsEmulator(fill_gaps=fill_gaps)


def write_profiles(directory: Path, profiles: dict[str, str] | None = None) -> Path:
    """An AWS config file with static-key profiles (name → access key id) for the emulator."""
    directory.mkdir(parents=True, exist_ok=True)
    config = directory / "config"
    creds = directory / "credentials"
    profiles = profiles or {}
    config.write_text("".join(f"[profile {name}]\nregion = us-east-1\n" for name in profiles), encoding="utf-8")
    creds.write_text(
        "".join(
            f"[{name}]\naws_access_key_id = {key}\naws_secret_access_key = testing\n" for name, key in profiles.items()
        ),
        encoding="utf-8",
    )
    return config
