"""Pages shared by many articles are rendered once per round, and served from memory."""

from __future__ import annotations

from typing import Any

import pytest

from wirestream.publish.render import Renderer

from .conftest import PUTIN, enriched


async def test_a_burst_renders_each_shared_page_once_per_round(
        publish_with: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    original = Renderer.home

    def counting(self: Renderer, latest: Any, top: Any, language: str) -> str:
        calls.append(language)
        return original(self, latest, top, language)

    monkeypatch.setattr(Renderer, "home", counting)
    async with publish_with(build_debounce_s=0.3) as publish:
        await publish.settle()
        calls.clear()
        burst = [enriched(tags=(PUTIN,), headline=f"Burst {n}") for n in range(40)]
        await publish.publish(*burst)
        await publish.settle()
        home = (await publish.get("/en/")).text
        assert all(f"/en/articles/{e.article.article_id}" in home for e in burst[-30:])
        # Front pages ("en" and the all-language root): once each per round, not per article.
        assert 2 <= len(calls) <= 6, calls
        assert publish.app.state.builder.rounds <= 4


async def test_the_page_cache_never_serves_a_page_this_replica_replaced(
        publish_with: Any) -> None:
    async with publish_with(page_cache_s=60.0) as publish:
        first = enriched(headline="Before")
        url = f"/en/articles/{first.article.article_id}"
        await publish.publish(first)
        await publish.page(url)
        from .conftest import updated

        await publish.publish(updated(first, headline="After"))
        await publish.settle()
        assert "After" in (await publish.get(url)).text
        assert "After" in (await publish.get("/en/")).text
