"""The fake GitHub itself: it speaks HTTPS with GitHub's headers, pages, refuses writes and bad tokens."""

from __future__ import annotations

import http.client
import json
import ssl

from trustsweep_github.emulator import FakeGitHub


def _raw(
    fake: FakeGitHub, method: str, path: str, token: str | None = None, **headers: str
) -> http.client.HTTPResponse:
    context = ssl.create_default_context(cafile=str(fake.ca_bundle))
    conn = http.client.HTTPSConnection("127.0.0.1", int(fake.url.rsplit(":", 1)[1]), context=context, timeout=5)
    auth = {"Authorization": f"Bearer {fake.estate.token if token is None else token}"}
    conn.request(method, path, body=b"{}" if method != "GET" else None, headers={**auth, **headers})
    return conn.getresponse()


def test_link_paging_with_rate_limit_headers_and_etags(fake: FakeGitHub) -> None:
    response = _raw(fake, "GET", "/orgs/northwind/repos?per_page=2")
    assert response.status == 200
    assert len(json.loads(response.read())) == 2
    link = response.getheader("Link")
    assert 'page=2>; rel="next"' in link and 'page=3>; rel="last"' in link
    assert response.getheader("X-RateLimit-Remaining").isdigit() and response.getheader("X-RateLimit-Reset").isdigit()
    etag = response.getheader("ETag")
    again = _raw(fake, "GET", "/orgs/northwind/repos?per_page=2", **{"If-None-Match": etag})
    assert again.status == 304 and again.read() == b""


def test_enterprise_server_prefix_is_served(fake: FakeGitHub) -> None:
    response = _raw(fake, "GET", "/api/v3/repos/northwind/api")
    assert response.status == 200 and json.loads(response.read())["default_branch"] == "main"


def test_writes_are_refused_and_reported(fake: FakeGitHub) -> None:
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        assert _raw(fake, method, "/repos/northwind/api/branches/main/protection").status == 405
    assert fake.writes() == [
        f"{m} /repos/northwind/api/branches/main/protection" for m in ("POST", "PUT", "PATCH", "DELETE")
    ]
    assert fake.estate.find("northwind", "api").protection is not None


def test_a_wrong_or_revoked_token_gets_401(fake: FakeGitHub) -> None:
    assert _raw(fake, "GET", "/orgs/northwind", token="guess").status == 401
    fake.estate.revoked = True
    response = _raw(fake, "GET", "/orgs/northwind")
    assert response.status == 401 and json.loads(response.read())["message"] == "Bad credentials"


def test_unprotected_branches_and_missing_codeowners_are_404(fake: FakeGitHub) -> None:
    response = _raw(fake, "GET", "/repos/northwind/docs/branches/main/protection")
    assert response.status == 404 and json.loads(response.read())["message"] == "Branch not protected"
    assert _raw(fake, "GET", "/repos/northwind/docs/codeowners/errors").status == 404
    assert _raw(fake, "GET", "/repos/northwind/api/codeowners/errors").status == 200
