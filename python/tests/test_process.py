"""Running the check: real child processes that hang, flood, crash or are missing."""

from __future__ import annotations

import json
import os
import tempfile
import unittest
from pathlib import Path

from vouch_adapter import check, startup_check_argv
from vouch_adapter.process import run_bounded

from .fakes import fake_vouch, read_pid, wait_until_gone

GOOD = {
    "ok": True,
    "schemaVersion": 1,
    "load": [{"uuid": "4d6e8f0a-1b2c-4d3e-9f4a-5b6c7d8e9f01", "name": "taggy", "path": "/p/taggy", "trust": "trusted"}],
    "disabled": [],
    "quarantined": [],
    "heldBack": [],
    "removed": [],
    "warnings": [],
    "blacklist": {"state": "fresh"},
}
TAGGY = "4d6e8f0a-1b2c-4d3e-9f4a-5b6c7d8e9f01"


@unittest.skipUnless(os.name == "posix", "the fakes are POSIX scripts")
class RunningTheCheck(unittest.TestCase):
    def setUp(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="vouch-adapter-"))

    def test_a_good_answer_is_read(self) -> None:
        vouch = fake_vouch(f"sys.stdout.write({json.dumps(json.dumps(GOOD))})", str(self.dir))
        decisions = check([vouch], timeout=600)
        self.assertTrue(decisions.answered, decisions.failure)
        self.assertTrue(decisions.may_load(TAGGY))
        self.assertFalse(decisions.may_load("5e7f9a1b-2c3d-4e4f-8a5b-6c7d8e9f0a12"))

    def test_arguments_are_passed_as_a_list_without_a_shell(self) -> None:
        record = self.dir / "argv.json"
        vouch = fake_vouch(
            f"open({str(record)!r}, 'w').write(json.dumps(sys.argv[1:]))\nsys.stdout.write({json.dumps(json.dumps(GOOD))})",
            str(self.dir),
        )
        profile = str(self.dir / "my profile; rm -rf ~.toml")
        decisions = check([vouch], profile=profile, registry="$(touch pwned)", timeout=600)
        self.assertTrue(decisions.answered, decisions.failure)
        self.assertEqual(
            json.loads(record.read_text()),
            ["startup-check", "--json", "--profile", profile, "--registry", "$(touch pwned)"],
        )
        self.assertFalse((self.dir / "pwned").exists())
        with self.assertRaises(TypeError):
            startup_check_argv("vouch")  # type: ignore[arg-type]

    def test_the_environment_and_directory_are_the_hosts_choice(self) -> None:
        vouch = fake_vouch(
            "assert os.environ.get('VOUCH_PROFILE') == 'picard' and os.getcwd() == sys.argv[0].rsplit('/', 1)[0]\n"
            f"sys.stdout.write({json.dumps(json.dumps(GOOD))})",
            str(self.dir),
        )
        decisions = check(
            [vouch],
            env={"VOUCH_PROFILE": "picard", "PATH": os.environ.get("PATH", "")},
            cwd=str(self.dir),
            timeout=600,
        )
        self.assertTrue(decisions.answered, decisions.failure)

    def test_a_missing_executable_loads_nothing(self) -> None:
        decisions = check([str(self.dir / "no-such-vouch")])
        self.assertFalse(decisions.answered)
        assert decisions.failure is not None
        self.assertEqual(decisions.failure.code, "not-found")
        self.assertFalse(decisions.may_load(TAGGY))

    def test_a_file_that_is_not_executable_loads_nothing(self) -> None:
        path = self.dir / "vouch"
        path.write_text("not a program")
        decisions = check([str(path)])
        self.assertEqual(decisions.failure.code if decisions.failure else None, "not-found")

    def test_a_hanging_check_is_killed_and_loads_nothing(self) -> None:
        pid_file = self.dir / "pid"
        vouch = fake_vouch(f"open({str(pid_file)!r}, 'w').write(str(os.getpid()))\ntime.sleep(100000)", str(self.dir))
        decisions = check([vouch], timeout=1)
        self.assertEqual(decisions.failure.code if decisions.failure else None, "timeout")
        self.assertEqual(decisions.load, ())
        self.assertTrue(wait_until_gone(read_pid(pid_file)), "the hanging process was not killed")

    def test_a_check_that_prints_a_good_answer_then_hangs_is_not_trusted(self) -> None:
        vouch = fake_vouch(f"sys.stdout.write({json.dumps(json.dumps(GOOD))})\nsys.stdout.flush()\ntime.sleep(100000)", str(self.dir))
        decisions = check([vouch], timeout=1)
        self.assertEqual(decisions.failure.code if decisions.failure else None, "timeout")
        self.assertFalse(decisions.may_load(TAGGY))

    def test_a_child_left_holding_the_output_open_is_killed_too(self) -> None:
        child_pid = self.dir / "child"
        vouch = fake_vouch(
            "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(100000)'])\n"
            f"open({str(child_pid)!r}, 'w').write(str(child.pid))\n"
            f"sys.stdout.write({json.dumps(json.dumps(GOOD))})\nsys.stdout.flush()\nos._exit(0)",
            str(self.dir),
        )
        decisions = check([vouch], timeout=1)
        # The answer is complete only when the output ends; a child still writing could add to it.
        self.assertEqual(decisions.failure.code if decisions.failure else None, "timeout")
        self.assertTrue(wait_until_gone(read_pid(child_pid)), "the child was left running")

    def test_endless_output_is_cut_off_and_loads_nothing(self) -> None:
        pid_file = self.dir / "pid"
        vouch = fake_vouch(
            f"open({str(pid_file)!r}, 'w').write(str(os.getpid()))\nsys.stdout.write('[')\nwhile True: sys.stdout.write('0,' * 65536)",
            str(self.dir),
        )
        decisions = check([vouch], max_output_bytes=256 * 1024, timeout=600)
        self.assertEqual(decisions.failure.code if decisions.failure else None, "output-too-large")
        self.assertTrue(wait_until_gone(read_pid(pid_file)))

    def test_endless_stderr_does_not_block_or_fill_memory(self) -> None:
        vouch = fake_vouch(
            f"sys.stderr.write('x' * (4 * 1024 * 1024))\nsys.stdout.write({json.dumps(json.dumps(GOOD))})",
            str(self.dir),
        )
        run = run_bounded([vouch], timeout=600)
        self.assertEqual(run.exit_code, 0)
        self.assertLessEqual(len(run.stderr), 64 * 1024)
        self.assertTrue(check([vouch], timeout=600).answered)

    def test_a_crash_with_a_message_loads_nothing_and_says_why(self) -> None:
        vouch = fake_vouch("sys.stderr.write('\\x1b[31mboom\\x1b[0m\\n')\nsys.exit(70)", str(self.dir))
        decisions = check([vouch], timeout=600)
        assert decisions.failure is not None
        self.assertEqual((decisions.failure.code, decisions.failure.exit_code), ("exit-code", 70))
        self.assertIn("boom", decisions.failure.message)
        self.assertNotIn("\x1b", decisions.notices()[0])

    def test_bad_bounds_are_refused(self) -> None:
        with self.assertRaises(ValueError):
            run_bounded(["true"], timeout=0)
        with self.assertRaises(ValueError):
            run_bounded(["true"], max_stdout_bytes=0)


if __name__ == "__main__":
    unittest.main()
