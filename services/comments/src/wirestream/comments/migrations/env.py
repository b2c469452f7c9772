from alembic import context

from wirestream.comments.models import Base
from wirestream.common.migrations import run_env

run_env(context, Base.metadata)
