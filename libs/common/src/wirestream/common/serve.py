"""Run a service's ASGI factory with uvicorn (``python -m wirestream.<service>``)."""

from __future__ import annotations

import uvicorn

from .settings import ServiceSettings


def serve(factory: str, settings: ServiceSettings) -> None:
    """Serve ``factory`` on the configured host and port with graceful shutdown."""
    uvicorn.run(
        factory,
        factory=True,
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=int(settings.graceful_timeout_s),
        loop="uvloop" if has_uvloop() else "asyncio",
    )


def has_uvloop() -> bool:
    try:
        import uvloop  # noqa: F401
    except ImportError:
        return False
    return True
