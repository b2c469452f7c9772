"""What a translation engine looks like to enrich, its errors, and which one to use."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import httpx

from ..settings import EnrichSettings

# Answers that retrying the same request cannot change.
_PERMANENT_STATUS = frozenset({400, 404, 413, 422})


class TranslationError(Exception):
    """A translation attempt failed; ``permanent`` failures are not retried."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class Backend(Protocol):
    """A translation engine. Every text handed to it is an HTML fragment."""

    engine: str  # recorded with each translation, e.g. "libretranslate", "openai:gpt-4o-mini"

    def unavailable(self) -> str | None:
        """Why the engine cannot be used at all (None when it can)."""
        ...

    async def translate(self, fragments: Sequence[str], *, source: str,
                        target: str) -> list[str]:
        """``fragments`` translated from ``source`` to ``target``, tags kept, in order."""
        ...

    async def aclose(self) -> None: ...


def check_status(response: httpx.Response, engine: str) -> None:
    """Raise :class:`TranslationError` for a non-2xx answer (4xx that cannot change: permanent)."""
    if response.is_success:
        return
    detail = response.text[:300].replace("\n", " ")
    raise TranslationError(f"{engine} answered {response.status_code}: {detail}",
                           permanent=response.status_code in _PERMANENT_STATUS)


async def post_json(client: httpx.AsyncClient, url: str, body: dict[str, object], *,
                    engine: str, headers: dict[str, str] | None = None) -> object:
    """POST ``body`` and return the decoded answer; transport failures are retryable."""
    try:
        response = await client.post(url, json=body, headers=headers)
    except httpx.TimeoutException as exc:
        raise TranslationError(f"{engine} timed out: {exc!r}") from exc
    except httpx.HTTPError as exc:
        raise TranslationError(f"{engine} unreachable: {exc!r}") from exc
    check_status(response, engine)
    try:
        return response.json()
    except ValueError as exc:
        raise TranslationError(f"{engine} answered with invalid JSON") from exc


def create_backend(settings: EnrichSettings) -> Backend | None:
    """The engine the settings choose, or None when translation is off."""
    timeout = settings.translation_timeout_s
    if settings.translation_backend == "libretranslate":
        from .libretranslate import LibreTranslate

        key = settings.libretranslate_api_key
        return LibreTranslate(settings.libretranslate_url,
                              api_key=key.get_secret_value() if key else None, timeout=timeout)
    if settings.translation_backend == "openai":
        from .openai_chat import OpenAIChat

        key = settings.openai_api_key
        return OpenAIChat(settings.openai_url, model=settings.openai_model,
                          api_key=key.get_secret_value() if key else None, timeout=timeout)
    if settings.translation_backend == "argos":
        from .argos import ArgosTranslate

        return ArgosTranslate()
    return None
