"""Fake ``vouch`` executables for the process tests: real processes, each misbehaving one way."""

from __future__ import annotations

import os
import stat
import sys
import tempfile
import time
from pathlib import Path
from typing import Optional


def fake_vouch(body: str, directory: Optional[str] = None) -> str:
    """Writes an executable Python script (run by this interpreter) and returns its path."""
    folder = Path(directory or tempfile.mkdtemp(prefix="vouch-fake-"))
    path = folder / "vouch"
    path.write_text(f"#!{sys.executable}\nimport os, sys, time, json, subprocess\n{body}\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def process_gone(pid: int) -> bool:
    """True when the process no longer runs (a zombie waiting for its parent counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat_file:
            return stat_file.read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return False


def wait_until_gone(pid: int) -> bool:
    """A killed process may take a moment to be reaped; this waits for it, not for a deadline
    the test cares about (the bound only keeps a broken kill from hanging the suite)."""
    for _ in range(600):
        if process_gone(pid):
            return True
        time.sleep(0.05)
    return process_gone(pid)


def read_pid(path: Path) -> int:
    for _ in range(600):
        text = path.read_text(encoding="ascii") if path.exists() else ""
        if text.strip():
            return int(text)
        time.sleep(0.05)
    raise AssertionError(f"no pid written to {path}")
