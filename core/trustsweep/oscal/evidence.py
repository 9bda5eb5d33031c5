"""Check evidence as text for an observation: compact JSON, values under secret-looking keys redacted.

Evidence never carries secrets into OSCAL: a value under a key whose name ends like a secret
(``password``, ``SecretAccessKey``, ``client_secret``, ...) and a PEM private key are replaced by
``[redacted]``; flags, counts and empty values stay (``"password_enabled": true``).
"""

from __future__ import annotations

import re
from typing import Any

import orjson

# a key whose name (lower case, letters and digits only) ends like this holds secret material;
# "password_last_used", "session_duration" or "secret_arn" do not
_SECRET_SUFFIXES = (
    "password",
    "passwd",
    "secret",
    "secretaccesskey",
    "privatekey",
    "token",
    "apikey",
    "connectionstring",
    "accountkey",
    "sharedkey",
    "primarykey",
    "secondarykey",
    "sastoken",
)
_NOT_ALNUM = re.compile(r"[^a-z0-9]")


def _secret_name(key: Any) -> bool:
    return _NOT_ALNUM.sub("", str(key).lower()).endswith(_SECRET_SUFFIXES)


def _redact(value: Any) -> Any:
    """Evidence never carries secrets: values under secret keys, and PEM private keys, are replaced."""
    if isinstance(value, dict):
        return {str(k): "[redacted]" if _secret_name(k) and _value_present(v) else _redact(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_redact(v) for v in value]
    if isinstance(value, str) and "-----BEGIN" in value and "PRIVATE KEY" in value:
        return "[redacted]"
    return value


def _value_present(value: Any) -> bool:
    """A secret key's value worth hiding: not a flag, count or empty value ("password_enabled": true stays)."""
    return not (value is None or isinstance(value, (bool, int, float)) or value == "")


def evidence_text(evidence: dict[str, Any]) -> str:
    """Evidence as compact JSON with sorted keys, values under secret-looking keys redacted."""
    try:
        text = orjson.dumps(evidence, option=orjson.OPT_SORT_KEYS).decode()
        low = text.lower()
        if not (
            "key" in low
            or "token" in low
            or "secret" in low
            or "passw" in low
            or "connection" in low
            or "-----begin" in low
        ):  # the usual case: nothing that could be a secret
            return text
    except TypeError:  # non-string keys, an integer beyond 64 bits, an unknown type
        pass
    clean = _redact(evidence)
    try:
        return orjson.dumps(clean, option=orjson.OPT_SORT_KEYS, default=str).decode()
    except TypeError:
        import json

        return json.dumps(clean, sort_keys=True, default=str, ensure_ascii=False)
