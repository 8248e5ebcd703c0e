"""Neutralises text from Vouch before a host shows it (rule D24).

Vouch already sanitises every string of the startup-check document, but a host should not have
to trust that: the names and reasons come from plugins and registries, and a process that is not
really Vouch may be answering. This is the same rule as the library's ``sanitizeText``, and the
shared vectors in ``test/vectors/sanitize.json`` keep the two in step. It is a forward scan with
no regular expressions, so hostile input cannot make it backtrack.
"""

from __future__ import annotations

from typing import Optional

_ESC = 0x1B
_BEL = 0x07
# Characters that end the authority part of a URL (where credentials would be).
_AUTHORITY_END = frozenset("/?# \t\n\"'<>`")


def _is_bidi_or_invisible_control(cp: int) -> bool:
    """Unicode format characters that reorder or hide text (Trojan Source spoofing)."""
    return (
        0x202A <= cp <= 0x202E
        or 0x2066 <= cp <= 0x2069
        or cp in (0x200E, 0x200F, 0x061C, 0xFEFF)
    )


def _skip_escape_sequence(text: str, start: int) -> int:
    """Index just past the escape sequence that starts at ``start`` (text[start] is ESC)."""
    if start + 1 >= len(text):
        return start + 1
    nxt = ord(text[start + 1])
    if nxt == 0x5B:  # CSI: ESC [ parameters... final byte in 0x40-0x7e.
        i = start + 2
        while i < len(text):
            c = ord(text[i])
            i += 1
            if 0x40 <= c <= 0x7E:
                break
        return i
    if nxt in (0x5D, 0x50, 0x58, 0x5E, 0x5F):  # OSC, DCS, SOS, PM, APC: until BEL or ESC \.
        i = start + 2
        while i < len(text):
            c = ord(text[i])
            if c == _BEL:
                return i + 1
            if c == _ESC and i + 1 < len(text) and text[i + 1] == "\\":
                return i + 2
            i += 1
        return i
    # Any other two-character escape (ESC c resets the terminal, ESC 7 saves the cursor...).
    return start + 2


def redact_url_credentials(text: str) -> str:
    """Replaces the userinfo of every ``scheme://user:pass@host`` with ``***``."""
    out = []
    start = 0
    while True:
        sep = text.find("://", start)
        if sep == -1:
            break
        authority_start = sep + 3
        end = authority_start
        at = -1
        while end < len(text) and text[end] not in _AUTHORITY_END:
            if text[end] == "@":
                at = end
            end += 1
        if at == -1:
            out.append(text[start:end])
        else:
            out.append(text[start:authority_start] + "***" + text[at:end])
        start = end  # always past the separator, so the scan advances
    out.append(text[start:])
    return "".join(out)


def sanitize_text(value: object, multiline: bool = False, max_length: Optional[int] = None) -> str:
    """Strips ANSI escapes, C0/C1 controls and bidi overrides; redacts URL credentials.

    Line breaks and tabs become spaces unless ``multiline``; a bare carriage return is dropped so
    that text cannot overwrite the start of its own line. ``max_length`` cuts the result to that
    many code points, the last of them an ellipsis.
    """
    text = value if isinstance(value, str) else ("" if value is None else str(value))
    out = []
    i = 0
    while i < len(text):
        cp = ord(text[i])
        if cp == _ESC:
            i = _skip_escape_sequence(text, i)
            continue
        if cp in (0x0A, 0x09):
            out.append(text[i] if multiline else " ")
        elif cp == 0x0D:
            pass
        elif cp < 0x20 or 0x7F <= cp <= 0x9F or _is_bidi_or_invisible_control(cp):
            pass
        elif 0xD800 <= cp <= 0xDFFF:
            pass  # a lone surrogate cannot be printed or encoded
        else:
            out.append(text[i])
        i += 1
    result = redact_url_credentials("".join(out))
    if max_length is not None and len(result) > max_length:
        result = "" if max_length <= 0 else result[: max_length - 1] + "…"
    return result
