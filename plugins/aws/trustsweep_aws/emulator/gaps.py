"""What moto's server lacks and the AWS checks read, served over the same wire (WSGI, in front of moto).

* IAM Access Analyzer: ``CreateAnalyzer`` and ``ListAnalyzers`` (moto has no such service).
* AWS Backup selections: ``CreateBackupSelection``, ``ListBackupSelections``, ``GetBackupSelection``
  (moto keeps backup plans but raises ``NotImplementedError`` for their selections).
* The ``<root_account>`` row of the IAM credential report (moto lists IAM users only).

Requests still go through boto3 and HTTP; only the answers come from here. State is per account and
region and is forgotten on ``POST /moto-api/reset``, like moto's own. :class:`AwsEmulator` uses this
with ``fill_gaps=True`` (the demo does); the default plain moto server keeps the gaps, so tests can
check that an unemulated service ends as ``error``.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import threading
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

from .wire import body as _body
from .wire import scope as _scope

WsgiApp = Callable[[dict[str, Any], Any], Iterable[bytes]]
ROOT_COLUMNS = 22  # cells in a credential report row
_SELECTIONS = re.compile(r"^/backup/plans/(?P<plan>[^/]+)/selections/(?P<selection>[^/]*)$")
_CONTENT = re.compile(rb"<Content>([A-Za-z0-9+/=\s]*)</Content>")


def _json(start_response: Any, status: str, payload: Any, error: str = "") -> list[bytes]:
    body = json.dumps(payload).encode()
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    if error:
        headers.append(("x-amzn-ErrorType", error))
    start_response(status, headers)
    return [body]


def _error(start_response: Any, status: str, code: str, message: str) -> list[bytes]:
    return _json(start_response, status, {"__type": code, "message": message, "Message": message}, code)


def _account(access_key: str) -> str:
    from moto.iam.models import get_account_id_from

    return get_account_id_from(access_key)


def root_row(account: str, now: dt.datetime, password_last_used_days: float | None) -> str:
    """The credential report's ``<root_account>`` row: console password, no access keys, no MFA."""
    fmt = "%Y-%m-%dT%H:%M:%S+00:00"
    used = (
        (now - dt.timedelta(days=password_last_used_days)).strftime(fmt)
        if password_last_used_days is not None
        else "no_information"
    )
    created = (now - dt.timedelta(days=3 * 365)).strftime(fmt)
    cells = [
        "<root_account>",
        f"arn:aws:iam::{account}:root",
        created,
        "not_supported",
        used,
        "not_supported",
        "not_supported",
        "false",
    ]
    cells += ["false", "N/A", "N/A", "N/A", "N/A"] * 2 + ["false", "N/A"] * 2
    assert len(cells) == ROOT_COLUMNS
    return ",".join(cells) + "\n"


class GapFiller:
    """A WSGI app that answers the operations above and hands every other request to ``moto_app``."""

    def __init__(self, moto_app: WsgiApp, *, root_password_last_used_days: float | None = 200) -> None:
        self.moto_app = moto_app
        self.root_password_last_used_days = root_password_last_used_days
        self._lock = threading.Lock()
        self._analyzers: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
        self._selections: dict[tuple[str, str, str], dict[str, dict[str, Any]]] = {}

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        key, region, service = _scope(environ)
        if environ.get("PATH_INFO") == "/moto-api/reset":
            with self._lock:
                self._analyzers.clear()
                self._selections.clear()
        elif service == "access-analyzer":
            return self._analyzer(environ, start_response, (_account(key), region))
        elif service == "backup" and (match := _SELECTIONS.match(environ["PATH_INFO"])):
            return self._selection(environ, start_response, _account(key), region, match["plan"], match["selection"])
        elif service == "iam" and b"Action=GetCredentialReport" in _body(environ):
            return self._credential_report(environ, start_response, _account(key))
        return self.moto_app(environ, start_response)

    # ---------------------------------------------------------------------------- access analyzer

    def _analyzer(self, environ: dict[str, Any], start_response: Any, where: tuple[str, str]) -> list[bytes]:
        method, path = environ["REQUEST_METHOD"], environ["PATH_INFO"]
        with self._lock:
            analyzers = self._analyzers.setdefault(where, {})
            if (method, path) == ("GET", "/analyzer"):
                wanted = parse_qs(environ.get("QUERY_STRING", "")).get("type", [])
                return _json(
                    start_response,
                    "200 OK",
                    {"analyzers": [a for a in analyzers.values() if not wanted or a["type"] in wanted]},
                )
            if (method, path) == ("PUT", "/analyzer"):
                request = json.loads(_body(environ) or b"{}")
                name = request.get("analyzerName", "")
                if name in analyzers:
                    return _error(start_response, "409 Conflict", "ConflictException", f"analyzer {name} exists")
                arn = f"arn:aws:access-analyzer:{where[1]}:{where[0]}:analyzer/{name}"
                analyzers[name] = {
                    "arn": arn,
                    "name": name,
                    "type": request.get("type", "ACCOUNT"),
                    "createdAt": dt.datetime.now(dt.UTC).timestamp(),
                    "status": "ACTIVE",
                    "tags": request.get("tags") or {},
                }
                return _json(start_response, "200 OK", {"arn": arn})
        return _error(
            start_response,
            "501 Not Implemented",
            "NotImplementedException",
            f"access-analyzer {method} {path} is not emulated",
        )

    # ---------------------------------------------------------------------------- backup selections

    def _selection(
        self, environ: dict[str, Any], start_response: Any, account: str, region: str, plan: str, selection: str
    ) -> list[bytes]:
        from moto.backup.models import backup_backends
        from moto.moto_api._internal import mock_random

        if plan not in backup_backends[account][region].plans:
            return _error(
                start_response,
                "404 Not Found",
                "ResourceNotFoundException",
                f"Failed reading Backup plan with provided version: {plan}",
            )
        method = environ["REQUEST_METHOD"]
        with self._lock:
            stored = self._selections.setdefault((account, region, plan), {})
            if method == "PUT" and not selection:
                request = json.loads(_body(environ) or b"{}")
                ident = str(mock_random.uuid4())
                stored[ident] = {
                    "SelectionId": ident,
                    "BackupPlanId": plan,
                    "BackupSelection": request["BackupSelection"],
                    "CreationDate": dt.datetime.now(dt.UTC).timestamp(),
                    "CreatorRequestId": request.get("CreatorRequestId", ""),
                }
                return _json(
                    start_response,
                    "200 OK",
                    {k: stored[ident][k] for k in ("SelectionId", "BackupPlanId", "CreationDate")},
                )
            if method == "GET" and not selection:
                return _json(
                    start_response,
                    "200 OK",
                    {
                        "BackupSelectionsList": [
                            {
                                "SelectionId": s["SelectionId"],
                                "SelectionName": s["BackupSelection"]["SelectionName"],
                                "BackupPlanId": plan,
                                "CreationDate": s["CreationDate"],
                                "IamRoleArn": s["BackupSelection"].get("IamRoleArn", ""),
                            }
                            for s in stored.values()
                        ]
                    },
                )
            if method == "GET" and selection in stored:
                return _json(start_response, "200 OK", stored[selection])
        return _error(start_response, "404 Not Found", "ResourceNotFoundException", f"no backup selection {selection}")

    # ---------------------------------------------------------------------------- credential report

    def _credential_report(self, environ: dict[str, Any], start_response: Any, account: str) -> Iterable[bytes]:
        """moto's report with the root row inserted after the header line."""
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
            captured.update(status=status, headers=headers)

        body = b"".join(self.moto_app(environ, capture))
        if captured["status"].startswith("200") and (match := _CONTENT.search(body)):
            report = base64.b64decode(match[1]).decode()
            header, _, users = report.partition("\n")
            row = root_row(account, dt.datetime.now(dt.UTC), self.root_password_last_used_days)
            content = base64.b64encode(f"{header}\n{row}{users}".encode())
            body = body[: match.start(1)] + content + body[match.end(1) :]
        headers = [(k, str(len(body)) if k.lower() == "content-length" else v) for k, v in captured["headers"]]
        start_response(captured["status"], headers)
        return [body]
