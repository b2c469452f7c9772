"""Each service's app as ``create_app`` builds it, on a private Redis and a SQLite file."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

ADMIN = "hostile-admin-token"


def settings_class(service: str) -> type[Any]:
    mod = importlib.import_module(f"wirestream.{service}.settings")
    return next(v for k, v in vars(mod).items()
                if k.endswith("Settings") and k != "ServiceSettings" and isinstance(v, type))


def build(service: str, redis_url: str, data_dir: Path, **overrides: Any) -> Any:
    fields: dict[str, Any] = {
        "database_url": f"sqlite+aiosqlite:///{data_dir / (service + '.db')}",
        "redis_url": redis_url, "data_dir": data_dir, "admin_token": ADMIN, "dev_mode": True,
        "log_json": False, "consumer_name": f"{service}-hostile", "claim_idle_ms": 1000,
    }
    fields.update(overrides)
    return importlib.import_module(f"wirestream.{service}.main").create_app(
        settings_class(service)(**fields))
