"""Runs ``vouch startup-check --json`` as a child process, bounded in time and in output.

Everything here is about getting the raw answer safely; what it means is ``contract.py``'s job.
The process runs without a shell (an argument list, so no plugin or path text is ever parsed
by one), in its own process group on POSIX so that a timeout ends whatever it started too (git,
for instance), and its output is read through a fixed budget so a runaway process cannot fill
the host's memory.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from typing import IO, List, Mapping, Optional, Sequence

DEFAULT_TIMEOUT_SECONDS = 60.0
# A startup-check document is a few hundred bytes per plugin; 8 MiB is thousands of plugins.
DEFAULT_MAX_STDOUT_BYTES = 8 * 1024 * 1024
# Stderr is only kept for a diagnostic line, so only its start is read into memory.
MAX_STDERR_BYTES = 64 * 1024
_CHUNK = 64 * 1024
# After a kill, how long to wait for the process to be reaped and its pipes to close.
_REAP_SECONDS = 10.0


@dataclass(frozen=True)
class RawRun:
    """What the process did: its exit code (None when it did not end by itself) and output."""

    exit_code: Optional[int]
    stdout: bytes
    stderr: bytes
    timed_out: bool = False
    stdout_too_large: bool = False
    # The executable could not be started (missing, not executable): the OS error, sanitised later.
    start_error: Optional[str] = None


class _BoundedReader(threading.Thread):
    """Drains one pipe; keeps at most ``limit`` bytes and notes whether more arrived."""

    def __init__(self, stream: IO[bytes], limit: int, on_overflow: Optional[threading.Event]):
        super().__init__(daemon=True)
        self._stream = stream
        self._limit = limit
        self._on_overflow = on_overflow
        self.chunks: List[bytes] = []
        self.size = 0
        self.overflowed = False

    def run(self) -> None:
        try:
            while True:
                chunk = os.read(self._stream.fileno(), _CHUNK)
                if not chunk:
                    return
                room = self._limit - self.size
                if len(chunk) > room:
                    self.chunks.append(chunk[:room])
                    self.size = self._limit
                    if not self.overflowed:
                        self.overflowed = True
                        if self._on_overflow is not None:
                            self._on_overflow.set()
                    # Keep draining (and dropping) so the child never blocks on a full pipe.
                    continue
                self.chunks.append(chunk)
                self.size += len(chunk)
        except (OSError, ValueError):
            return
        finally:
            try:
                self._stream.close()
            except OSError:
                pass

    def data(self) -> bytes:
        return b"".join(self.chunks)


def _join(thread: threading.Thread, seconds: float) -> None:
    """Waits up to ``seconds`` for ``thread`` by polling with short relative sleeps.

    Not ``Thread.join(timeout)``: its timed wait never returned under libfaketime (which the
    tests use to check that nothing depends on the date), and a host may run under such tools
    too. Short relative sleeps behave the same everywhere.
    """
    deadline = time.monotonic() + max(seconds, 0.0)
    while thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.01)


def _kill_tree(process: subprocess.Popen) -> None:  # type: ignore[type-arg]
    """Ends the process and, on POSIX, everything in its process group."""
    if os.name == "posix":
        try:
            os.killpg(process.pid, signal.SIGKILL)
            return
        except (ProcessLookupError, PermissionError, OSError):
            pass
    try:
        process.kill()
    except OSError:
        pass


def run_bounded(
    argv: Sequence[str],
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    max_stdout_bytes: int = DEFAULT_MAX_STDOUT_BYTES,
    env: Optional[Mapping[str, str]] = None,
    cwd: Optional[str] = None,
) -> RawRun:
    """Runs ``argv`` with stdin closed; kills it at ``timeout`` seconds or past the output bound."""
    if timeout <= 0:
        raise ValueError("timeout must be positive")
    if max_stdout_bytes <= 0:
        raise ValueError("max_stdout_bytes must be positive")
    try:
        process = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=dict(env) if env is not None else None,
            cwd=cwd,
            shell=False,
            start_new_session=(os.name == "posix"),
        )
    except (OSError, ValueError) as error:
        return RawRun(None, b"", b"", start_error=f"{type(error).__name__}: {error}")

    overflow = threading.Event()
    assert process.stdout is not None and process.stderr is not None
    out_reader = _BoundedReader(process.stdout, max_stdout_bytes, overflow)
    err_reader = _BoundedReader(process.stderr, MAX_STDERR_BYTES, None)
    out_reader.start()
    err_reader.start()

    timed_out = False
    exit_code: Optional[int] = None
    # Wait for the exit or an overflow, whichever comes first, in short steps.
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            timed_out = True
            break
        try:
            exit_code = process.wait(timeout=min(remaining, 0.05))
            break
        except subprocess.TimeoutExpired:
            if overflow.is_set():
                break
    if exit_code is None:
        _kill_tree(process)
        try:
            process.wait(timeout=_REAP_SECONDS)
        except subprocess.TimeoutExpired:
            pass
    else:
        # The process is gone, but a child it left behind may still hold the pipes open: give the
        # readers until the deadline, then end the group so the host is never stuck here.
        _join(out_reader, deadline - time.monotonic())
        _join(err_reader, deadline - time.monotonic())
        if out_reader.is_alive() or err_reader.is_alive():
            timed_out = True
            _kill_tree(process)
    _join(out_reader, _REAP_SECONDS)
    _join(err_reader, _REAP_SECONDS)
    too_large = out_reader.overflowed
    return RawRun(
        exit_code=None if timed_out else exit_code,
        stdout=out_reader.data(),
        stderr=err_reader.data(),
        timed_out=timed_out,
        stdout_too_large=too_large,
    )


