"""Enrich's HTTP routes: related articles, and the taxonomy admin API (Bearer token)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field, ValidationError

from wirestream.common.admin_auth import admin_guard
from wirestream.common.problems import Problem
from wirestream.common.runtime import Runtime

from .live import LiveEnricher
from .models import EnrichedArticle
from .settings import EnrichSettings
from .taxonomy_store import ImportFormat, list_concepts, parse_import, upsert_concepts
from .text.taxonomy import Concept, ConceptKind

LanguageCode = Annotated[str, Field(pattern=r"^[a-z]{2,3}$")]


class ConceptIn(BaseModel):
    id: str = Field(pattern=r"^[a-z]+:[^\s]{1,190}$", examples=["person:vladimir-putin"])
    kind: ConceptKind
    labels: dict[LanguageCode, Annotated[str, Field(min_length=1, max_length=300)]] = Field(
        min_length=1)
    aliases: dict[LanguageCode, list[Annotated[str, Field(min_length=1, max_length=300)]]] = {}
    iptc_uri: str | None = Field(default=None, max_length=300)


class ConceptOut(ConceptIn):
    pass


class Related(BaseModel):
    article_id: str
    story_id: str | None
    related: list[str]


def _out(c: Concept) -> dict[str, Any]:
    return {"id": c.id, "kind": c.kind, "labels": c.labels, "aliases": c.aliases,
            "iptc_uri": c.iptc_uri}


def articles_router(runtime: Runtime) -> APIRouter:
    router = APIRouter(prefix="/v1/articles", tags=["articles"])

    @router.get("/{article_id}/related", response_model=Related)
    async def related(article_id: str) -> dict[str, Any]:
        """The articles most related to this one when it was enriched, still live, closest first."""
        async with runtime.sessions() as session:
            row = await session.get(EnrichedArticle, article_id)
            if row is None or row.killed:
                raise Problem(404, "no-such-article", "No such article")
            killed = set(await session.scalars(
                sa.select(EnrichedArticle.article_id).where(
                    EnrichedArticle.article_id.in_(row.related), EnrichedArticle.killed)))
        return {"article_id": article_id, "story_id": row.story_id,
                "related": [a for a in row.related if a not in killed]}

    return router


def admin_router(runtime: Runtime, settings: EnrichSettings, live: LiveEnricher) -> APIRouter:
    require_admin = admin_guard(lambda: settings.admin_token)
    router = APIRouter(prefix="/v1/admin/taxonomy", tags=["admin"],
                       dependencies=[Depends(require_admin)])

    @router.get("", response_model=list[ConceptOut])
    async def list_all(kind: ConceptKind | None = None, q: str | None = None,
                       limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
                       ) -> list[dict[str, Any]]:
        async with runtime.sessions() as session:
            return [_out(c) for c in await list_concepts(session, kind=kind, search=q,
                                                         limit=limit)]

    @router.post("", status_code=201, response_model=ConceptOut)
    async def add(body: ConceptIn) -> dict[str, Any]:
        """Add a concept, or replace the one with the same id; the matcher reloads at once."""
        concept = Concept(id=body.id, kind=body.kind, labels=dict(body.labels),
                          aliases={k: list(v) for k, v in body.aliases.items()},
                          iptc_uri=body.iptc_uri)
        async with runtime.transaction() as tx:
            await upsert_concepts(tx.session, [concept], now=datetime.now(UTC))
        await live.refresh()
        return _out(concept)

    @router.post("/import")
    async def import_(request: Request, replace: bool = False) -> dict[str, Any]:
        """Import CSV (``text/csv``) or IPTC Media Topics SKOS JSON-LD (JSON content types).

        Existing concepts are merged (labels of other languages and aliases kept)
        unless ``replace=true``.
        """
        content_type = request.headers.get("content-type", "").split(";")[0].strip()
        fmt: ImportFormat = "csv" if content_type in ("text/csv", "text/plain") else "jsonld"
        if fmt == "jsonld" and "json" not in content_type:
            raise Problem(415, "unsupported-media-type", "Send text/csv or JSON-LD")
        try:
            concepts = parse_import((await request.body()).decode("utf-8"), fmt)
        except (ValueError, KeyError, TypeError, ValidationError) as exc:
            raise Problem(422, "invalid-taxonomy", "The taxonomy could not be read",
                          str(exc)[:500]) from exc
        async with runtime.transaction() as tx:
            count = await upsert_concepts(tx.session, concepts, now=datetime.now(UTC),
                                          merge=not replace)
        await live.refresh()
        return {"imported": count, "format": fmt, "taxonomy_version": live.version}

    return router
