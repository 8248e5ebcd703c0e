"""What Vouch decided at startup, in a form a Python host applies directly.

A ``StartupDecisions`` is either an answer (``answered`` is true) or a failure: Vouch could not
answer, and then nothing loads. There is no third state and no "allow everything" fallback
(rule D1: fail safe, never fail open). Every string here was sanitised when the document was
read, so a host may show it as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional, Protocol, Tuple

# The trust levels this adapter knows; a plugin listed with another is not loaded.
KNOWN_TRUST_LEVELS = ("official", "trusted", "community", "unregistered")


@dataclass(frozen=True)
class Loadable:
    """A plugin Vouch allows the host to load now, from ``path``."""

    uuid: str
    name: str
    path: str
    trust: str


@dataclass(frozen=True)
class Blocked:
    """A plugin not to load, and why.

    ``group`` says which list of the document it came from: ``disabled`` (recorded as disabled
    by Vouch; ``kind`` is ``blacklist`` or ``integrity``), ``quarantined`` (its files were moved
    to ``path``), ``held-back`` (off for this start only; ``kind`` is ``stale-blacklist`` or
    ``api``), ``removed`` (its directory is gone) or ``refused`` (listed as loadable, but in a way
    this adapter does not understand, so it is not loaded). A ``kind`` this adapter does not know
    is kept as it is: the plugin is still not loaded and the reason is still shown.
    """

    group: str
    uuid: str
    name: str
    reason: str
    kind: Optional[str] = None
    path: Optional[str] = None
    files: Tuple[str, ...] = ()
    # For a blacklist block: ``hard`` or ``soft`` (a soft one the user may enable again after
    # reading the reason), the public incident page, and what the user should do. Sanitised.
    severity: Optional[str] = None
    incident: Optional[str] = None
    advice: Optional[str] = None
    # For a soft block: the reasons of further soft entries that matched too. Enabling the
    # plugin again accepts them all, so each is shown. Sanitised.
    also_soft_reasons: Tuple[str, ...] = ()


@dataclass(frozen=True)
class Failure:
    """Why Vouch could not answer.

    ``code`` is one of ``not-found`` (the executable could not be started), ``timeout``,
    ``output-too-large``, ``exit-code`` (a non-zero exit without a readable error document),
    ``vouch-error`` (Vouch printed its error document; ``vouch_code`` is its code, such as
    ``STATE_LOCKED``), ``invalid-json``, ``invalid-document`` and ``unknown-schema-version``.
    """

    code: str
    message: str
    hint: Optional[str] = None
    vouch_code: Optional[str] = None
    exit_code: Optional[int] = None


class PluginHost(Protocol):
    """The hooks ``StartupDecisions.apply`` calls.

    A host may also define ``forget_plugin(plugin: Blocked)``: it is then called for each
    quarantined or removed plugin, whose directory is no longer where the host found it, so the
    host can drop it from its list until the next start.
    """

    def load_plugin(self, plugin: Loadable) -> None: ...

    def disable_plugin(self, plugin: Blocked) -> None: ...

    def show_notices(self, notices: List[str]) -> None: ...


@dataclass(frozen=True)
class StartupDecisions:
    """The decisions of one ``vouch startup-check`` run, or the failure to get them."""

    load: Tuple[Loadable, ...] = ()
    blocked: Tuple[Blocked, ...] = ()
    warnings: Tuple[str, ...] = ()
    blacklist_state: Optional[str] = None
    blacklist_age_days: Optional[float] = None
    failure: Optional[Failure] = None
    _by_uuid: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.failure is not None and self.load:
            raise ValueError("a failed check cannot allow plugins")
        self._by_uuid.clear()
        for plugin in self.load:
            self._by_uuid[plugin.uuid] = plugin

    @classmethod
    def failed(cls, failure: Failure) -> "StartupDecisions":
        return cls(failure=failure)

    @property
    def answered(self) -> bool:
        """True when Vouch gave a valid answer; false means nothing may load."""
        return self.failure is None

    def may_load(self, uuid: str) -> bool:
        """Whether the plugin with this UUID may load now. Anything Vouch did not list: no."""
        return isinstance(uuid, str) and uuid.lower() in self._by_uuid

    def loadable(self, uuid: str) -> Optional[Loadable]:
        """The entry to load the plugin from (its ``path``), or None when it may not load."""
        return self._by_uuid.get(uuid.lower()) if isinstance(uuid, str) else None

    def blocked_in(self, group: str) -> List[Blocked]:
        return [item for item in self.blocked if item.group == group]

    @property
    def to_disable(self) -> List[Blocked]:
        """Plugins the host should record as disabled, as Vouch did (quarantined ones included)."""
        return self.blocked_in("disabled")

    @property
    def needs_refresh(self) -> bool:
        """True when the blacklist is not known to be fresh: offer or schedule ``vouch refresh``."""
        return self.answered and self.blacklist_state != "fresh"

    def notices(self) -> List[str]:
        """Sentences to show the user, already sanitised; the failure first when there is one."""
        if self.failure is not None:
            text = f"Plugins were not loaded: Vouch could not check them ({self.failure.message})"
            if self.failure.hint:
                text += f" Hint: {self.failure.hint}"
            return [text]
        quarantined = {item.uuid for item in self.blocked_in("quarantined")}
        lines: List[str] = []
        for item in self.blocked:
            # A quarantined plugin is also listed as disabled: one sentence says both.
            if item.group == "disabled" and item.uuid in quarantined:
                continue
            lines.append(_describe(item))
        lines.extend(self.warnings)
        return lines

    def apply(self, host: PluginHost) -> List[Loadable]:
        """Disables what Vouch disabled, loads what Vouch allows, and shows the notices.

        Returns the plugins handed to ``host.load_plugin``. On a failure nothing is loaded and
        nothing is disabled: Vouch changed nothing, so the host's records stay as they were.
        """
        if self.failure is None:
            for item in self.to_disable:
                host.disable_plugin(item)
            forget = getattr(host, "forget_plugin", None)
            if callable(forget):
                for item in self.blocked_in("quarantined") + self.blocked_in("removed"):
                    forget(item)
        loaded: List[Loadable] = []
        for plugin in self.load:
            host.load_plugin(plugin)
            loaded.append(plugin)
        notices = self.notices()
        if notices:
            host.show_notices(notices)
        return loaded


def _block_details(item: Blocked) -> str:
    """The advice, the incident link and further soft reasons after a blacklist reason."""
    text = ""
    if item.advice:
        text += f" Advice: {item.advice}"
    if item.incident:
        text += f" Incident: {item.incident}"
    for reason in item.also_soft_reasons:
        text += f" Also not recommended: {reason}."
    if item.group == "disabled" and item.severity == "soft":
        text += " You may enable it again after reading this."
    return text


def _describe(item: Blocked) -> str:
    if item.group == "quarantined":
        return (
            f"{item.name} was quarantined (files moved to {item.path}): {item.reason}"
            + _block_details(item)
        )
    if item.group == "disabled" and item.kind == "integrity":
        return f"{item.name} was disabled because its files changed since install: {item.reason}"
    if item.group == "disabled":
        return f"{item.name} was disabled: {item.reason}" + _block_details(item)
    if item.group == "held-back" and item.kind == "stale-blacklist":
        return (
            f"{item.name} is not loaded until the blacklist is refreshed (vouch refresh): "
            + item.reason
        )
    if item.group == "held-back" and item.kind == "api":
        return (
            f"{item.name} is not loaded: it needs an API version this application does not offer: "
            + item.reason
        )
    if item.group == "held-back":
        return f"{item.name} is not loaded this time: {item.reason}"
    if item.group == "removed":
        return f"{item.name} was removed from the list: {item.reason}"
    return f"{item.name} is not loaded: {item.reason}"
