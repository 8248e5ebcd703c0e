"""Reads the output of ``vouch startup-check --json`` through its documented contract.

The contract is ``docs/json-output.md`` and ``schemas/cli/startup-check.schema.json``. The
reading is strict where a mistake could load something it should not, and lenient only where
the contract's compatibility promise asks for it:

- anything but exit code 0 with one well-formed document, ``ok: true`` and a ``schemaVersion``
  this adapter knows is "Vouch cannot answer", and nothing loads;
- a required field missing or of the wrong type, a duplicate key, a plugin both allowed and
  blocked, or an allowed plugin listed twice is a broken document: nothing loads;
- fields this adapter does not know are ignored (Vouch may add fields within a major version);
- an enumeration value it does not know (a new ``kind``) is shown, never acted on as "allowed";
  a loadable plugin with a trust level it does not know is not loaded.
"""

from __future__ import annotations

import math
import os
import re
from typing import Any, Dict, List, Optional, Tuple

from .decisions import (
    KNOWN_TRUST_LEVELS,
    Blocked,
    Failure,
    Loadable,
    StartupDecisions,
)
from .process import RawRun
from .sanitize import sanitize_text
from .strict_json import ContractError, parse_json

# The contract versions this adapter was written for (the document's ``schemaVersion``).
KNOWN_SCHEMA_VERSIONS = (1,)
# Display bounds: a name is at most 100 characters by the manifest rules; reasons may be longer.
_NAME_MAX = 100
_TEXT_MAX = 1000
_PATH_MAX = 4096
_MAX_FILES_SHOWN = 100
# Further soft entries' reasons kept for one plugin: enough for any real blacklist, and bounded.
_MAX_REASONS_SHOWN = 50
# The one spelling Vouch writes: 8-4-4-4-12 lowercase ASCII hex. Spelled out, not ``\d`` or
# ``$``, which would also take other scripts' digits and a trailing newline.
# Incident links Vouch writes: https, or http to this machine (a local registry service).
_WEB_LINK = re.compile(r"(?:https://|http://(?:127\.0\.0\.1|localhost|\[::1\])[:/])[^\s]*\Z")
_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def interpret(run: RawRun) -> StartupDecisions:
    """Turns a finished run into decisions, or into a failure that loads nothing."""
    if run.start_error is not None:
        return StartupDecisions.failed(
            Failure(
                "not-found",
                "the vouch command could not be started: "
                + sanitize_text(run.start_error, max_length=_TEXT_MAX),
                "Install Vouch, or give the adapter the full path of the vouch command.",
            )
        )
    if run.timed_out:
        return StartupDecisions.failed(
            Failure(
                "timeout",
                "the startup check did not finish in time and was stopped",
                "Try again; if it keeps happening run `vouch doctor`.",
            )
        )
    if run.stdout_too_large:
        return StartupDecisions.failed(
            Failure(
                "output-too-large",
                "the startup check printed more than the adapter reads",
                exit_code=run.exit_code,
            )
        )
    try:
        document = parse_json(run.stdout)
    except ContractError as error:
        if run.exit_code != 0:
            return _exit_failure(run)
        return StartupDecisions.failed(Failure("invalid-json", str(error), exit_code=run.exit_code))
    if run.exit_code != 0:
        return _error_document_failure(document, run)
    try:
        return read_document(document)
    except _UnknownSchemaVersion as error:
        return StartupDecisions.failed(
            Failure(
                "unknown-schema-version",
                str(error),
                "Use a version of the adapter made for this version of Vouch.",
            )
        )
    except ContractError as error:
        return StartupDecisions.failed(Failure("invalid-document", str(error), exit_code=0))


class _UnknownSchemaVersion(ContractError):
    pass


def _exit_failure(run: RawRun) -> StartupDecisions:
    detail = sanitize_text(run.stderr.decode("utf-8", "replace"), max_length=300).strip()
    message = f"vouch exited with code {run.exit_code}" + (f": {detail}" if detail else "")
    return StartupDecisions.failed(Failure("exit-code", message, None, exit_code=run.exit_code))


def _error_document_failure(document: Any, run: RawRun) -> StartupDecisions:
    """A non-zero exit with Vouch's error document: its code, message and hint, sanitised."""
    error = document.get("error") if isinstance(document, dict) else None
    if not (isinstance(document, dict) and document.get("ok") is False and isinstance(error, dict)):
        return _exit_failure(run)
    code = error.get("code")
    message = error.get("message")
    hint = error.get("hint")
    if not isinstance(code, str) or not isinstance(message, str):
        return _exit_failure(run)
    return StartupDecisions.failed(
        Failure(
            "vouch-error",
            sanitize_text(message, max_length=_TEXT_MAX),
            sanitize_text(hint, max_length=_TEXT_MAX) if isinstance(hint, str) else None,
            vouch_code=sanitize_text(code, max_length=64),
            exit_code=run.exit_code,
        )
    )


def read_document(document: Any) -> StartupDecisions:
    """Validates a parsed document (exit code 0) and builds the decisions; raises ContractError."""
    root = _object(document, "the document")
    if root.get("ok") is not True:
        raise ContractError("ok is not true")
    version = root.get("schemaVersion")
    if not _is_int(version):
        raise ContractError("schemaVersion is missing or not an integer")
    if version not in KNOWN_SCHEMA_VERSIONS:
        raise _UnknownSchemaVersion(f"schemaVersion {version} is not one this adapter knows")

    load: List[Loadable] = []
    blocked: List[Blocked] = []
    for index, raw in enumerate(_array(root, "load")):
        where = f"load[{index}]"
        entry = _object(raw, where)
        uuid = _uuid(entry, where)
        name = _text(entry, "name", where, _NAME_MAX)
        path = _string(entry, "path", where)
        trust = _string(entry, "trust", where)
        if not os.path.isabs(path) or "\x00" in path or len(path) > _PATH_MAX:
            raise ContractError(f"{where}.path is not an absolute path")
        if trust not in KNOWN_TRUST_LEVELS:
            # A trust level added after this adapter: do not guess what it allows.
            reason = "its trust level is unknown to this version of the adapter"
            blocked.append(Blocked("refused", uuid, name, reason, kind="unknown-trust"))
            continue
        load.append(Loadable(uuid, name, path, trust))

    for index, raw in enumerate(_array(root, "disabled")):
        where = f"disabled[{index}]"
        entry = _object(raw, where)
        files: Tuple[str, ...] = ()
        if "files" in entry:
            listed = entry["files"]
            if not isinstance(listed, list) or not all(isinstance(item, str) for item in listed):
                raise ContractError(f"{where}.files is not a list of strings")
            shown = listed[:_MAX_FILES_SHOWN]
            files = tuple(sanitize_text(item, max_length=_TEXT_MAX) for item in shown)
        kind = _string(entry, "kind", where)
        blocked.append(_blocked(entry, where, "disabled", kind=kind, files=files))
    for index, raw in enumerate(_array(root, "quarantined")):
        where = f"quarantined[{index}]"
        entry = _object(raw, where)
        path = sanitize_text(_string(entry, "path", where), max_length=_PATH_MAX)
        blocked.append(_blocked(entry, where, "quarantined", path=path))
    for index, raw in enumerate(_array(root, "heldBack")):
        where = f"heldBack[{index}]"
        entry = _object(raw, where)
        blocked.append(_blocked(entry, where, "held-back", kind=_string(entry, "kind", where)))
    for index, raw in enumerate(_array(root, "removed")):
        where = f"removed[{index}]"
        blocked.append(_blocked(_object(raw, where), where, "removed"))

    warnings = []
    for index, item in enumerate(_array(root, "warnings")):
        if not isinstance(item, str):
            raise ContractError(f"warnings[{index}] is not a string")
        warnings.append(sanitize_text(item, max_length=_TEXT_MAX))

    blacklist = _object(root.get("blacklist"), "blacklist")
    state = _string(blacklist, "state", "blacklist")
    age: Optional[float] = None
    if "ageDays" in blacklist:
        raw_age = blacklist["ageDays"]
        is_number = isinstance(raw_age, (int, float)) and not isinstance(raw_age, bool)
        if not is_number or not math.isfinite(raw_age):
            raise ContractError("blacklist.ageDays is not a number")
        age = float(raw_age)

    _check_consistent(load, blocked)
    return StartupDecisions(
        load=tuple(load),
        blocked=tuple(blocked),
        warnings=tuple(warnings),
        blacklist_state=sanitize_text(state, max_length=32),
        blacklist_age_days=age,
    )


def _check_consistent(load: List[Loadable], blocked: List[Blocked]) -> None:
    """One plugin, one decision: a document that both allows and blocks a plugin is refused."""
    allowed = set()
    for plugin in load:
        if plugin.uuid in allowed:
            raise ContractError(f"plugin {plugin.uuid} is listed twice in load")
        allowed.add(plugin.uuid)
    for item in blocked:
        if item.uuid in allowed:
            raise ContractError(f"plugin {item.uuid} is both allowed and {item.group}")


def _blocked(
    entry: Dict[str, Any],
    where: str,
    group: str,
    kind: Optional[str] = None,
    path: Optional[str] = None,
    files: Tuple[str, ...] = (),
) -> Blocked:
    return Blocked(
        group=group,
        uuid=_uuid(entry, where),
        name=_text(entry, "name", where, _NAME_MAX),
        reason=_text(entry, "reason", where, _TEXT_MAX),
        kind=sanitize_text(kind, max_length=64) if kind is not None else None,
        path=path,
        files=files,
        **_block_fields(entry, where),
    )


def _block_fields(entry: Dict[str, Any], where: str) -> Dict[str, Any]:
    """The optional severity, incident link and advice of a blacklist block, and the reasons
    of further soft entries that matched too.

    Wrongly typed, they break the document like any field; an unknown severity is kept as text
    (shown, never acted on); an incident link that is not http(s) is dropped, so a host that
    makes it clickable never opens another scheme.
    """
    fields: Dict[str, Any] = {}
    if "alsoSoftReasons" in entry:
        listed = entry["alsoSoftReasons"]
        if not isinstance(listed, list) or not all(isinstance(item, str) for item in listed):
            raise ContractError(f"{where}.alsoSoftReasons is not a list of strings")
        fields["also_soft_reasons"] = tuple(
            sanitize_text(item, max_length=_TEXT_MAX) for item in listed[:_MAX_REASONS_SHOWN]
        )
    for key in ("severity", "incident", "advice"):
        if key in entry and not isinstance(entry[key], str):
            raise ContractError(f"{where}.{key} is not a string")
    if "severity" in entry:
        fields["severity"] = sanitize_text(entry["severity"], max_length=16)
    if "incident" in entry:
        link = sanitize_text(entry["incident"], max_length=_PATH_MAX)
        if _WEB_LINK.match(link):
            fields["incident"] = link
    if "advice" in entry:
        fields["advice"] = sanitize_text(entry["advice"], max_length=_TEXT_MAX) or None
    return fields


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _object(value: Any, where: str) -> Dict[str, Any]:
    if not isinstance(value, dict):
        raise ContractError(f"{where} is not an object")
    return value


def _array(root: Dict[str, Any], key: str) -> List[Any]:
    value = root.get(key)
    if not isinstance(value, list):
        raise ContractError(f"{key} is missing or not a list")
    return value


def _string(entry: Dict[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str):
        raise ContractError(f"{where}.{key} is missing or not a string")
    return value


def _text(entry: Dict[str, Any], key: str, where: str, max_length: int) -> str:
    return sanitize_text(_string(entry, key, where), max_length=max_length)


def _uuid(entry: Dict[str, Any], where: str) -> str:
    value = _string(entry, "uuid", where)
    # The contract promises lowercased canonical UUIDs; anything else is not a document Vouch
    # wrote. Exactly one spelling matters: the "one plugin, one decision" check compares text,
    # and a look-alike (a fullwidth digit, a Cyrillic letter, braces) would escape it.
    if _CANONICAL_UUID.fullmatch(value) is None:
        raise ContractError(f"{where}.uuid is not a lowercased plugin UUID")
    return value
