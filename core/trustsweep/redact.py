"""Redaction of secrets at collection, before anything is saved, stored or shown.

Every resource a collection unit returns passes through :meth:`Redactor.resource` on the worker
(:func:`trustsweep.collect.run_unit`), so no plugin can forget it. Three rules replace a value by a
marker ``[redacted hmac-sha256:<12 hex>]``:

1. **Declared fields**: dotted paths inside ``Resource.properties`` that a provider declares in
   :attr:`~trustsweep.model.ProviderSpec.secret_fields` (``data.masterAuth.password``); a list on
   the way is crossed element by element, and the whole value at the path is replaced.
2. **Secret-looking keys** anywhere (tags, labels, environment maps, any dict): a key whose name
   ends in ``password``, ``secret``, ``token``, ``api_key``, ``private_key``,
   ``connection_string``, ``credentials``… (:func:`secret_key`); every string under it is replaced.
3. **Secret-looking values** anywhere: PEM private keys, JWTs, connection strings with a password
   or account key, SAS signatures, URLs with a password, well-known token formats, the shape of
   an AWS secret access key (:func:`secret_value`).

Rules 2 and 3 replace non-empty strings only, rule 1 any value but ``None`` and ``""``: booleans
and numbers are kept, and a check that asks whether a password is *set* sees a non-empty marker. The marker is an HMAC-SHA256 of the
value keyed by a per-installation salt: the same value gives the same marker within an
installation (a changed secret is visible), and the value cannot be recovered or guessed from it.
The salt is ``$TRUSTSWEEP_REDACTION_SALT`` or else a random key created with mode 0600 in the user
config directory (``redaction-salt``); it is never written anywhere else.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .model import Resource

SALT_ENV = "TRUSTSWEEP_REDACTION_SALT"
SALT_FILE = "redaction-salt"
MARKER_PREFIX = "[redacted hmac-sha256:"

_MARKER = re.compile(r"\[redacted hmac-sha256:[0-9a-f]{12}\]")
# names are compared lower-cased with everything but letters and digits removed: "DB_Password" → "dbpassword"
_SECRET_KEY = re.compile(
    r"(?:password|passwords|passwd|passphrase|pwd|secret|secrets|secretkey|secretaccesskey|token|tokens|"
    r"apikey|apikeys|privatekey|privatekeys|clientkey|accountkey|masterkey|sharedkey|sharedaccesskey|"
    r"primarykey|secondarykey|storagekey|signingkey|connectionstring|connectionstrings|connstr|sastoken|"
    r"sasurl|sasuri|credential|credentials|customdata|userdata)$"
)
_SECRET_VALUE = re.compile(
    r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----"
    r"|\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"  # JWT
    r"|(?i:\b(?:accountkey|sharedaccesskey|password|pwd)\s*=\s*[^;\s])"  # connection strings
    r"|[?&]sig=[A-Za-z0-9%+/=_-]{10,}"  # SAS signature
    r"|\b[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@"  # URL with a password
    r"|\b(?:gh[opsu]|github_pat)_[A-Za-z0-9_]{20,}|\bxox[abprs]-[A-Za-z0-9-]{10,}"
    r"|\bAIza[0-9A-Za-z_-]{35}\b|\b[rs]k_live_[0-9A-Za-z]{10,}"
)
# every pattern above needs one of these: most strings are cleared by this cheap search alone
_HINTS = re.compile("PRIVATE KEY|eyJ|=|@|gh|xox|AIza|k_live_")
_AWS_SECRET_KEY = re.compile(r"[A-Za-z0-9/+]{40}")


@lru_cache(maxsize=4096)
def secret_key(name: str) -> bool:
    """Whether a dict key names a secret (``db_password``, ``apiKey``, ``connectionStrings``…)."""
    return bool(_SECRET_KEY.search("".join(c for c in name.lower() if c.isalnum())))


def secret_value(text: str) -> bool:
    """Whether a string looks like a secret whatever its key (a PEM private key, a JWT…)."""
    if _HINTS.search(text) and _SECRET_VALUE.search(text):
        return True
    return (
        len(text) == 40
        and _AWS_SECRET_KEY.fullmatch(text) is not None
        and any(c.isupper() for c in text)
        and any(c.islower() for c in text)
        and any(c.isdigit() for c in text)
    )


def is_marker(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(MARKER_PREFIX) and _MARKER.fullmatch(value) is not None


@dataclass(frozen=True, slots=True)
class Redactor:
    """Replaces secrets by markers. Picklable: it travels with a work unit to remote workers."""

    salt: bytes = field(repr=False)
    fields: tuple[str, ...] = ()

    def marker(self, value: Any) -> str:
        if isinstance(value, str):
            data = value.encode("utf-8", "surrogatepass")
        else:
            data = json.dumps(value, sort_keys=True, default=str).encode()
        return f"{MARKER_PREFIX}{hmac.new(self.salt, data, hashlib.sha256).hexdigest()[:12]}]"

    def tree(self, value: Any, secret: bool = False) -> Any:
        """``value`` with rules 2 and 3 applied; unchanged parts are returned as they were."""
        if isinstance(value, str):
            if value and not is_marker(value) and (secret or secret_value(value)):
                return self.marker(value)
            return value
        if isinstance(value, dict):
            out: dict[Any, Any] | None = None
            for key, item in value.items():
                new = self.tree(item, secret or (isinstance(key, str) and secret_key(key)))
                if new is not item:
                    if out is None:
                        out = dict(value)
                    out[key] = new
            return value if out is None else out
        if isinstance(value, (list, tuple)):
            items = [self.tree(item, secret) for item in value]
            return value if all(a is b for a, b in zip(items, value, strict=True)) else type(value)(items)
        return value

    def _path(self, value: Any, parts: Sequence[str]) -> Any:
        if isinstance(value, list):
            items = [self._path(item, parts) for item in value]
            return value if all(a is b for a, b in zip(items, value, strict=True)) else items
        if not parts or not isinstance(value, dict) or parts[0] not in value:
            return value
        item = value[parts[0]]
        if len(parts) == 1:
            new = item if item in (None, "") or is_marker(item) else self.marker(item)
        else:
            new = self._path(item, parts[1:])
        if new is item:
            return value
        return {**value, parts[0]: new}

    def properties(self, properties: dict[str, Any]) -> dict[str, Any]:
        out = properties
        for path in self.fields:
            out = self._path(out, path.split("."))
        return self.tree(out)

    def resource(self, resource: Resource) -> Resource:
        """The resource with its properties redacted (the same object when nothing changed)."""
        props = self.properties(resource.properties)
        if props is not resource.properties:
            resource.properties = props
        return resource


def _salt_path() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("trustsweep")) / SALT_FILE


def _read_or_create(path: Path) -> bytes:
    if path.exists():
        return path.read_bytes().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{SALT_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(secrets.token_hex(32).encode())
    try:
        with contextlib.suppress(FileExistsError):  # a concurrent process that won keeps its salt
            os.link(tmp, path)  # atomic
    finally:
        tmp.unlink()
    return path.read_bytes().strip()


@lru_cache(maxsize=8)
def _salt(env: str, path: str) -> bytes:
    if env:
        return env.encode()
    try:
        return _read_or_create(Path(path))
    except OSError:  # no writable config dir: markers still hide values, but differ between runs
        return secrets.token_bytes(32)


def load_salt() -> bytes:
    """This installation's salt (``$TRUSTSWEEP_REDACTION_SALT`` or the user config file)."""
    return _salt(os.environ.get(SALT_ENV, ""), str(_salt_path()))


def redactor(fields: Sequence[str] = ()) -> Redactor:
    """A redactor with this installation's salt and a provider's declared secret fields."""
    return Redactor(load_salt(), tuple(fields))
