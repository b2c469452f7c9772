"""Generate a migration for a service: ``python -m wirestream.common.migrations_cli SERVICE MSG``.

Autogenerates against an empty temporary SQLite database upgraded to head,
so the new revision holds exactly what the models add.
"""

from __future__ import annotations

import importlib
import sys
import tempfile
from pathlib import Path

from alembic import command

from .migrations import alembic_config, upgrade


def main() -> None:
    service, message = sys.argv[1], sys.argv[2]
    package = importlib.import_module(f"wirestream.{service}")
    location = Path(package.__file__ or "").parent / "migrations"
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/gen.db"
        upgrade(url, location)
        command.revision(alembic_config(url, location), message=message, autogenerate=True,
                         rev_id=f"{len(list((location / 'versions').glob('*.py'))) + 1:04d}")


if __name__ == "__main__":
    main()
