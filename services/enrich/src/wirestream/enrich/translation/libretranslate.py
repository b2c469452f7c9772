"""LibreTranslate's HTTP API: ``POST /translate`` with ``q`` (a list), ``source``,
``target``, ``format=html`` and ``api_key``; the answer's ``translatedText``
is a list in the same order."""

from __future__ import annotations

from collections.abc import Sequence

import httpx

from .backend import TranslationError, post_json


class LibreTranslate:
    engine = "libretranslate"

    def __init__(self, url: str, *, api_key: str | None = None, timeout: float = 60.0,
                 client: httpx.AsyncClient | None = None) -> None:
        self.url = url.rstrip("/") + "/translate"
        self.api_key = api_key
        self.client = client or httpx.AsyncClient(timeout=timeout)

    def unavailable(self) -> str | None:
        return None  # a server that is down is a transient failure, retried per job

    async def translate(self, fragments: Sequence[str], *, source: str,
                        target: str) -> list[str]:
        body: dict[str, object] = {"q": list(fragments), "source": source, "target": target,
                                   "format": "html"}
        if self.api_key:
            body["api_key"] = self.api_key
        data = await post_json(self.client, self.url, body, engine=self.engine)
        out = data.get("translatedText") if isinstance(data, dict) else None
        if isinstance(out, str):
            out = [out]
        if not isinstance(out, list) or len(out) != len(fragments) or not all(
                isinstance(t, str) for t in out):
            raise TranslationError(f"{self.engine}: unexpected answer {str(data)[:200]}")
        return out

    async def aclose(self) -> None:
        await self.client.aclose()
