"""Sanitising before display (D24): the shared vectors, and what only Python has to handle."""

from __future__ import annotations

import json
import unittest

from vouch_adapter.sanitize import redact_url_credentials, sanitize_text

from .vectors import VECTOR_DIR


class Sanitising(unittest.TestCase):
    def test_shared_vectors_match_the_typescript_sanitiser(self) -> None:
        cases = json.loads((VECTOR_DIR / "sanitize.json").read_text(encoding="utf-8"))
        self.assertGreater(len(cases), 10)
        for case in cases:
            with self.subTest(input=case["input"]):
                self.assertEqual(
                    sanitize_text(case["input"], multiline=case.get("multiline", False), max_length=case.get("maxLength")),
                    case["expected"],
                )

    def test_every_control_character_is_gone(self) -> None:
        text = "".join(chr(cp) for cp in range(0, 0xA0)) + "".join(chr(cp) for cp in range(0x2000, 0x2070))
        cleaned = sanitize_text(text)
        for ch in cleaned:
            cp = ord(ch)
            self.assertFalse(cp < 0x20 or 0x7F <= cp <= 0x9F, hex(cp))
            self.assertFalse(0x202A <= cp <= 0x202E or 0x2066 <= cp <= 0x2069, hex(cp))

    def test_lone_surrogates_are_dropped_so_printing_cannot_crash_the_host(self) -> None:
        cleaned = sanitize_text(json.loads('"a\\ud800b\\udfffc"'))
        self.assertEqual(cleaned, "abc")
        cleaned.encode("utf-8")

    def test_hostile_input_is_linear(self) -> None:
        # Many unterminated sequences and URL separators: a backtracking scanner would crawl.
        text = ("\x1b[" * 50000) + ("://" * 50000) + ("\x1b]" * 50000)
        self.assertIsInstance(sanitize_text(text), str)
        self.assertEqual(redact_url_credentials("a https://u:p@x.example/ b ftp://t@y.example"), "a https://***@x.example/ b ftp://***@y.example")

    def test_non_strings_become_text(self) -> None:
        self.assertEqual(sanitize_text(None), "")
        self.assertEqual(sanitize_text(42), "42")


if __name__ == "__main__":
    unittest.main()
