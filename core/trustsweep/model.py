"""The data that flows through a sweep: targets, resources, checks and their results.

Every type here is a plain, picklable dataclass so that units of work and their results can
cross process boundaries (threads by default, a Dask cluster when one machine is not enough).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .redact import Redactor


class Status(StrEnum):
    """The outcome of one check on one resource. An error is never a pass."""

    PASS = "pass"
    FAIL = "fail"
    ERROR = "error"
    NOT_APPLICABLE = "not_applicable"


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Target:
    """One unit a provider sweeps: an AWS account, a GCP project, an Azure subscription.

    ``attrs`` carries provider-specific facts the collectors need (a role ARN to assume, a
    profile name, whether the target is production); it must stay picklable. Keys starting
    with ``secret_`` (an external id, say) reach the collectors but are never written to an
    inventory, the evidence store or OSCAL: persist :meth:`public_attrs` only.
    """

    provider: str
    id: str
    name: str = ""
    attrs: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def public_attrs(self) -> dict[str, Any]:
        """The attrs that may be written down: no ``secret_*`` key, secret-looking values redacted
        (a project label ``db_password``; see :mod:`trustsweep.redact`)."""
        from .redact import redactor

        public: dict[str, Any] = redactor().tree({k: v for k, v in self.attrs.items() if not k.startswith("secret_")})
        return public


@dataclass(slots=True)
class Resource:
    """One cloud resource as collected: the native id is the ARN, full resource name or ARM id."""

    provider: str
    target: str
    region: str
    type: str
    id: str
    name: str = ""
    properties: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """A key unique across providers and targets."""
        return f"{self.provider}|{self.target}|{self.id}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "provider": self.provider,
            "target": self.target,
            "region": self.region,
            "type": self.type,
            "id": self.id,
            "name": self.name,
            "properties": self.properties,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Resource:
        return cls(
            provider=data["provider"],
            target=data["target"],
            region=data["region"],
            type=data["type"],
            id=data["id"],
            name=data.get("name") or "",
            properties=data.get("properties") or {},
        )


SETTING_TYPES = ("bool", "int", "float", "str", "list[int]", "list[str]")


@dataclass(frozen=True, slots=True)
class SettingSpec:
    """A setting a check or provider reads, as declared: the config file is validated against it.

    ``type`` is one of :data:`SETTING_TYPES`. ``min``/``max`` bound numbers (each item of a
    ``list[int]``); ``choices`` lists the accepted texts of a ``str`` (each item of a ``list[str]``).
    ``default`` (a tuple for lists) is what a check gets when the config file does not set it.
    """

    name: str
    type: str
    default: Any
    help: str = ""
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CheckSpec:
    """A check as declared at registration. ``function`` is ``"module:attr"``, imported lazily.

    The function is called once per resource whose type is in ``resource_types``:
    ``function(resource: Resource, ctx: CheckContext) -> Outcome``. It reads its thresholds with
    ``ctx.setting(name)``, each declared in ``settings``.
    """

    id: str
    title: str
    provider: str
    resource_types: tuple[str, ...]
    severity: Severity
    rationale: str
    remediation: str
    function: str
    aliases: tuple[str, ...] = ()
    plugin: str = ""
    settings: tuple[SettingSpec, ...] = ()


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a check function returns: a status, a one-line reason and a small evidence dict."""

    status: Status
    reason: str
    evidence: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


def passed(reason: str, **evidence: Any) -> Outcome:
    return Outcome(Status.PASS, reason, evidence)


def failed(reason: str, **evidence: Any) -> Outcome:
    return Outcome(Status.FAIL, reason, evidence)


def errored(reason: str, **evidence: Any) -> Outcome:
    return Outcome(Status.ERROR, reason, evidence)


def not_applicable(reason: str, **evidence: Any) -> Outcome:
    return Outcome(Status.NOT_APPLICABLE, reason, evidence)


@dataclass(frozen=True, slots=True)
class Revocation:
    """An attestation or waiver withdrawn: from ``at`` on it no longer counts (the record stays)."""

    id: str
    target: str  # the id of the attestation or waiver
    at: dt.datetime
    by: str
    reason: str

    def describe(self) -> str:
        return f"revoked on {self.at.date().isoformat()} by {self.by}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Waiver:
    """Accepted risk for one check on one resource (``resource`` = native id or ``*``)."""

    check_id: str
    resource: str
    reason: str
    expires: dt.datetime
    approved_by: str
    id: str = ""
    revocation: Revocation | None = None

    def revoked(self, now: dt.datetime) -> bool:
        return self.revocation is not None and self.revocation.at <= now

    def applies(self, check_id: str, resource_id: str, now: dt.datetime) -> bool:
        return (
            self.check_id == check_id
            and self.resource in ("*", resource_id)
            and now < self.expires
            and not self.revoked(now)
        )


@dataclass(slots=True)
class CheckResult:
    """One check evaluated on one resource (or on a collection unit that failed)."""

    check_id: str
    provider: str
    target: str
    region: str
    resource_id: str
    resource_type: str
    status: Status
    reason: str
    evidence: dict[str, Any] = field(default_factory=dict)
    waiver: Waiver | None = None

    @property
    def resource_key(self) -> str:
        return f"{self.provider}|{self.target}|{self.resource_id}"

    @property
    def blocking(self) -> bool:
        """A failure that no valid waiver covers."""
        return self.status is Status.FAIL and self.waiver is None


@dataclass(frozen=True, slots=True)
class CollectionError:
    """A unit of collection that could not complete. Checks on its resource types become errors."""

    provider: str
    target: str
    region: str
    service: str
    resource_types: tuple[str, ...]
    reason: str

    @property
    def subject_id(self) -> str:
        """The id used as the subject of the error results this causes."""
        return f"{self.provider}:{self.target}:{self.region}:{self.service}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "provider": self.provider,
            "target": self.target,
            "region": self.region,
            "service": self.service,
            "resource_types": list(self.resource_types),
            "reason": self.reason,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CollectionError:
        return cls(
            provider=data["provider"],
            target=data["target"],
            region=data["region"],
            service=data["service"],
            resource_types=tuple(data["resource_types"]),
            reason=data["reason"],
        )


@dataclass(frozen=True, slots=True)
class WorkUnit:
    """A picklable description of one piece of collection work.

    ``collector`` is the dotted path (``"module:function"``) of a function ``collect(ctx)``
    called with an instance of the :class:`~trustsweep.collector.Collector` subclass named by
    ``context``. Workers import both themselves, so a unit can run in a thread, a process or on a
    Dask worker. ``redaction`` (set by the engine from the provider's declared secret fields) is
    applied to every resource the unit returns, on the worker. ``rate_share`` (set by the engine
    from :func:`trustsweep.budget.share_for`) is the part of each shared request budget the
    process running the unit may use.

    A *shared* unit collects for several targets at once (one query answering for many
    accounts): ``members`` lists them (``target`` is the first) and each resource it adds names
    its member in ``Resource.target``. The engine runs it once per sweep and hands each member
    its resources before that target is evaluated (see :meth:`Provider.shared_work
    <trustsweep.provider.Provider.shared_work>`).
    """

    provider: str
    target: Target
    region: str
    service: str
    collector: str
    resource_types: tuple[str, ...]
    options: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    redaction: Redactor | None = field(default=None, hash=False, compare=False, repr=False)
    context: str = "trustsweep.collector:Collector"
    rate_share: float = field(default=1.0, hash=False, compare=False)  # this process's part of shared budgets
    members: tuple[Target, ...] = field(default=(), hash=False, compare=False)

    @property
    def covers(self) -> tuple[Target, ...]:
        """The targets this unit collects for: its members, or its one target."""
        return self.members or (self.target,)


@dataclass(slots=True)
class Collected:
    """What one unit of work returns."""

    unit: WorkUnit
    resources: list[Resource] = field(default_factory=list)
    errors: list[CollectionError] = field(default_factory=list)
    requests: int = 0
    seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class ProviderSpec:
    """A provider as declared by a plugin; ``factory`` is the dotted path of its Provider class.

    ``settings`` declares what ``settings.<name>`` in the config file may hold besides the
    provider's check settings (collection options: timeouts, production accounts…).
    ``secret_fields`` are dotted paths inside ``Resource.properties`` whose values are secrets
    (``data.masterAuth.password``); they are redacted at collection, with the generic rules of
    :mod:`trustsweep.redact`, before anything is written. ``properties_version`` names the shape of
    what the collectors keep: raise it whenever properties are renamed or reshaped, so that saved
    inventories of the old shape are refused offline instead of judged by checks that misread them.
    ``history_types``: resource types whose properties the evidence store keeps, for the provider's
    :attr:`~trustsweep.provider.Provider.history` in later sweeps; of every other resource a sweep
    keeps only its facts (provider, target, region, type, id, name), never the raw inventory.
    """

    name: str
    title: str
    factory: str
    plugin: str = ""
    description: str = ""
    settings: tuple[SettingSpec, ...] | Mapping[str, SettingSpec] = ()  # a mapping: names from its keys
    secret_fields: tuple[str, ...] = ()
    properties_version: int = 1
    history_types: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class OptionSpec:
    """A provider-specific command-line option of ``sweep`` (e.g. ``--aws-organization``).

    ``kind`` is ``"flag"`` (bool), ``"str"`` or ``"multi"`` (repeatable, list of str).
    ``env`` names an environment variable that supplies the default.
    """

    name: str
    provider: str
    help: str
    kind: str = "str"
    default: Any = None
    env: str = ""

    @property
    def key(self) -> str:
        """The key under which the value reaches the provider: ``aws-organization`` → ``organization``."""
        prefix = self.provider + "-"
        bare = self.name[len(prefix) :] if self.name.startswith(prefix) else self.name
        return bare.replace("-", "_")


@dataclass(frozen=True, slots=True)
class EmulatorSpec:
    """A local emulator of a provider's API with a demo estate, for ``trustsweep demo`` and tests.

    ``factory`` is the dotted path of a context-manager function ``(workdir: Path) -> DemoEnv``.
    """

    provider: str
    factory: str
    description: str = ""


@dataclass(slots=True)
class DemoEnv:
    """What an emulator yields: environment variables and sweep arguments that point at it.

    ``requests`` and ``writes``, when the emulator serves an API, return what it has served so
    far as ``"VERB operation"`` lines: every request, and the ones that would change something
    (the conformance suite's read-only test wants requests and no writes).
    """

    env: dict[str, str] = field(default_factory=dict)
    targets: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    requests: Callable[[], list[str]] | None = None
    writes: Callable[[], list[str]] | None = None


@dataclass(frozen=True, slots=True)
class Attestation:
    """Manual evidence for a criterion: a document's SHA-256, who attested it, until when."""

    id: str
    criterion: str
    type: str
    sha256: str
    filename: str
    attested_by: str
    created: dt.datetime
    expires: dt.datetime
    revocation: Revocation | None = None

    def revoked(self, now: dt.datetime) -> bool:
        return self.revocation is not None and self.revocation.at <= now

    def valid(self, now: dt.datetime) -> bool:
        return self.created <= now < self.expires and not self.revoked(now)
