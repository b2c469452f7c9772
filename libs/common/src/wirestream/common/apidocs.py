"""API documents generated from the code: AsyncAPI for the bus, OpenAPI for HTTP.

Each service's app is built with an in-memory database (no I/O happens until
start-up), then FastStream describes its broker and FastAPI its routes.
``wirestream docs`` writes them under ``docs/api/``; a test regenerates them
and fails when the checked-in files drift from the code.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

from faststream.specification import AsyncAPI

SERVICES = ("ingest", "enrich", "publish", "comments")


def build_app(service: str) -> Any:
    settings_mod = importlib.import_module(f"wirestream.{service}.settings")
    cls = next(v for k, v in vars(settings_mod).items()
               if k.endswith("Settings") and k != "ServiceSettings" and isinstance(v, type))
    main = importlib.import_module(f"wirestream.{service}.main")
    # Everything the documents show is pinned here, so the environment cannot leak in.
    settings = cls(database_url="sqlite+aiosqlite:///:memory:", log_json=False,
                   consumer_name=f"{service}-docs", redis_url="redis://redis:6379/0",
                   claim_idle_ms=30_000)
    return main.create_app(settings)


def documents(service: str) -> dict[str, dict[str, Any]]:
    """The AsyncAPI and OpenAPI documents of one service."""
    app = build_app(service)
    broker = app.state.runtime.bus.broker
    asyncapi = AsyncAPI(broker, title=f"Wirestream {service} (bus)", version="1.0.0",
                        description=f"Streams the {service} service reads and writes.")
    return {
        f"{service}.asyncapi.json": json.loads(asyncapi.to_specification().to_json()),
        f"{service}.openapi.json": app.openapi(),
    }


def render(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def drift(target: Path) -> list[str]:
    """Names of documents under ``target`` that differ from what the code generates."""
    stale = []
    for service in SERVICES:
        for name, doc in documents(service).items():
            path = target / name
            if not path.exists() or path.read_text(encoding="utf-8") != render(doc):
                stale.append(name)
    return stale


def write_all(target: Path) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for service in SERVICES:
        for name, doc in documents(service).items():
            path = target / name
            path.write_text(render(doc), encoding="utf-8")
            written.append(path)
    return written
