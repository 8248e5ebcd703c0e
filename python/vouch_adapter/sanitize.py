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


# Characters that draw nothing: the library's ``core/invisible-text.ts``, code point for code
# point. A stray one is shown as U+FFFD (a run of them as one), never dropped, so that two
# different names cannot read alike and no hidden text passes unseen.
_INVISIBLE_MARK = "\uFFFD"
_ZWNJ = 0x200C
_ZWJ = 0x200D
_KEYCAP = 0x20E3


def _is_bidi_control(cp: int) -> bool:
    """Bidi embeddings, overrides, isolates and direction marks (Trojan Source spoofing): marked,
    so the reader sees that the text held something meant to reorder it."""
    return 0x202A <= cp <= 0x202E or 0x2066 <= cp <= 0x2069 or cp in (0x200E, 0x200F, 0x061C)


def _is_always_invisible(cp: int) -> bool:
    return (
        _is_bidi_control(cp)
        or cp in (0x00AD, 0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E, 0x200B, 0x2065, 0x3164, 0xFEFF, 0xFFA0)
        or 0x2060 <= cp <= 0x2064
        or 0x206A <= cp <= 0x206F
        or 0xFFF0 <= cp <= 0xFFFB
        or 0x1BCA0 <= cp <= 0x1BCA3
        or 0x1D173 <= cp <= 0x1D17A
        or (0xE0000 <= cp <= 0xE0FFF and not 0xE0100 <= cp <= 0xE01EF)
    )


def _is_variation_selector(cp: int) -> bool:
    # The Mongolian free variation selectors choose a letter's form as the others do.
    return 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF or 0x180B <= cp <= 0x180D or cp == 0x180F


def _is_wide_space(cp: int) -> bool:
    return cp in (0x00A0, 0x1680, 0x202F, 0x205F, 0x3000) or 0x2000 <= cp <= 0x200A


def _is_visible_non_ascii(cp: Optional[int]) -> bool:
    if cp is None or cp <= 0x7F:
        return False
    return not (
        _is_always_invisible(cp)
        or _is_variation_selector(cp)
        or cp in (_ZWJ, _ZWNJ, 0xFFFD)
        or _is_wide_space(cp)
    )


def _is_stray(points: list, i: int) -> bool:
    cp = points[i]
    if _is_always_invisible(cp):
        return True
    before = points[i - 1] if i >= 1 else None
    after = points[i + 1] if i + 1 < len(points) else None
    if cp in (_ZWJ, _ZWNJ):
        # An emoji's presentation selector may sit between the emoji and the joiner.
        base = (points[i - 2] if i >= 2 else None) if before == 0xFE0F else before
        return not (_is_visible_non_ascii(base) and _is_visible_non_ascii(after))
    if _is_variation_selector(cp):
        if _is_visible_non_ascii(before):
            return False
        keycap_base = before is not None and (0x30 <= before <= 0x39 or before in (0x23, 0x2A))
        return not (cp in (0xFE0F, 0xFE0E) and keycap_base and after == _KEYCAP)
    return False


def _mark_invisible(text: str) -> str:
    points = [ord(ch) for ch in text]
    out = []
    in_run = False
    for i, cp in enumerate(points):
        if _is_stray(points, i):
            if not in_run:
                out.append(_INVISIBLE_MARK)
            in_run = True
            continue
        in_run = False
        out.append(chr(cp))
    return "".join(out)


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
        elif text.rfind("\\", authority_start, at) != -1:
            # A backslash before the user part: a browser reads it as "/" and goes to the host
            # before it, curl does not. Either may be the host, so neither is shown.
            out.append(text[start:authority_start] + "***")
        else:
            out.append(text[start:authority_start] + "***" + text[at:end])
        start = end  # always past the separator, so the scan advances
    out.append(text[start:])
    return "".join(out)


def sanitize_text(value: object, multiline: bool = False, max_length: Optional[int] = None) -> str:
    """Strips ANSI escapes and C0/C1 controls; marks bidi controls and stray invisible characters
    (a run of them as one U+FFFD); redacts URL credentials.

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
        elif cp in (0x2028, 0x2029):
            out.append("\n" if multiline else " ")
        elif cp == 0x0D:
            pass
        elif cp == 0xFEFF and i == 0:
            pass  # a byte order mark from the start of a file; elsewhere it is an invisible
        elif cp < 0x20 or 0x7F <= cp <= 0x9F:
            pass
        elif 0xD800 <= cp <= 0xDFFF:
            pass  # a lone surrogate cannot be printed or encoded
        else:
            out.append(text[i])
        i += 1
    result = redact_url_credentials(_mark_invisible("".join(out)))
    if max_length is not None and len(result) > max_length:
        result = "" if max_length <= 0 else result[: max_length - 1] + "…"
    return result
