"""Loads the shared test vectors (test/vectors/ at the repository root) for the Python tests."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any, Dict, List, Tuple

from vouch_adapter.process import RawRun

REPO_ROOT = Path(__file__).resolve().parents[2]
VECTOR_DIR = REPO_ROOT / "test" / "vectors"
# Extra directories of startup-check vectors (os.pathsep-separated), written by the slow
# TypeScript test from real `vouch startup-check --json` runs.
EXTRA_DIRS_VARIABLE = "VOUCH_EXTRA_VECTOR_DIRS"


def load_vectors(directory: Path) -> List[Tuple[str, Dict[str, Any]]]:
    return [
        (path.name, json.loads(path.read_text(encoding="utf-8")))
        for path in sorted(directory.glob("*.json"))
    ]


def extra_vector_dirs() -> List[Path]:
    value = os.environ.get(EXTRA_DIRS_VARIABLE, "")
    return [Path(part) for part in value.split(os.pathsep) if part]


def raw_run_of(vector: Dict[str, Any]) -> RawRun:
    run = vector["run"]
    if "document" in run:
        stdout = json.dumps(run["document"]).encode("utf-8")
    elif "stdoutBase64" in run:
        stdout = base64.b64decode(run["stdoutBase64"])
    else:
        stdout = run.get("stdout", "").encode("utf-8", "surrogatepass")
    timed_out = bool(run.get("timedOut", False))
    return RawRun(
        exit_code=None if timed_out else run.get("exitCode"),
        stdout=stdout,
        stderr=b"",
        timed_out=timed_out,
        stdout_too_large=bool(run.get("stdoutTooLarge", False)),
        start_error=run.get("startError"),
    )
