from alembic import context

from wirestream.common.migrations import run_env
from wirestream.enrich.models import Base

run_env(context, Base.metadata)
