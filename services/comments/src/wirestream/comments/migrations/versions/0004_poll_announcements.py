"""polls: votes not yet announced, closing announced

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 04:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("polls", sa.Column("unannounced", sa.Integer(), server_default="0",
                                     nullable=False))
    op.add_column("polls", sa.Column("announced_closed", sa.Boolean(),
                                     server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("polls") as batch:
        batch.drop_column("announced_closed")
        batch.drop_column("unannounced")
