"""article_tags: language and published_at, indexed for "latest articles with this tag"

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 12:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('article_tags', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('published_at', sa.DateTime(timezone=True), nullable=True))
    # Rows from before: copied from their articles.
    op.execute(
        "UPDATE article_tags SET "
        "language = (SELECT a.language FROM articles a WHERE a.article_id = article_tags.article_id), "
        "published_at = (SELECT a.published_at FROM articles a "
        "WHERE a.article_id = article_tags.article_id)")
    with op.batch_alter_table('article_tags', schema=None) as batch_op:
        batch_op.create_index('ix_article_tags_recent', ['tag_id', 'language', 'published_at'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('article_tags', schema=None) as batch_op:
        batch_op.drop_index('ix_article_tags_recent')
        batch_op.drop_column('published_at')
        batch_op.drop_column('language')
