"""The moderation dashboard: one server-rendered page plus a small script using the API.

The page holds no data and needs no login of its own: the moderator types an
API key, which the script keeps for the tab's lifetime (sessionStorage) and
sends as ``Authorization: Bearer``. Strict CSP: scripts and styles come from
this service only, and the script writes text with ``textContent`` only.
"""

from __future__ import annotations

import html
import json
from functools import cache
from pathlib import Path
from string import Template

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse, HTMLResponse

from .strings import STRINGS

STATIC = Path(__file__).parent / "static"
_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
        "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
_HEADERS = {"Content-Security-Policy": _CSP, "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}


@cache
def _page() -> Template:
    """The page, a template with $placeholders for the (escaped) strings; read once."""
    return Template((Path(__file__).parent / "page.html").read_text(encoding="utf-8"))


def render_page(lang: str) -> str:
    t = STRINGS[lang]
    other = "ar" if lang == "en" else "en"
    # JSON in a non-executable script element; "<" escaped so it cannot close the tag.
    data = json.dumps(t, ensure_ascii=False).replace("<", "\\u003c")
    return _page().substitute(
        lang=lang, dir="rtl" if lang == "ar" else "ltr", other=other, data=data,
        **{f"t_{k}": html.escape(v) for k, v in t.items()},
    )


def dashboard_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/moderation")
    async def page(lang: str = Query(default="en", max_length=5)) -> HTMLResponse:
        code = lang[:2].lower()
        return HTMLResponse(render_page(code if code in STRINGS else "en"), headers=_HEADERS)

    @router.get("/moderation/app.js")
    async def script() -> FileResponse:
        return FileResponse(STATIC / "app.js", media_type="text/javascript", headers=_HEADERS)

    @router.get("/moderation/app.css")
    async def style() -> FileResponse:
        return FileResponse(STATIC / "app.css", media_type="text/css", headers=_HEADERS)

    return router
