"""``python -m wirestream.comments``: serve the comments app with uvicorn."""

from wirestream.common.serve import serve

from .settings import CommentsSettings

if __name__ == "__main__":
    serve("wirestream.comments.main:create_app", CommentsSettings())
