"""The bridge's own files (``file`` handlers) with the permission bits of the config's ``files`` section,
as the TypeScript SDK creates its files: ``mode`` for files, ``dir_mode`` for the directories created."""

from __future__ import annotations

import logging.handlers
import os
from typing import Any


def make_dirs(path: str, mode: int) -> None:
    """Creates the missing directories of ``path`` with ``mode`` (``files.dir_mode``, umask aside)."""
    missing = []
    p = os.path.abspath(path)
    while not os.path.isdir(p):
        missing.append(p)
        parent = os.path.dirname(p)
        if parent == p:
            break
        p = parent
    for d in reversed(missing):
        try:
            os.mkdir(d, mode)
            os.chmod(d, mode)
        except FileExistsError:
            pass


class ModeRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating file handler whose files are created with ``files.mode`` (the TypeScript SDK's rule),
    not the umask's default; a file that exists keeps its bits."""

    def __init__(self, file_mode: int, *args: Any, **kwargs: Any) -> None:
        self._file_mode = file_mode
        super().__init__(*args, **kwargs)

    def _open(self):  # type: ignore[no-untyped-def]
        mode = self._file_mode

        def opener(path: str, flags: int) -> int:
            created = not os.path.exists(path)
            fd = os.open(path, flags, mode)
            if created:
                os.fchmod(fd, mode)
            return fd

        return open(self.baseFilename, self.mode, encoding=self.encoding, errors=self.errors, opener=opener)
