"""One change to FastStream's Redis stream subscribers, installed by :class:`~.bus.Bus`.

FastStream 0.7's stream subscriber builds its ``stream_sub`` (stream name, group,
consumer, options) with ``deepcopy`` and the broker prefix on every access, and
it reads that property several times per read and per message (the XREADGROUP
arguments, the log context, the ack). Each copy costs ~50 us; on a subscription
that reads a few events at a time it was the largest part of FastStream's
overhead per read. The copy depends only on the subscriber's ``StreamSub`` and
the prefix, neither of which changes once the subscriber runs, so it is made
once per (``StreamSub``, prefix) and kept. FastStream never assigns to the copy.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)
_installed = False


def install() -> None:
    """Cache ``stream_sub`` on FastStream's stream subscribers (idempotent)."""
    global _installed
    if _installed:
        return
    from faststream.redis.subscriber.usecases import stream_subscriber as module

    mixin = getattr(module, "_StreamHandlerMixin", None)
    original = getattr(mixin, "stream_sub", None) if mixin is not None else None
    if not isinstance(original, property) or original.fget is None:
        log.warning("FastStream's stream subscriber changed; stream_sub is not cached")
        _installed = True
        return
    copy_with_prefix = original.fget

    def stream_sub(self: Any) -> Any:
        key = (id(self._stream_sub), self._outer_config.prefix)
        cached = self.__dict__.get("_wirestream_stream_sub")
        if cached is None or cached[0] != key:
            cached = (key, copy_with_prefix(self))
            self.__dict__["_wirestream_stream_sub"] = cached
        return cached[1]

    mixin.stream_sub = property(stream_sub, doc=original.__doc__)  # type: ignore[union-attr]
    _installed = True
