"""Cancellation that a client library swallowed still stops a background loop.

When a task is cancelled while it waits on Redis or the database, the client may
turn the ``CancelledError`` into its own connection error. A loop that retries
on those errors would then carry on forever and hold up shutdown. Call
:func:`reraise_if_cancelling` in such ``except`` blocks: the task still knows
it was asked to stop (``Task.cancelling()``), so the loop stops too.
"""

from __future__ import annotations

import asyncio


def reraise_if_cancelling() -> None:
    """Raise ``CancelledError`` when the current task has a pending cancellation request."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError
