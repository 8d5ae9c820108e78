"""Keep the analysis worker process from outliving the crawl process that started it.

A ProcessPoolExecutor worker waits on a queue whose both ends it holds, so it never sees the
crawl process die: a crawl killed with SIGKILL (a time limit, an operator, the OOM killer) would
leave its worker running for ever, holding the terminal's or the scheduler's output pipes open.
"""

from __future__ import annotations

import os
import threading
import time

PARENT_POLL_SECONDS = 0.5


def exit_with_parent(parent_pid: int) -> None:
    """Executor initializer: end this worker as soon as its parent is gone (it is re-parented)."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
