"""One write transaction at a time on SQLite.

The site's handler, the push channels' handler and the page builder all write
to the same database from one process. SQLite has a single writer: with
several write transactions open at once, the losers sleep and poll in SQLite's
busy handler (handing the lock on late) and, when the process is short of CPU,
fail with "database is locked" once ``busy_timeout`` runs out, which leaves
their batch pending until it is claimed again, 30 s later. Waiting on an
asyncio lock instead hands the database on the moment the holder commits and
never times out. PostgreSQL has row locks and many writers: no gate there.
"""

from __future__ import annotations

import asyncio
from contextlib import AbstractAsyncContextManager, nullcontext


def write_gate(database_url: str) -> AbstractAsyncContextManager[object]:
    """What each of this process's write transactions holds while it runs."""
    return asyncio.Lock() if database_url.startswith("sqlite") else nullcontext()
