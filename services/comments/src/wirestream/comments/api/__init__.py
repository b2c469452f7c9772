"""The comments service's HTTP API, one router per audience."""

from .admin import admin_router
from .comments import comments_router
from .context import Context, install_error_handler
from .moderation import moderation_router
from .polls import polls_router
from .readers import readers_router

__all__ = [
    "Context",
    "admin_router",
    "comments_router",
    "install_error_handler",
    "moderation_router",
    "polls_router",
    "readers_router",
]
