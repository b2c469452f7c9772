"""``python -m wirestream.publish``: serve the site with uvicorn."""

from wirestream.common.serve import serve

from .settings import PublishSettings

if __name__ == "__main__":
    serve("wirestream.publish.main:create_app", PublishSettings())
