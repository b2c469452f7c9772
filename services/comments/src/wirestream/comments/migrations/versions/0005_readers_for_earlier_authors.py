"""readers: a row for every author of an earlier comment

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 11:05:00.000000

Posting reads a reader's approved-comment count together with its row (one
query per batch): a reader without a row counts as having no comments. That
holds for every comment posted since the readers table exists (the row is
written with the reader's first comment); this writes the rows that comments
from before then lack. Comments of the first schema have no author id ('')
and stay without one.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("""
        INSERT INTO readers (reader_id, display_name, kind, status, created_at)
        SELECT c.author_id, substr(max(c.author), 1, 80),
               CASE WHEN c.author_id LIKE 'jwt:%' THEN 'jwt'
                    WHEN c.author_id LIKE 'anon:%' THEN 'anonymous'
                    ELSE 'token' END,
               'active', min(c.created_at)
        FROM comments c
        WHERE c.author_id <> ''
          AND NOT EXISTS (SELECT 1 FROM readers r WHERE r.reader_id = c.author_id)
        GROUP BY c.author_id
    """)


def downgrade() -> None:
    pass  # the rows are correct under the earlier revisions too
