"""articles: the published version, and kills remembered (tombstones)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 04:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("articles", sa.Column("version", sa.Integer(), nullable=True))
    op.add_column("articles", sa.Column("killed_version", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("killed_version")
        batch.drop_column("version")
