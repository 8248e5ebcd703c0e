"""Reading a document and applying it: what the vectors do not reach."""

from __future__ import annotations

import copy
import json
import unittest
from typing import List

from vouch_adapter import Blocked, Loadable, RawRun, StartupDecisions, interpret
from vouch_adapter.contract import read_document
from vouch_adapter.decisions import Failure

T = "4d6e8f0a-1b2c-4d3e-9f4a-5b6c7d8e9f01"
D = "6f8a0b2c-3d4e-4f5a-9b6c-7d8e9f0a1b23"
S = "8b0c2d4e-5f6a-4b7c-9d8e-9f0a1b2c3d45"
DOCUMENT = {
    "ok": True,
    "schemaVersion": 1,
    "load": [{"uuid": T, "name": "taggy", "path": "/plugins/taggy", "trust": "trusted"}],
    "disabled": [{"uuid": D, "name": "doomed", "reason": "Malware", "kind": "blacklist"}],
    "quarantined": [{"uuid": D, "name": "doomed", "reason": "Malware", "path": "/quarantine/doomed"}],
    "heldBack": [{"uuid": S, "name": "waiting", "reason": "old blacklist", "kind": "stale-blacklist"}],
    "removed": [],
    "warnings": ["a notice"],
    "blacklist": {"state": "stale", "ageDays": 9},
}


def run_of(document: object, exit_code: int = 0) -> RawRun:
    return RawRun(exit_code=exit_code, stdout=json.dumps(document).encode(), stderr=b"")


class RecordingHost:
    def __init__(self) -> None:
        self.events: List[tuple] = []

    def load_plugin(self, plugin: Loadable) -> None:
        self.events.append(("load", plugin.uuid, plugin.path))

    def disable_plugin(self, plugin: Blocked) -> None:
        self.events.append(("disable", plugin.uuid, plugin.kind))

    def show_notices(self, notices: List[str]) -> None:
        self.events.append(("notices", tuple(notices)))


class ApplyingDecisions(unittest.TestCase):
    def test_apply_disables_then_loads_then_tells(self) -> None:
        host = RecordingHost()
        loaded = interpret(run_of(DOCUMENT)).apply(host)
        self.assertEqual([plugin.uuid for plugin in loaded], [T])
        self.assertEqual(host.events[0], ("disable", D, "blacklist"))
        self.assertEqual(host.events[1], ("load", T, "/plugins/taggy"))
        kind, notices = host.events[2]
        self.assertEqual(kind, "notices")
        self.assertEqual(len(notices), 3, notices)  # quarantined (once), held back, the warning
        self.assertIn("/quarantine/doomed", notices[0])
        self.assertIn("vouch refresh", notices[1])

    def test_a_host_that_can_forget_is_told_what_left_the_plugin_folder(self) -> None:
        class ForgettingHost(RecordingHost):
            def forget_plugin(self, plugin: Blocked) -> None:
                self.events.append(("forget", plugin.uuid, plugin.path))

        document = copy.deepcopy(DOCUMENT)
        document["removed"] = [{"uuid": S.replace("8", "9"), "name": "gone", "reason": "no directory"}]
        host = ForgettingHost()
        interpret(run_of(document)).apply(host)
        forgotten = [event for event in host.events if event[0] == "forget"]
        self.assertEqual(forgotten, [("forget", D, "/quarantine/doomed"), ("forget", S.replace("8", "9"), None)])

    def test_a_failure_loads_and_disables_nothing(self) -> None:
        host = RecordingHost()
        decisions = interpret(run_of({"ok": False, "error": {"code": "STATE_CORRUPT", "message": "bad", "hint": "run vouch doctor"}}, 1))
        self.assertEqual(decisions.apply(host), [])
        self.assertEqual(len(host.events), 1)
        self.assertEqual(host.events[0][0], "notices")
        self.assertIn("vouch doctor", host.events[0][1][0])
        self.assertFalse(decisions.needs_refresh)

    def test_a_failure_cannot_carry_plugins(self) -> None:
        with self.assertRaises(ValueError):
            StartupDecisions(load=(Loadable(T, "t", "/p", "trusted"),), failure=Failure("timeout", "x"))

    def test_may_load_refuses_what_is_not_a_uuid_string(self) -> None:
        decisions = interpret(run_of(DOCUMENT))
        for value in (None, 0, b"4d6e8f0a", "", "4d6e8f0a", T + " ", [T]):
            self.assertFalse(decisions.may_load(value), repr(value))  # type: ignore[arg-type]
        self.assertIsNone(decisions.loadable(D))
        self.assertEqual(decisions.loadable(T.upper()).path, "/plugins/taggy")  # type: ignore[union-attr]

    def test_state_and_age(self) -> None:
        decisions = interpret(run_of(DOCUMENT))
        self.assertEqual((decisions.blacklist_state, decisions.blacklist_age_days), ("stale", 9.0))
        self.assertTrue(decisions.needs_refresh)


class StrictReading(unittest.TestCase):
    def refused(self, document: object) -> None:
        decisions = interpret(run_of(document))
        self.assertFalse(decisions.answered, document)
        self.assertFalse(decisions.may_load(T))

    def test_every_required_entry_field_is_checked(self) -> None:
        for group, index in (("load", 0), ("disabled", 0), ("quarantined", 0), ("heldBack", 0)):
            for key in list(DOCUMENT[group][index]):  # type: ignore[index]
                with self.subTest(group=group, key=key):
                    document = copy.deepcopy(DOCUMENT)
                    del document[group][index][key]  # type: ignore[index]
                    self.refused(document)
                    document = copy.deepcopy(DOCUMENT)
                    document[group][index][key] = None  # type: ignore[index]
                    self.refused(document)

    def test_entries_must_be_objects(self) -> None:
        for group in ("load", "disabled", "quarantined", "heldBack", "removed"):
            document = copy.deepcopy(DOCUMENT)
            document[group] = ["not an object"]
            with self.subTest(group=group):
                self.refused(document)

    def test_paths_must_be_absolute_and_clean(self) -> None:
        for path in ("", "relative/dir", "./taggy", "/plugins/ta\x00ggy", "/" + "a" * 5000):
            document = copy.deepcopy(DOCUMENT)
            document["load"][0]["path"] = path  # type: ignore[index]
            with self.subTest(path=path[:20]):
                self.refused(document)

    def test_uuids_must_be_plain_lowercase_text(self) -> None:
        for uuid in ("", T.upper(), T + "\x1b[0m", "a b", "x" * 65):
            document = copy.deepcopy(DOCUMENT)
            document["load"][0]["uuid"] = uuid  # type: ignore[index]
            with self.subTest(uuid=uuid):
                self.refused(document)

    def test_uuids_must_be_canonical_ascii_uuids(self) -> None:
        # Text that reads like a blocked plugin's UUID but is not the same string would pass
        # the "one plugin, one decision" check: a load entry beside the block of its twin.
        twins = (
            D[:-1] + "\uff13",  # a fullwidth digit
            D.replace("a", "\u0430"),  # a Cyrillic a
            D[:-1] + "\u0663",  # an Arabic-Indic digit
            D + "\n",
            D.replace("-", "\u2010"),  # a Unicode hyphen
            D.replace("-", ""),
            "{" + D + "}",
            "urn:uuid:" + D,
            "not-a-uuid",
            "../../etc",
        )
        for uuid in twins:
            document = copy.deepcopy(DOCUMENT)
            document["load"][0]["uuid"] = uuid  # type: ignore[index]
            with self.subTest(uuid=uuid):
                self.refused(document)
        for group in ("disabled", "quarantined", "heldBack"):
            document = copy.deepcopy(DOCUMENT)
            document[group][0]["uuid"] = T[:-1] + "\uff11"  # type: ignore[index]
            with self.subTest(group=group):
                self.refused(document)

    def test_huge_integers_are_a_failure_never_an_exception(self) -> None:
        # An integer literal no JSON writer of Vouch's makes (more than 21 digits): before,
        # ageDays of 400 digits raised OverflowError out of interpret(), which promises not to
        # raise, and older Pythons spend quadratic time converting a long literal.
        places = (("blacklist", "ageDays"), (None, "schemaVersion"), (None, "addedLater"))
        for digits in (22, 400, 5000):
            for parent, key in places:
                document = copy.deepcopy(DOCUMENT)
                target = document if parent is None else document[parent]
                target[key] = "HUGE"  # type: ignore[index]
                text = json.dumps(document).replace('"HUGE"', "1" + "0" * (digits - 1))
                with self.subTest(digits=digits, key=key):
                    decisions = interpret(RawRun(exit_code=0, stdout=text.encode(), stderr=b""))
                    self.assertFalse(decisions.answered)
                    self.assertFalse(decisions.may_load(T))
        document = copy.deepcopy(DOCUMENT)
        document["blacklist"]["ageDays"] = 10**20  # type: ignore[index]
        self.assertTrue(interpret(run_of(document)).answered)

    def test_ages_must_be_finite_numbers(self) -> None:
        for age in (True, "1", None, [1]):
            document = copy.deepcopy(DOCUMENT)
            document["blacklist"]["ageDays"] = age  # type: ignore[index]
            with self.subTest(age=age):
                self.refused(document)
        self.assertFalse(interpret(RawRun(0, json.dumps(DOCUMENT).replace("9}", "1e999}").encode(), b"")).answered)

    def test_ok_must_be_the_boolean_true(self) -> None:
        for ok in (1, "true", None, [True]):
            document = copy.deepcopy(DOCUMENT)
            document["ok"] = ok
            with self.subTest(ok=ok):
                self.refused(document)

    def test_a_plugin_in_load_and_removed_is_a_contradiction(self) -> None:
        document = copy.deepcopy(DOCUMENT)
        document["removed"] = [{"uuid": T, "name": "taggy", "reason": "gone"}]
        self.refused(document)

    def test_a_refused_trust_level_does_not_count_as_allowed(self) -> None:
        document = copy.deepcopy(DOCUMENT)
        document["load"][0]["trust"] = "Official"  # type: ignore[index]
        decisions = interpret(run_of(document))
        self.assertTrue(decisions.answered)
        self.assertFalse(decisions.may_load(T))
        self.assertEqual([item.uuid for item in decisions.blocked_in("refused")], [T])

    def test_long_lists_of_files_are_bounded(self) -> None:
        document = copy.deepcopy(DOCUMENT)
        document["disabled"][0]["files"] = [f"f{i}.py" for i in range(10000)]  # type: ignore[index]
        decisions = read_document(document)
        self.assertEqual(len(decisions.to_disable[0].files), 100)

    def test_long_names_are_cut_for_display(self) -> None:
        document = copy.deepcopy(DOCUMENT)
        document["load"][0]["name"] = "n" * 5000  # type: ignore[index]
        decisions = read_document(document)
        self.assertEqual(len(decisions.load[0].name), 100)

    def test_an_error_document_with_the_wrong_shape_is_still_a_failure(self) -> None:
        for document in ({"ok": False}, {"ok": False, "error": "x"}, {"ok": False, "error": {"code": 1, "message": "m"}}, DOCUMENT):
            decisions = interpret(run_of(document, 1))
            with self.subTest(document=str(document)[:40]):
                self.assertEqual(decisions.failure.code if decisions.failure else None, "exit-code")


class BlockDetails(unittest.TestCase):
    def test_notices_carry_advice_link_and_the_soft_choice(self) -> None:
        document = copy.deepcopy(DOCUMENT)
        document["disabled"][0].update(
            severity="hard", incident="https://registry.example/incidents/7", advice="Rotate tokens."
        )
        document["quarantined"][0].update(
            severity="hard", incident="https://registry.example/incidents/7", advice="Rotate tokens."
        )
        document["disabled"].append(
            {"uuid": S.replace("8b", "9b", 1), "name": "meh", "reason": "Under review",
             "kind": "blacklist", "severity": "soft"}
        )
        notices = read_document(document).notices()
        self.assertIn(
            "doomed was quarantined (files moved to /quarantine/doomed): Malware"
            " Advice: Rotate tokens. Incident: https://registry.example/incidents/7",
            notices,
        )
        self.assertIn(
            "meh was disabled: Under review You may enable it again after reading this.", notices
        )

    def test_every_soft_entry_that_matched_is_named(self) -> None:
        document = copy.deepcopy(DOCUMENT)
        document["disabled"].append(
            {"uuid": S.replace("8b", "9b", 1), "name": "meh", "reason": "Under review",
             "kind": "blacklist", "severity": "soft",
             "alsoSoftReasons": ["Phones\u001b[2J home", "Slow"]}
        )
        decisions = read_document(document)
        meh = [item for item in decisions.blocked if item.name == "meh"][0]
        self.assertEqual(meh.also_soft_reasons, ("Phones home", "Slow"))
        self.assertIn(
            "meh was disabled: Under review Also not recommended: Phones home."
            " Also not recommended: Slow. You may enable it again after reading this.",
            decisions.notices(),
        )

    def test_wrongly_typed_fields_break_the_document(self) -> None:
        for key, value in (
            ("severity", 1), ("incident", ["x"]), ("advice", None),
            ("alsoSoftReasons", "x"), ("alsoSoftReasons", [1]),
        ):
            document = copy.deepcopy(DOCUMENT)
            document["disabled"][0][key] = value
            decisions = interpret(run_of(document))
            self.assertFalse(decisions.answered, key)
            self.assertEqual(decisions.failure.code if decisions.failure else None, "invalid-document")

    def test_only_web_links_are_kept(self) -> None:
        for link, kept in (
            ("https://registry.example/i/1", True),
            ("http://127.0.0.1:8080/incidents/1", True),
            ("http://localhost.evil.example/i/1", False),
            ("http://registry.example/i/1", False),
            ("javascript:alert(1)", False),
            ("file:///etc/passwd", False),
        ):
            document = copy.deepcopy(DOCUMENT)
            document["disabled"][0]["incident"] = link
            item = read_document(document).blocked_in("disabled")[0]
            self.assertEqual(item.incident, link if kept else None, link)


if __name__ == "__main__":
    unittest.main()
