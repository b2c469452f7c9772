"""push channels: webhook subscriptions, browser subscriptions, deliveries

Revision ID: push_0001
Revises:
Create Date: 2026-11-29 12:00:00

Its own branch (``push``), so it never collides with publish's main line;
the runtime upgrades to ``heads``.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "push_0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ("push",)
depends_on: str | Sequence[str] | None = "0001"

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "push_subscriptions",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("description", sa.String(500), nullable=False),
        sa.Column("secret", sa.String(100), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("filters", sa.JSON(), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("disabled_reason", sa.Text(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_push_subscriptions")),
    )
    op.create_table(
        "push_browsers",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("endpoint", sa.Text(), nullable=False),
        sa.Column("p256dh", sa.String(200), nullable=False),
        sa.Column("auth", sa.String(100), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_push_browsers")),
    )
    op.create_table(
        "push_follows",
        sa.Column("browser_id", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("value", sa.String(200), nullable=False),
        sa.ForeignKeyConstraint(["browser_id"], ["push_browsers.id"], ondelete="CASCADE",
                                name=op.f("fk_push_follows_browser_id_push_browsers")),
        sa.PrimaryKeyConstraint("browser_id", "kind", "value", name=op.f("pk_push_follows")),
    )
    op.create_index("ix_push_follows_kind_value", "push_follows", ["kind", "value"])
    op.create_table(
        "push_articles",
        sa.Column("article_id", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(16), nullable=True),
        sa.Column("section", sa.String(200), nullable=True),
        sa.Column("story_id", sa.String(64), nullable=True),
        sa.Column("urgency", sa.Integer(), nullable=True),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("iptc", sa.JSON(), nullable=False),
        sa.Column("waiting", sa.JSON(), nullable=False),
        sa.Column("waiting_since", TS, nullable=True),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_push_articles")),
    )
    op.create_index(op.f("ix_push_articles_waiting_since"), "push_articles", ["waiting_since"])
    op.create_table(
        "push_messages",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("urgency", sa.Integer(), nullable=True),
        sa.Column("topic", sa.String(40), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_push_messages")),
    )
    op.create_index(op.f("ix_push_messages_created_at"), "push_messages", ["created_at"])
    op.create_table(
        "push_deliveries",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("message_id", sa.String(40), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("target_id", sa.String(40), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("give_up_after", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", TS, nullable=True),
        sa.Column("last_status_code", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("delivered_at", TS, nullable=True),
        sa.ForeignKeyConstraint(["message_id"], ["push_messages.id"], ondelete="CASCADE",
                                name=op.f("fk_push_deliveries_message_id_push_messages")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_push_deliveries")),
    )
    op.create_index(op.f("ix_push_deliveries_message_id"), "push_deliveries", ["message_id"])
    op.create_index("ix_push_deliveries_due", "push_deliveries", ["status", "next_attempt_at"])
    op.create_index("ix_push_deliveries_target", "push_deliveries", ["target_id", "created_at"])
    op.create_table(
        "push_attempts",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  autoincrement=True, nullable=False),
        sa.Column("delivery_id", sa.String(40), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["delivery_id"], ["push_deliveries.id"], ondelete="CASCADE",
                                name=op.f("fk_push_attempts_delivery_id_push_deliveries")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_push_attempts")),
    )
    op.create_index(op.f("ix_push_attempts_delivery_id"), "push_attempts", ["delivery_id"])


def downgrade() -> None:
    for table in ("push_attempts", "push_deliveries", "push_messages", "push_articles",
                  "push_follows", "push_browsers", "push_subscriptions"):
        op.drop_table(table)
