"""The reader site in a real browser: Debian's chromium driven by Playwright, the whole platform
running as processes. RTL Arabic pages on a phone, the live ticker, posting a comment."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from wirestream.cli.dev import DEV_ADMIN_TOKEN
from wirestream.common.testing import eventually

from ..conftest import WireClient, sample

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 390, "height": 844}


def _chromium() -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    playwright = pytest.importorskip("playwright.async_api")
    _chromium()
    async with playwright.async_playwright() as p:
        b = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            await b.close()


async def _published(site: str, article_id: str) -> dict[str, Any]:
    async def live() -> dict[str, Any] | None:
        async with httpx.AsyncClient(timeout=10) as c:
            r = await c.get(f"{site}/api/articles/{article_id}")
        return r.json() if r.status_code == 200 else None
    return await eventually(live, timeout=30)  # type: ignore[no-any-return]


def _item(headline: str) -> dict[str, Any]:
    doc = sample("rt_putin_ar.json")
    doc["uri"] = f"urn:rt:ar:test:{uuid.uuid4().hex}"
    doc["headlines"] = [{"value": headline}]
    return doc


async def test_an_arabic_article_reads_right_to_left_on_a_phone(platform, browser) -> None:  # type: ignore[no-untyped-def]
    rt = WireClient(platform, "rt", language="ar")
    accepted = rt.send(sample("rt_putin_ar.json"))
    assert accepted.status_code == 202, accepted.text
    site = platform.url("publish")
    article = await _published(site, accepted.json()["article_id"])
    page = await browser.new_page(viewport=PHONE, locale="ar")
    await page.goto(site + article["url"])
    assert await page.evaluate("document.documentElement.dir") == "rtl"
    assert await page.evaluate("document.documentElement.lang") == "ar"
    headline = page.locator("h1.headline")
    assert "بوتين" in await headline.inner_text()
    assert await headline.evaluate("e => getComputedStyle(e).direction") == "rtl"
    body_font = await page.locator(".body").evaluate("e => getComputedStyle(e).fontFamily")
    assert "Noto Naskh Arabic" in body_font
    # Right to left: the headline's text starts at the right edge of its column.
    box = await headline.bounding_box()
    assert box is not None and box["x"] + box["width"] > PHONE["width"] - 40
    tags = await page.locator("nav.tags a").all_inner_texts()
    assert any("بوتين" in t for t in tags), tags
    first_tag = page.locator("nav.tags a").first
    href = await first_tag.get_attribute("href")
    assert href and href.startswith("/ar/tags/")
    # Nothing wider than the phone.
    assert await page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth + 1")
    await first_tag.click()
    await page.wait_for_url(f"**{href}")
    assert article["url"] in await page.content()  # the tag page lists the article
    assert await page.evaluate("document.documentElement.dir") == "rtl"


async def test_the_ticker_shows_a_new_item_without_a_reload(platform, browser) -> None:  # type: ignore[no-untyped-def]
    rt = WireClient(platform, "rt", language="ar")
    first = rt.send(_item("خبر أول للاختبار"))
    assert first.status_code == 202, first.text
    site = platform.url("publish")
    await _published(site, first.json()["article_id"])
    page = await browser.new_page(viewport=PHONE)
    async with page.expect_response(lambda r: r.url.endswith("/live")):
        await page.goto(site + "/ar/")
    await page.evaluate("window.__sameDocument = true")
    await page.wait_for_timeout(300)  # the EventSource is open and has its starting id

    headline = "عاجل: خبر جديد يصل الآن"
    second = rt.send(_item(headline))
    assert second.status_code == 202, second.text
    ticker = page.locator("#ticker .ticker-items a", has_text=headline)
    await ticker.wait_for(timeout=30_000)
    assert await page.locator("#ticker").is_visible()
    assert await page.locator("#latest a", has_text=headline).count() == 1
    assert await page.evaluate("window.__sameDocument === true")  # no reload happened
    href = await ticker.get_attribute("href")
    assert href and href.endswith(f"/ar/articles/{second.json()['article_id']}")


async def test_a_comment_posted_from_the_page_appears(platform, browser) -> None:  # type: ignore[no-untyped-def]
    rt = WireClient(platform, "rt", language="ar")
    accepted = rt.send(sample("rt_putin_ar.json"))
    assert accepted.status_code == 202, accepted.text
    site = platform.url("publish")
    article = await _published(site, accepted.json()["article_id"])
    page = await browser.new_page(viewport=PHONE)
    await page.goto(site + article["url"])
    form = page.locator("#comments form.comment-form")
    await form.locator("input[name=author]").fill("قارئ")
    await form.locator("textarea[name=body]").fill("تغطية ممتازة للخبر")
    async with page.expect_response(lambda r: "/comments" in r.url
                                    and r.request.method == "POST") as posted:
        await form.locator("button[type=submit]").click()
    response = await posted.value
    assert response.status == 201, await response.text()
    assert response.request.headers.get("x-requested-with") == "wirestream"
    comment = await response.json()
    text = "تغطية ممتازة للخبر"
    if comment["status"] == "approved":  # shown at once, before publish re-renders the page
        await page.locator("#comments .comment-body", has_text=text).wait_for(timeout=10_000)
    else:  # held for a moderator: the reader is told so, and a moderator approves it
        assert comment["status"] == "pending"
        await page.locator("#comments .form-status", has_text="المراجعة").wait_for()
        async with httpx.AsyncClient(timeout=10) as c:
            approved = await c.post(
                f"{platform.url('comments')}/v1/moderation/comments/"
                f"{comment['comment_id']}/approve",
                headers={"Authorization": f"Bearer {DEV_ADMIN_TOKEN}"})
        assert approved.status_code == 200, approved.text

    async def rendered() -> bool:  # publish renders it into the page from the comments stream
        async with httpx.AsyncClient(timeout=10) as c:
            return text in (await c.get(site + article["url"])).text
    await eventually(rendered, timeout=30)
    await page.reload()
    await page.locator("#comments .comment-body", has_text=text).wait_for()
    assert await page.locator("#comments .count").inner_text() == "(1)"
