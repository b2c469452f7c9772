"""The moderation dashboard page, in English (LTR) and Arabic (RTL)."""

from __future__ import annotations

from .conftest import Harness


async def test_dashboard_in_both_languages(h: Harness) -> None:
    en = await h.client.get("/moderation")
    assert en.status_code == 200 and '<html lang="en" dir="ltr">' in en.text
    assert "Comment moderation" in en.text and 'href="/moderation?lang=ar"' in en.text
    ar = await h.client.get("/moderation?lang=ar")
    assert '<html lang="ar" dir="rtl">' in ar.text and "إدارة التعليقات" in ar.text
    assert "script-src 'self'" in ar.headers["content-security-policy"]
    js = await h.client.get("/moderation/app.js")
    assert js.status_code == 200 and "X-Requested-With" in js.text
    assert "innerHTML" not in js.text.replace("never innerHTML", "")
    assert (await h.client.get("/moderation/app.css")).status_code == 200
