"""Translations through each engine's real client, against local servers speaking its API."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from wirestream.common.events import ArticleIngested, ArticleKilled, ArticleUpdated
from wirestream.common.testing import eventually
from wirestream.enrich.models import TranslationJob
from wirestream.enrich.translation.article import MACHINE_TRANSLATION, translation_id
from wirestream.enrich.translation.htmltext import tag_outline

from .fake_engines import FakeEngine, fake_translate
from .items import RT_CALL, XINHUA_CALL, article

FAST_RETRY = {"translation_poll_s": 0.05, "translation_backoff_s": 0.2,
              "translation_timeout_s": 2.0}


@pytest.fixture
def libretranslate() -> Iterator[FakeEngine]:
    engine = FakeEngine("libretranslate").start()
    yield engine
    engine.stop()


@pytest.fixture
def openai() -> Iterator[FakeEngine]:
    engine = FakeEngine("openai").start()
    yield engine
    engine.stop()


def of_type(events: list[dict[str, Any]], event_type: str) -> list[dict[str, Any]]:
    return [e for e in events if e["event_type"] == event_type]


async def jobs(e: Any) -> list[TranslationJob]:
    async with e.runtime.sessions() as session:
        return list((await session.scalars(sa.select(TranslationJob))).all())


async def test_libretranslate_translation_follows_the_original_with_provenance(  # type: ignore[no-untyped-def]
        enrich, libretranslate: FakeEngine) -> None:
    xh = article(XINHUA_CALL)
    async with enrich(translation_backend="libretranslate", libretranslate_url=libretranslate.url,
                      libretranslate_api_key="test-key", **FAST_RETRY) as e:
        await e.publish(ArticleIngested(article=xh))
        await e.wait_for(lambda ev: of_type(ev, "article.translated"))
        entries = await e.entries()
    types = [x["event_type"] for _, x in entries]
    assert types.index("article.enriched") < types.index("article.translated")
    enriched = of_type([x for _, x in entries], "article.enriched")[0]
    translated = of_type([x for _, x in entries], "article.translated")
    assert len(translated) == 1  # into Arabic only: English is its own language
    t = translated[0]
    a = t["article"]
    assert a["article_id"] == translation_id(xh.article_id, "ar") != xh.article_id
    assert a["language"] == "ar" and a["version"] == 1 and a["agency"] == "xinhua"
    assert a["headline"] == f"[ar] {XINHUA_CALL['headline']}"
    assert a["body_html"] == fake_translate(XINHUA_CALL["body_html"], "ar")
    assert tag_outline(a["body_html"]) == tag_outline(XINHUA_CALL["body_html"])
    assert a["extra"]["digitalSourceType"] == MACHINE_TRANSLATION
    assert a["extra"]["translation"] == {"engine": "libretranslate",
                                         "source_article_id": xh.article_id,
                                         "source_language": "en", "machine": True}
    assert t["source_article_id"] == xh.article_id and t["source_language"] == "en"
    assert t["engine"] == "libretranslate" and t["machine"] is True
    assert t["story_id"] == enriched["story_id"] and t["tags"] == enriched["tags"]
    assert t["correlation_id"] == enriched["correlation_id"]
    request = libretranslate.requests[0]["body"]
    assert request["source"] == "en" and request["target"] == "ar"
    assert request["format"] == "html" and request["api_key"] == "test-key"
    assert request["q"][-1] == XINHUA_CALL["body_html"]


async def test_libretranslate_failures_and_timeouts_are_retried_with_backoff(  # type: ignore[no-untyped-def]
        enrich, libretranslate: FakeEngine) -> None:
    libretranslate.script = ["500", "sleep:3", "429"]
    rt = article(RT_CALL)
    async with enrich(translation_backend="libretranslate", libretranslate_url=libretranslate.url,
                      libretranslate_api_key="test-key", **FAST_RETRY) as e:
        await e.publish(ArticleIngested(article=rt))
        events = await e.wait_for(lambda ev: of_type(ev, "article.translated") and ev,
                                  within=30)
        [job] = await jobs(e)
    assert of_type(events, "article.translated")[0]["article"]["language"] == "en"
    assert job.state == "done" and job.attempts == 4 and job.last_error is None
    assert len(libretranslate.requests) == 4


async def test_a_refused_request_is_not_retried_and_the_original_is_untouched(  # type: ignore[no-untyped-def]
        enrich, libretranslate: FakeEngine) -> None:
    xh = article(XINHUA_CALL)
    async with enrich(translation_backend="libretranslate", libretranslate_url=libretranslate.url,
                      libretranslate_api_key="wrong", translation_max_attempts=2,
                      **FAST_RETRY) as e:
        await e.publish(ArticleIngested(article=xh))
        await e.wait_for(lambda ev: of_type(ev, "article.enriched"))

        async def given_up() -> bool:
            return all(j.state == "failed" for j in await jobs(e)) and bool(await jobs(e))
        await eventually(given_up, timeout=20)
        [job] = await jobs(e)
        events = await e.emitted()
    assert job.attempts == 2 and "403" in (job.last_error or "")
    assert not of_type(events, "article.translated")


async def test_openai_compatible_endpoint_translates_each_field(  # type: ignore[no-untyped-def]
        enrich, openai: FakeEngine) -> None:
    openai.script = ["sleep:3"]  # the first call times out, the retry succeeds
    rt = article(RT_CALL, summary="ملخص الاتصال بين بوتين وشي & الكرملين")
    async with enrich(translation_backend="openai", openai_url=openai.url,
                      openai_api_key="test-key", openai_model="test-model", **FAST_RETRY) as e:
        await e.publish(ArticleIngested(article=rt))
        events = await e.wait_for(lambda ev: of_type(ev, "article.translated") and ev,
                                  within=30)
        [job] = await jobs(e)
    a = of_type(events, "article.translated")[0]["article"]
    assert a["language"] == "en" and a["headline"] == f"[en] {RT_CALL['headline']}"
    assert a["summary"] == "[en] ملخص الاتصال بين بوتين وشي & الكرملين"  # escaped, then not
    assert a["body_html"] == fake_translate(RT_CALL["body_html"], "en")
    assert a["extra"]["translation"]["engine"] == "openai:test-model"
    assert job.attempts == 2
    bodies = [r["body"] for r in openai.requests]
    assert {b["model"] for b in bodies} == {"test-model"}
    assert {r["authorization"] for r in openai.requests} == {"Bearer test-key"}
    assert "Arabic (ar)" in bodies[-1]["messages"][0]["content"]


async def test_redelivery_update_and_kill_of_a_translated_article(  # type: ignore[no-untyped-def]
        enrich, libretranslate: FakeEngine) -> None:
    xh = article(XINHUA_CALL)
    first = ArticleIngested(article=xh)
    async with enrich(translation_backend="libretranslate", libretranslate_url=libretranslate.url,
                      libretranslate_api_key="test-key", **FAST_RETRY) as e:
        await e.publish(first)
        await e.wait_for(lambda ev: of_type(ev, "article.translated"))
        await e.publish(first)  # redelivered: no second job, no second translation
        await asyncio.sleep(0.6)
        assert len(of_type(await e.emitted(), "article.translated")) == 1
        assert len(libretranslate.requests) == 1
        v2 = xh.model_copy(update={"version": 2, "headline": "Xi and Putin hold phone talks"})
        await e.publish(ArticleUpdated(article=v2, previous_version=1))
        await e.wait_for(lambda ev: len(of_type(ev, "article.translated")) == 2)
        await e.publish(ArticleKilled(article_id=xh.article_id, agency="xinhua", uri=xh.uri,
                                      version=2))
        events = await e.wait_for(lambda ev: len(of_type(ev, "article.killed")) == 2 and ev)
        [job] = await jobs(e)
    second = of_type(events, "article.translated")[1]["article"]
    assert second["version"] == 2 and second["headline"] == "[ar] Xi and Putin hold phone talks"
    killed = {k["article_id"]: k for k in of_type(events, "article.killed")}
    tid = translation_id(xh.article_id, "ar")
    assert set(killed) == {xh.article_id, tid}
    assert killed[tid]["uri"].endswith("#translation-ar") and killed[tid]["version"] == 2
    assert job.state == "cancelled"


async def test_argos_not_installed_leaves_translation_off(enrich) -> None:  # type: ignore[no-untyped-def]
    xh = article(XINHUA_CALL)
    async with enrich(translation_backend="argos") as e:
        await e.publish(ArticleIngested(article=xh))
        await e.wait_for(lambda ev: of_type(ev, "article.enriched"))
        await asyncio.sleep(0.3)
        assert await jobs(e) == []
        assert not of_type(await e.emitted(), "article.translated")
