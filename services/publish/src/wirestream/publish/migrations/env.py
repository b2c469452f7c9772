from alembic import context

from wirestream.common.migrations import run_env
import wirestream.publish.push.models  # noqa: F401  (push tables share Base.metadata)
from wirestream.publish.models import Base

run_env(context, Base.metadata)
