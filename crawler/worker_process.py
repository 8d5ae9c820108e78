"""Keep a crawl's processes from outliving the process that started them.

Two places need it. The crawl child is started by `clusterwatch crawl` (or the scheduler) in its
own session, so a terminal's Ctrl-C reaches only the parent; a parent killed with SIGKILL would
then leave the crawl running, writing its run beside the next night's. The analysis worker, a
ProcessPoolExecutor process, waits on a queue whose both ends it holds, so it never sees the
crawl process die either.

Two mechanisms, because either alone has a gap: on Linux the kernel sends SIGKILL the moment the
parent dies (prctl PR_SET_PDEATHSIG; it is set after the fork, so a parent that died before that
is caught by comparing getppid() once), and everywhere a watchdog thread polls getppid() and
kills the process's own group when it changes (the process was re-parented).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time

PARENT_POLL_SECONDS = 0.5
PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _set_parent_death_signal() -> None:
    """Ask Linux to SIGKILL us when our parent dies; a no-op elsewhere."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")


def _die(kill_group: bool) -> None:
    if kill_group and os.getpgid(0) == os.getpid():  # our own group: take our workers along
        os.killpg(0, signal.SIGKILL)
    os._exit(1)


def die_with_parent(parent_pid: int, *, kill_group: bool = False) -> None:
    """End this process (and, with `kill_group`, its process group) as soon as `parent_pid` dies."""
    _set_parent_death_signal()
    if os.getppid() != parent_pid:  # the parent died before the kernel was told to watch it
        _die(kill_group)

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(PARENT_POLL_SECONDS)
        _die(kill_group)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def exit_with_parent(parent_pid: int) -> None:
    """Executor initializer: end this worker as soon as its parent, the crawl process, is gone."""
    die_with_parent(parent_pid)
