"""A local fake of the Cloud Asset Inventory and Security Command Center REST APIs.

It speaks the wire protocol the real ``google-cloud-asset`` and ``google-cloud-securitycenter``
clients use with ``transport="rest"``: ``GET /v1/{parent}/assets`` (``contentType`` as an integer,
repeated ``assetTypes``, ``pageSize``/``pageToken``, ``nextPageToken``), ``GET
/v1/{parent}/sources/-/findings`` (``filter``, enums as integers when the client asks with
``$alt=json;enum-encoding=int``) and Google's JSON error bodies. Faults (429, 503, 500, 403,
slow responses) can be injected per path, so retries and error paths run over real HTTP. Every
request is recorded as "VERB operation" (:meth:`FakeGcp.operations`); a request that would change
state (any verb but GET) is answered 405 and listed by :meth:`FakeGcp.writes`.

Nothing here imports a Google SDK; the server is ``http.server`` on a daemon thread.
Point the plugin at it with ``TRUSTSWEEP_GCP_ENDPOINT=http://127.0.0.1:PORT``.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import orjson

from .records import cai_record, project_of
from .wire import error, now, operation_of, paginate, parse_filter

CONTENT_RESOURCE, CONTENT_IAM_POLICY, CONTENT_ORG_POLICY = 1, 2, 4
_CONTENT_NAMES = {"RESOURCE": 1, "IAM_POLICY": 2, "ORG_POLICY": 4, "CONTENT_TYPE_UNSPECIFIED": 0}
_FINDING_STATES = {"STATE_UNSPECIFIED": 0, "ACTIVE": 1, "INACTIVE": 2}
_SEVERITIES = {"SEVERITY_UNSPECIFIED": 0, "CRITICAL": 1, "HIGH": 2, "MEDIUM": 3, "LOW": 4}


# ------------------------------------------------------------------------------------------
# state


@dataclass
class Fault:
    """An injected failure: ``status`` (HTTP code) or ``delay`` seconds, for requests whose path
    and query contain ``match``; ``times`` of them (``None`` = forever)."""

    match: str
    status: int = 0
    delay: float = 0.0
    times: int | None = 1
    hits: int = 0


@dataclass
class FakeState:
    """What the fake serves. Assets are REST JSON dicts (camelCase) with ``ancestors``."""

    assets: list[dict[str, Any]] = field(default_factory=list)
    findings: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # project → findings
    faults: list[Fault] = field(default_factory=list)
    requests: Counter = field(default_factory=Counter)  # path → requests
    log: list[str] = field(default_factory=list)  # every request's path and query
    operations: list[str] = field(default_factory=list)  # every request as "VERB operation"


class FakeGcp:
    """The fake server and its state. Use :meth:`start` / :meth:`stop` or ``with FakeGcp() as fake``."""

    def __init__(self, port: int = 0, *, latency: float = 0.0) -> None:
        self.latency = latency  # seconds added to every response: models the real service's latency
        self.state = FakeState()
        self.lock = threading.Lock()
        self._projects: dict[str, dict[str, Any]] = {}  # id → {"number":, "ancestors": [...]}
        self._by_parent: dict[str, list[dict[str, Any]]] = {}  # every ancestor (and projects/<id>) → assets
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
        self._server.daemon_threads = True
        self._server.fake = self  # type: ignore[attr-defined]
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    @property
    def endpoint(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeGcp:
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-gcp", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeGcp:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def reset(self) -> None:
        with self.lock:
            self.state = FakeState()
            self._projects = {}
            self._by_parent = {}

    # -- seeding -----------------------------------------------------------------------------

    def add_project(
        self,
        project_id: str,
        number: str,
        *,
        ancestors: Iterable[str] = (),
        state: str = "ACTIVE",
        labels: dict[str, str] | None = None,
        iam_policy: dict[str, Any] | None = None,
        org_policy: list[dict[str, Any]] | None = None,
    ) -> None:
        """A project: its Project asset (RESOURCE, optional IAM_POLICY and ORG_POLICY)."""
        chain = [f"projects/{number}", *ancestors]
        self._projects[project_id] = {"number": number, "ancestors": chain}
        parent = chain[1] if len(chain) > 1 else ""
        kind, _, pid = parent.partition("/")
        data: dict[str, Any] = {
            "projectId": project_id,
            "projectNumber": number,
            "name": project_id,
            "lifecycleState": state,
            "createTime": "2021-03-01T09:00:00Z",
            "labels": labels or {},
        }
        if parent:
            data["parent"] = {"type": kind.rstrip("s"), "id": pid}
        asset: dict[str, Any] = {
            "name": f"//cloudresourcemanager.googleapis.com/projects/{number}",
            "assetType": "cloudresourcemanager.googleapis.com/Project",
            "resource": {
                "version": "v1",
                "discoveryName": "Project",
                "data": data,
                "parent": f"//cloudresourcemanager.googleapis.com/{parent}" if parent else "",
            },
            "ancestors": chain,
        }
        if iam_policy is not None:
            asset["iamPolicy"] = iam_policy
        if org_policy:
            asset["orgPolicy"] = org_policy
        asset["_project"] = project_id
        self.state.assets.append(asset)
        self._index(asset)

    def _index(self, asset: dict[str, Any]) -> None:
        keys = set(asset.get("ancestors", ()))
        if asset.get("_project"):
            keys.add(f"projects/{asset['_project']}")
        for key in keys:
            self._by_parent.setdefault(key, []).append(asset)

    def add_node(self, name: str, ancestors: Iterable[str], org_policy: list[dict[str, Any]] | None = None) -> None:
        """An organization or folder node (``organizations/1``, ``folders/2``), with org policies."""
        kind = "Organization" if name.startswith("organizations/") else "Folder"
        asset: dict[str, Any] = {
            "name": f"//cloudresourcemanager.googleapis.com/{name}",
            "assetType": f"cloudresourcemanager.googleapis.com/{kind}",
            "resource": {"version": "v1", "discoveryName": kind, "data": {"name": name}},
            "ancestors": [name, *ancestors],
        }
        if org_policy:
            asset["orgPolicy"] = org_policy
        self.state.assets.append(asset)
        self._index(asset)

    def add_asset(self, record: dict[str, Any], project: str | None = None) -> dict[str, Any]:
        """One CAI record (REST camelCase, or export snake_case) in ``project`` (default: from its name).

        Its ancestors are the project's (register the project first with :meth:`add_project`;
        an unknown project gets ``projects/<id>`` only).
        """
        asset = cai_record(record) if "asset_type" in record else dict(record)
        project = project or project_of(asset["name"]) or ""
        info = self._projects.get(project)
        asset.setdefault("ancestors", list(info["ancestors"]) if info else [f"projects/{project}"])
        asset["_project"] = project
        self.state.assets.append(asset)
        self._index(asset)
        return asset

    def add_finding(self, project: str, finding: dict[str, Any]) -> None:
        """An SCC finding (REST JSON with string enums) in ``project``."""
        self.state.findings.setdefault(project, []).append(finding)

    def fail(self, match: str, status: int, times: int | None = 1) -> Fault:
        """Answer the next ``times`` requests containing ``match`` with HTTP ``status``."""
        fault = Fault(match, status=status, times=times)
        self.state.faults.append(fault)
        return fault

    def delay(self, match: str, seconds: float, times: int | None = 1) -> Fault:
        """Stall the next ``times`` requests containing ``match`` (read timeouts)."""
        fault = Fault(match, delay=seconds, times=times)
        self.state.faults.append(fault)
        return fault

    @property
    def request_count(self) -> int:
        return sum(self.state.requests.values())

    def operations(self) -> list[str]:
        """Every request served, as "VERB operation" (``GET ListAssets``, ``POST ExportAssets``)."""
        with self.lock:
            return list(self.state.operations)

    def writes(self) -> list[str]:
        """The requests that would have changed state: every verb but GET (answered 405)."""
        return [op for op in self.operations() if not op.startswith("GET ")]

    # -- serving -----------------------------------------------------------------------------

    def _fault_for(self, url: str) -> Fault | None:
        with self.lock:
            for fault in self.state.faults:
                if fault.match in url and (fault.times is None or fault.hits < fault.times):
                    fault.hits += 1
                    return fault
        return None

    def _under(self, parent: str) -> list[dict[str, Any]]:
        """Assets under ``parent``; a project may be named by id or number."""
        kind, _, ident = parent.partition("/")
        if kind == "projects" and ident in self._projects:
            parent = f"projects/{self._projects[ident]['number']}"
        return self._by_parent.get(parent, [])

    def list_assets(self, parent: str, query: dict[str, list[str]]) -> tuple[int, dict[str, Any]]:
        raw_ct = (query.get("contentType") or ["0"])[0]
        content = int(raw_ct) if raw_ct.isdigit() else _CONTENT_NAMES.get(raw_ct, -1)
        if content not in (0, 1, 2, 4):
            return 400, error(400, f"contentType {raw_ct} is not supported by this fake")
        types = set(query.get("assetTypes") or [])
        key = {1: "resource", 2: "iamPolicy", 4: "orgPolicy"}.get(content)
        matched = [
            a for a in self._under(parent) if (not types or a["assetType"] in types) and (key is None or key in a)
        ]
        page, next_token, err = paginate(matched, query, f"assets|{parent}|{content}|{sorted(types)}")
        if err:
            return 400, err
        out = []
        for asset in page:
            item = {
                "name": asset["name"],
                "assetType": asset["assetType"],
                "ancestors": asset["ancestors"],
                "updateTime": asset.get("updateTime", "2026-01-05T10:00:00Z"),
            }
            if key is not None:
                item[key] = asset[key]
            out.append(item)
        body: dict[str, Any] = {"assets": out, "readTime": now()}
        if next_token:
            body["nextPageToken"] = next_token
        return 200, body

    def list_findings(self, parent: str, query: dict[str, list[str]], ints: bool) -> tuple[int, dict[str, Any]]:
        m = re.fullmatch(r"projects/([^/]+)/sources/([^/]+)", parent)
        if not m:
            return 404, error(404, f"unsupported parent {parent}")
        try:
            clauses = parse_filter((query.get("filter") or [""])[0])
        except ValueError as exc:
            return 400, error(400, str(exc))
        findings = [
            f for f in self.state.findings.get(m.group(1), []) if all(str(f.get(k, "")) == v for k, v in clauses)
        ]
        page, next_token, err = paginate(findings, query, f"findings|{parent}|{clauses}")
        if err:
            return 400, err
        results = []
        for finding in page:
            item = dict(finding)
            if ints:
                item["state"] = _FINDING_STATES[item.get("state", "STATE_UNSPECIFIED")]
                item["severity"] = _SEVERITIES[item.get("severity", "SEVERITY_UNSPECIFIED")]
            results.append({"finding": item, "resource": {"name": finding.get("resourceName", "")}})
        body: dict[str, Any] = {"listFindingsResults": results, "readTime": now(), "totalSize": len(findings)}
        if next_token:
            body["nextPageToken"] = next_token
        return 200, body


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        # headers and body go out in separate writes: without NODELAY, Nagle + delayed ACK add 40 ms
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, body: dict[str, Any]) -> None:
        data = orjson.dumps(body)
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the client timed out and left
            pass

    def _record(self, verb: str) -> tuple[str, dict[str, list[str]]]:
        fake: FakeGcp = self.server.fake  # type: ignore[attr-defined]
        url = urlsplit(self.path)
        with fake.lock:
            fake.state.requests[url.path] += 1
            fake.state.log.append(self.path)
            fake.state.operations.append(f"{verb} {operation_of(url.path)}")
        return url.path, parse_qs(url.query, keep_blank_values=True)

    def do_GET(self) -> None:
        fake: FakeGcp = self.server.fake  # type: ignore[attr-defined]
        path, query = self._record("GET")
        if fake.latency:
            time.sleep(fake.latency)
        fault = fake._fault_for(self.path)
        if fault is not None:
            if fault.delay:
                time.sleep(fault.delay)
            if fault.status:
                return self._send(fault.status, error(fault.status, f"injected fault {fault.status}"))
        ints = "enum-encoding=int" in (query.get("$alt") or [""])[0]
        m = re.fullmatch(r"/v1/([^/]+/[^/]+)/assets", path)
        if m:
            return self._send(*fake.list_assets(m.group(1), query))
        m = re.fullmatch(r"/v1/(.+)/findings", path)
        if m:
            return self._send(*fake.list_findings(m.group(1), query, ints))
        return self._send(404, error(404, f"no such method: GET {path}"))

    def _refuse(self) -> None:
        """Any verb but GET: recorded as a write, its body read and dropped, answered 405."""
        verb = self.command
        path, _ = self._record(verb)
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self._send(405, error(405, f"this fake is read-only: {verb} {path}"))

    do_POST = do_PUT = do_PATCH = do_DELETE = _refuse
