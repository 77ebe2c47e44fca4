"""SIGTERM flushes the bridge before the process ends, as the TypeScript SDK's exit handling does.

Python's default SIGTERM action ends the process at once: no ``atexit``, so the records and the step's
batch still queued in the bridge (and the OTel SDK's export queues) would be lost whenever a scheduler,
``kill`` or a container runtime stops a trainer. The handler shuts the bridge down (bounded by its
timeout), puts the previous handler back and then does what that handler would have done: calls it when
it is a Python function (chained, e.g. a trainer's own handler), ends the process by the signal when it
was the default action (so the exit status still says "killed by SIGTERM"), nothing when it was ignored.
Installed by ``initialize(handle_exit=True)`` (the default) from the main thread only; ``handle_exit=False``
opts out."""

from __future__ import annotations

import os
import signal
import threading
from typing import Any, Callable, Optional

_Handler = Any  # a callable, signal.SIG_DFL, signal.SIG_IGN or None (not set from Python)


class SigtermFlush:
    """The installed handler; :meth:`uninstall` puts the previous one back if ours is still in place."""

    def __init__(self, flush: Callable[[], None], signum: int = signal.SIGTERM) -> None:
        self._flush = flush
        self._signum = signum
        self._previous: _Handler = None
        self.installed = False

    def install(self) -> bool:
        if threading.current_thread() is not threading.main_thread():
            return False
        try:
            self._previous = signal.signal(self._signum, self._handle)
        except (ValueError, OSError):  # not the main interpreter, or the signal cannot be caught
            return False
        self.installed = True
        return True

    def uninstall(self) -> None:
        if not self.installed:
            return
        self.installed = False
        if threading.current_thread() is not threading.main_thread():
            return
        try:
            if signal.getsignal(self._signum) == self._handle:
                signal.signal(self._signum, self._previous if self._previous is not None else signal.SIG_DFL)
        except (ValueError, OSError):
            pass

    def _handle(self, signum: int, frame: Optional[Any]) -> None:
        previous = self._previous
        try:
            self._flush()
        finally:
            self.uninstall()
            if callable(previous):
                previous(signum, frame)
            elif previous == signal.SIG_IGN:
                pass
            else:  # the default action (or a handler not set from Python): end the process by the signal
                signal.signal(signum, signal.SIG_DFL)
                os.kill(os.getpid(), signum)
