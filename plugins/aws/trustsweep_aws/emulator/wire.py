"""What an AWS request says on the wire: its signing scope, its body, and the API operation it calls.

The operation is read from the request itself: the ``X-Amz-Target`` header (JSON protocols), the
``Action`` parameter (query protocols), or, for REST protocols, the HTTP method and path matched
against the service's botocore model (``GET /{Bucket}?encryption`` → ``GetBucketEncryption``).
"""

from __future__ import annotations

import io
import re
import threading
from functools import cache
from typing import Any
from urllib.parse import parse_qs

from ..readonly import ALLOWED

#: botocore services by signing name, where the two differ or one signing name serves several
_SERVICES = {"access-analyzer": ("accessanalyzer",), "s3": ("s3", "s3control"), "elasticloadbalancing": ("elbv2",)}
#: operation name prefixes that read (anything else would change state, unless on the read allowlist)
READ_VERBS = ("Get", "List", "Describe", "BatchGet", "Head", "Search", "Lookup")
_READS_ALLOWED = {key.partition(":")[2] for key in ALLOWED}
_lock = threading.Lock()


def body(environ: dict[str, Any]) -> bytes:
    """Read the request body and put it back for whoever reads it next."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    data = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(data)
    return data


def scope(environ: dict[str, Any]) -> tuple[str, str, str]:
    """(access key, region, signing name) from the SigV4 credential scope of the Authorization header."""
    credential = environ.get("HTTP_AUTHORIZATION", "").partition("Credential=")[2].split(",")[0]
    parts = credential.split("/")
    return (parts[0], parts[2], parts[3]) if len(parts) >= 5 else ("", "", "")


def is_write(operation: str) -> bool:
    """Whether calling ``operation`` would change state (not a read verb, not on the read allowlist)."""
    return not operation.startswith(READ_VERBS) and operation not in _READS_ALLOWED


def operation(environ: dict[str, Any]) -> str:
    """The API operation of a request (``DescribeVolumes``), or its path when no model explains it."""
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    if target:
        return target.rpartition(".")[2]
    query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    action = query.get("Action")
    if not action and "x-www-form-urlencoded" in environ.get("CONTENT_TYPE", ""):
        action = parse_qs(body(environ).decode("latin-1")).get("Action")
    if action:
        return action[0]
    signing = scope(environ)[2]
    method, path = environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", "/")
    for service in _SERVICES.get(signing, (signing,)):
        found = _match(_routes(service), method, path, set(query))
        if found:
            return found
    return path


Route = tuple[str, "re.Pattern[str]", frozenset[str], int, str]  # method, path, query keys, literal length, name


def _match(routes: list[Route], method: str, path: str, query: set[str]) -> str:
    """The most specific operation whose method, path template and query keys fit the request."""
    best, score = "", -1
    for verb, pattern, needed, literal, name in routes:
        if verb == method and needed <= query and literal > score and pattern.fullmatch(path):
            best, score = name, literal
    return best


@cache
def _routes(service: str) -> list[Route]:
    """The REST routes of ``service``'s operations, from its botocore model (empty if it has none)."""
    import botocore.session

    with _lock:  # botocore sessions are not thread-safe
        try:
            model = botocore.session.get_session().get_service_model(service)
        except Exception:  # not a botocore service name: nothing to match
            return []
    out: list[Route] = []
    for name in model.operation_names:
        http = model.operation_model(name).http
        uri = http.get("requestUri", "/")
        path, _, query = uri.partition("?")
        regex = re.sub(r"\\\{[^}]+\\\+\\\}", ".+", re.sub(r"\\\{[^}+]+\\\}", "[^/]+", re.escape(path)))
        needed = frozenset(q.partition("=")[0] for q in query.split("&") if q)
        literal = len(re.sub(r"\{[^}]+\}", "", uri))
        out.append((http.get("method", "GET"), re.compile(regex), needed, literal, name))
    return out
