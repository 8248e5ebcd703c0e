"""Vouch for Python hosts: run ``vouch startup-check --json`` and load only what it allows.

Standard library only. The usual use::

    from vouch_adapter import check

    decisions = check(["vouch"], profile="/path/to/host-profile.toml", timeout=60)
    for plugin in host.enabled_plugins():
        if decisions.may_load(plugin.uuid):
            host.load(decisions.loadable(plugin.uuid).path)
    for line in decisions.notices():
        host.show(line)

When Vouch cannot answer (missing, too slow, an error, output that breaks the contract),
``decisions.answered`` is false and ``may_load`` is false for every plugin: fail safe.
"""

from __future__ import annotations

from typing import List, Mapping, Optional, Sequence

from .contract import KNOWN_SCHEMA_VERSIONS, interpret
from .decisions import Blocked, Failure, Loadable, PluginHost, StartupDecisions
from .process import DEFAULT_MAX_STDOUT_BYTES, DEFAULT_TIMEOUT_SECONDS, RawRun, run_bounded
from .sanitize import sanitize_text

__all__ = [
    "Blocked",
    "Failure",
    "KNOWN_SCHEMA_VERSIONS",
    "Loadable",
    "PluginHost",
    "RawRun",
    "StartupDecisions",
    "check",
    "interpret",
    "sanitize_text",
    "startup_check_argv",
]


def startup_check_argv(
    vouch: Sequence[str],
    profile: Optional[str] = None,
    registry: Optional[str] = None,
) -> List[str]:
    """The command line: ``vouch`` is the command as a list (``["vouch"]``, or
    ``["node", "/path/to/vouch.js"]``); the options follow ``startup-check``."""
    if isinstance(vouch, str):
        raise TypeError("vouch must be a list of arguments, not a string (no shell is used)")
    argv = [*vouch, "startup-check", "--json"]
    if profile is not None:
        argv += ["--profile", profile]
    if registry is not None:
        argv += ["--registry", registry]
    return argv


def check(
    vouch: Sequence[str] = ("vouch",),
    profile: Optional[str] = None,
    registry: Optional[str] = None,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    max_output_bytes: int = DEFAULT_MAX_STDOUT_BYTES,
    env: Optional[Mapping[str, str]] = None,
    cwd: Optional[str] = None,
) -> StartupDecisions:
    """Runs the startup check and returns what the host may load. Never raises for anything
    Vouch does: every failure is a ``StartupDecisions`` that loads nothing."""
    run = run_bounded(
        startup_check_argv(vouch, profile, registry),
        timeout=timeout,
        max_stdout_bytes=max_output_bytes,
        env=env,
        cwd=cwd,
    )
    return interpret(run)
