"""Who holds a lock, precisely enough to tell whether that process still lives.

A pid alone is not enough: after a crash the number is soon reused by an unrelated process, and
the lock would then be held by nobody for ever. Linux gives each process a start time
(/proc/PID/stat, field 22, in clock ticks since boot) and each boot an id
(/proc/sys/kernel/random/boot_id): host, pid and "boot id:start ticks" together name one process
once. Where /proc is missing the start is None, and only the pid is checked.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
BOOT_ID = PROC / "sys" / "kernel" / "random" / "boot_id"
STARTTIME_FIELD = 22  # man 5 proc: (22) starttime, counted from field 1 = pid
ZOMBIE_STATES = ("Z", "X")  # exited; only the process table entry is left
FIELDS_BEFORE_STATE = 2  # pid and (comm) precede field 3 in /proc/PID/stat


def process_start(pid: int) -> str | None:
    """'<boot id>:<start ticks>' of `pid`, or None when it does not exist or /proc is missing."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
        boot = BOOT_ID.read_text().strip()
    except OSError:
        return None
    # comm (field 2) may hold spaces and parentheses: split after its closing one.
    fields = stat[stat.rindex(")") + 2 :].split()
    return f"{boot}:{fields[STARTTIME_FIELD - FIELDS_BEFORE_STATE - 1]}"


def pid_exists(pid: int) -> bool:
    """True while `pid` runs; a zombie (exited, not yet reaped by its new parent) does not."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        pass
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return True  # no /proc: the signal test is all we have
    return stat[stat.rindex(")") + 2 :].split()[0] not in ZOMBIE_STATES


@dataclass(frozen=True)
class ProcessIdentity:
    host: str
    pid: int
    started: str | None

    @classmethod
    def current(cls) -> ProcessIdentity:
        pid = os.getpid()
        return cls(socket.gethostname(), pid, process_start(pid))

    @property
    def local(self) -> bool:
        return self.host == socket.gethostname()

    def alive(self) -> bool:
        """True unless this (local) process is certainly gone; a remote one counts as alive."""
        if not self.local:
            return True
        if not pid_exists(self.pid):
            return False
        return self.started is None or process_start(self.pid) == self.started
