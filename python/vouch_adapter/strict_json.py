"""Parses the bytes of the startup-check output as exactly one strict JSON document.

Stricter than ``json.loads``: the text must be UTF-8 without a byte order mark, keys may not
repeat (two readers could each take a different copy), NaN and Infinity are refused, integer
literals are bounded in length, and the nesting is bounded before parsing so hostile input
cannot exhaust the stack.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Tuple

from .sanitize import sanitize_text

# Far deeper than the document ever nests.
MAX_DEPTH = 32
# JSON.stringify writes 1e21 and up with an exponent: a longer integer literal is not from
# Vouch. Bounding it keeps a number from raising OverflowError where a float is needed, and
# older Pythons from spending quadratic time converting it.
MAX_INT_DIGITS = 21


class ContractError(Exception):
    """The output breaks the contract; the message says where, for a log."""


def parse_json(data: bytes) -> Any:
    """Exactly one JSON document in strict UTF-8: no duplicate keys, NaN or excessive nesting."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ContractError("the output is not UTF-8") from None
    if text.startswith("\ufeff"):
        raise ContractError("the output starts with a byte order mark")
    _check_depth(text)
    try:
        return json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_constant=_no_constants,
            parse_int=_bounded_int,
        )
    except ContractError:
        raise
    except (ValueError, RecursionError) as error:
        detail = sanitize_text(str(error), max_length=200)
        raise ContractError("the output is not one JSON document: " + detail) from None


def _check_depth(text: str) -> None:
    """Refuses nesting deeper than the contract could ever need (counted outside strings)."""
    depth = 0
    in_string = False
    escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise ContractError("the output nests too deeply")
        elif ch in "]}":
            depth -= 1


def _no_duplicates(pairs: List[Tuple[str, Any]]) -> Dict[str, Any]:
    result: Dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            # Two readers could take different copies; refuse rather than pick one.
            raise ContractError("duplicate key " + repr(sanitize_text(key, max_length=50)))
        result[key] = value
    return result


def _bounded_int(literal: str) -> int:
    if len(literal.lstrip("-")) > MAX_INT_DIGITS:
        raise ContractError(f"an integer longer than {MAX_INT_DIGITS} digits")
    return int(literal)


def _no_constants(name: str) -> Any:
    raise ContractError(f"{name} is not JSON")
