"""The shared startup-check vectors: the same cases the TypeScript side checks."""

from __future__ import annotations

import sys
import unittest
from typing import Any, Dict

from vouch_adapter import interpret
from vouch_adapter.decisions import StartupDecisions

from .vectors import VECTOR_DIR, extra_vector_dirs, load_vectors, raw_run_of

GROUPS = ("disabled", "quarantined", "held-back", "removed", "refused")


def assert_matches(case: unittest.TestCase, decisions: StartupDecisions, expect: Dict[str, Any]) -> None:
    case.assertEqual(decisions.answered, expect["answered"], decisions.failure)
    failure = decisions.failure.code if decisions.failure else None
    case.assertEqual(failure, expect["failure"])
    if "vouchCode" in expect:
        assert decisions.failure is not None
        case.assertEqual(decisions.failure.vouch_code, expect["vouchCode"])
    case.assertEqual([plugin.uuid for plugin in decisions.load], expect["load"])
    for group in GROUPS:
        case.assertEqual(
            [item.uuid for item in decisions.blocked_in(group)],
            expect["blocked"].get(group, []),
            group,
        )
    case.assertEqual(decisions.needs_refresh, expect["needsRefresh"])
    # The heart of fail-safe: nothing outside `load` may load, whatever its UUID looks like.
    for group in GROUPS:
        for uuid in expect["blocked"].get(group, []):
            case.assertFalse(decisions.may_load(uuid), uuid)
    for uuid in expect["load"]:
        case.assertTrue(decisions.may_load(uuid))
        case.assertTrue(decisions.may_load(uuid.upper()), "lookups ignore case")
    if not expect["answered"]:
        case.assertEqual(decisions.load, ())
        case.assertEqual(len(decisions.notices()), 1)
    names = {plugin.uuid: plugin.name for plugin in decisions.load}
    names.update({item.uuid: item.name for item in decisions.blocked})
    for uuid, name in expect.get("names", {}).items():
        case.assertEqual(names[uuid], name)
    reasons: Dict[str, str] = {}
    for item in decisions.blocked:
        reasons.setdefault(item.uuid, item.reason)  # the first list that names the plugin
    for uuid, reason in expect.get("reasons", {}).items():
        case.assertEqual(reasons[uuid], reason)
    for uuid, details in expect.get("blockDetails", {}).items():
        # The first list that names the plugin, as for reasons.
        item = next(item for item in decisions.blocked if item.uuid == uuid)
        shown = {"severity": item.severity, "incident": item.incident, "advice": item.advice}
        if "alsoSoftReasons" in details:
            shown["alsoSoftReasons"] = list(item.also_soft_reasons)
        case.assertEqual(shown, details, uuid)
    if "warnings" in expect:
        case.assertEqual(list(decisions.warnings), expect["warnings"])


class SharedVectors(unittest.TestCase):
    def test_committed_vectors(self) -> None:
        vectors = load_vectors(VECTOR_DIR / "startup-check")
        self.assertGreater(len(vectors), 20)
        for name, vector in vectors:
            with self.subTest(vector=name):
                assert_matches(self, interpret(raw_run_of(vector)), vector["expect"])

    def test_vectors_from_real_runs(self) -> None:
        # Given by the slow TypeScript test; without it there is nothing to check here.
        directories = extra_vector_dirs()
        if not directories:
            self.skipTest("no generated vectors given")
        for directory in directories:
            vectors = load_vectors(directory)
            self.assertTrue(vectors, f"no vectors in {directory}")
            # Stderr is where unittest reports; the caller checks that these really ran.
            print(f"checked {len(vectors)} generated vectors", file=sys.stderr)
            for name, vector in vectors:
                with self.subTest(vector=name):
                    assert_matches(self, interpret(raw_run_of(vector)), vector["expect"])


if __name__ == "__main__":
    unittest.main()
