"""Generate a migration: ``python -m wirestream.common.migrations_cli SERVICE MSG [--head H]``.

``--head`` picks the branch the revision extends when a service keeps several
(publish: its main line and ``push``); it is required then.

Autogenerates against an empty temporary SQLite database upgraded to head,
so the new revision holds exactly what the models add.
"""

from __future__ import annotations

import argparse
import importlib
import tempfile
from pathlib import Path

from alembic import command

from .migrations import alembic_config, upgrade


def main() -> None:
    parser = argparse.ArgumentParser(prog="migrations_cli")
    parser.add_argument("service")
    parser.add_argument("message")
    parser.add_argument("--head", default="head", help="revision or branch@head to extend")
    args = parser.parse_args()
    service, message = args.service, args.message
    package = importlib.import_module(f"wirestream.{service}")
    location = Path(package.__file__ or "").parent / "migrations"
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/gen.db"
        upgrade(url, location)
        command.revision(alembic_config(url, location), message=message, autogenerate=True,
                         head=args.head,
                         rev_id=f"{len(list((location / 'versions').glob('*.py'))) + 1:04d}")


if __name__ == "__main__":
    main()
