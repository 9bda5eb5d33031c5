"""The fake's HTTP handler: Resource Manager GETs, the Resource Graph query, Microsoft Graph lists."""

from __future__ import annotations

import base64
import json
import re
import time
import uuid
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode, urlsplit

from .records import GRAPH_PATH, TEST_TOKEN

if TYPE_CHECKING:
    from .server import FakeAzure


class Handler(BaseHTTPRequestHandler):
    owner: FakeAzure
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    # -- plumbing -----------------------------------------------------------------------------

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-ms-request-id", str(uuid.uuid4()))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        self._send(status, {"error": {"code": code, "message": message}}, headers)

    def _dispatch(self, method: str) -> None:
        split = urlsplit(self.path)
        path = split.path.rstrip("/") or "/"
        query = {k: v[-1] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        auth = self.headers.get("Authorization", "")
        fault = self.owner._fault_for(f"{method} {path}")
        if self.owner.latency:
            time.sleep(self.owner.latency)
        if auth != f"Bearer {TEST_TOKEN}":
            self._error(
                401,
                "AuthenticationFailed",
                "Authentication failed. The 'Authorization' header is missing.",
                {
                    "WWW-Authenticate": 'Bearer authorization_uri="https://login.microsoftonline.com/", error="invalid_token"'
                },
            )
            return
        if fault is not None:
            if fault == "timeout":
                time.sleep(self.owner.timeout_delay)
            elif fault.startswith("429"):
                kind, _, after = fault.partition(":")
                if kind == "429q":  # Resource Graph's quota headers instead of Retry-After
                    headers = {
                        "x-ms-user-quota-remaining": "0",
                        "x-ms-user-quota-resets-after": f"00:00:{int(after or 1):02d}",
                    }
                else:
                    headers = {"Retry-After": after} if after else {}
                self._error(
                    429, "RateLimiting", "Please provide below info when asking for support: throttled", headers
                )
                return
            else:
                self._error(
                    int(fault), "InternalServerError" if fault == "500" else "ServiceUnavailable", f"injected {fault}"
                )
                return
        try:
            if method == "POST" and path.lower() == GRAPH_PATH:
                self._graph(json.loads(body or b"{}"))
            elif method == "GET" and path.startswith("/v1.0/"):
                self._msgraph(path, query)
            elif method == "GET":
                self._arm(path, query)
            else:
                self._error(405, "MethodNotAllowed", f"{method} is not served by the fake (read-only)")
        except OSError:  # the client gave up (a read timeout) and closed the connection
            pass

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    # -- Resource Manager ---------------------------------------------------------------------

    def _page(self, items: list[Any], query: dict[str, str], path: str) -> None:
        size = self.owner.arm_page_size
        start = int(query.get("$skiptoken") or 0)
        page = items[start : start + size]
        body: dict[str, Any] = {"value": page}
        if start + size < len(items):
            params = {"api-version": query.get("api-version", ""), "$skiptoken": str(start + size)}
            body["nextLink"] = f"{self.owner.url}{path}?{urlencode(params)}"
        self._send(200, body)

    def _arm(self, path: str, query: dict[str, str]) -> None:
        if "api-version" not in query:
            self._error(
                400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required."
            )
            return
        estate = self.owner.estate
        if path == "/subscriptions":
            subs = [{k: v for k, v in s.items() if k != "managementGroups"} for s in estate.subscriptions.values()]
            self._page(subs, query, path)
            return
        match = re.fullmatch(r"/subscriptions/([^/]+)", path)
        if match:
            sub = estate.subscriptions.get(match.group(1))
            if sub is None:
                self._error(404, "SubscriptionNotFound", f"The subscription '{match.group(1)}' could not be found.")
            else:
                self._send(200, {k: v for k, v in sub.items() if k != "managementGroups"})
            return
        doc = estate.arm.get(path.lower())
        if doc is None:
            if path.lower().endswith(
                ("/diagnosticsettings", "/securitycontacts", "/firewallrules", "/containers", "/databases", "/keys")
            ) or re.fullmatch(r"/subscriptions/[^/]+/providers/[^/]+/[^/]+", path, re.I):
                self._page([], query, path)  # an empty collection, as ARM lists do
            else:
                self._error(404, "ResourceNotFound", f"The Resource '{path}' was not found.")
            return
        if isinstance(doc, list):
            self._page(doc, query, path)
        else:
            self._send(200, doc)

    # -- Resource Graph -----------------------------------------------------------------------

    def _graph(self, request: dict[str, Any]) -> None:
        admitted, quota_headers = self.owner._quota()
        if not admitted:
            self._error(429, "RateLimiting", "Client application has been throttled", quota_headers)
            return
        query = str(request.get("query") or "")
        table_match = re.match(r"\s*(\w+)", query)
        if not table_match:
            self._error(400, "BadRequest", "Query is invalid. Please refer to the documentation.")
            return
        table = table_match.group(1).lower()
        estate = self.owner.estate
        rows = estate.tables.get(table, [])
        subs = request.get("subscriptions")
        mgs = request.get("managementGroups")
        if subs:
            wanted = {s.lower() for s in subs}
            rows = [r for r in rows if str(r.get("subscriptionId", "")).lower() in wanted]
        elif mgs:
            in_mg = {
                sid.lower() for sid, s in estate.subscriptions.items() if set(s.get("managementGroups", ())) & set(mgs)
            }
            rows = [r for r in rows if str(r.get("subscriptionId", "")).lower() in in_mg]
        for column in ("type", "location"):
            found = re.search(column + r"\s+in~\s*\(([^)]*)\)", query, re.I)
            if found:
                values = {v.lower() for v in re.findall(r"'([^']*)'", found.group(1))}
                rows = [r for r in rows if str(r.get(column, "")).lower() in values]
        options = request.get("options") or {}
        top = int(options.get("$top") or 1000)
        if top > 1000:
            self._error(400, "BadRequest", "$top must be at most 1000")
            return
        token = options.get("$skipToken")
        self.owner._graph_query(query, list(subs or mgs or []), first_page=not token)
        start = int(base64.b64decode(token).decode()) if token else 0
        page = rows[start : start + top]
        body: dict[str, Any] = {
            "totalRecords": len(rows),
            "count": len(page),
            "data": page,
            "facets": [],
            "resultTruncated": "false",
        }
        if start + top < len(rows):
            body["$skipToken"] = base64.b64encode(str(start + top).encode()).decode()
        self._send(200, body, quota_headers)

    # -- Microsoft Graph ----------------------------------------------------------------------

    def _msgraph(self, path: str, query: dict[str, str]) -> None:
        estate = self.owner.estate
        if path == "/v1.0/users":
            items = list(estate.users)
            filt = query.get("$filter", "")
            found = re.search(r"userType eq '(\w+)'", filt)
            if found:
                items = [u for u in items if u["userType"] == found.group(1)]
        elif path == "/v1.0/identity/conditionalAccess/policies":
            items = list(estate.ca_policies)
        else:
            self._send(404, {"error": {"code": "Request_ResourceNotFound", "message": f"{path} not found"}})
            return
        size = self.owner.arm_page_size
        start = int(query.get("$skiptoken") or 0)
        body: dict[str, Any] = {
            "@odata.context": f"https://graph.microsoft.com/v1.0/$metadata#{path.rsplit('/', 1)[-1]}",
            "value": items[start : start + size],
        }
        if start + size < len(items):
            rest = {k: v for k, v in query.items() if k != "$skiptoken"}
            body["@odata.nextLink"] = f"{self.owner.url}{path}?{urlencode({**rest, '$skiptoken': str(start + size)})}"
        self._send(200, body)
