"""``python -m wirestream.enrich``: serve the enrich app with uvicorn."""

from wirestream.common.serve import serve

from .settings import EnrichSettings

if __name__ == "__main__":
    serve("wirestream.enrich.main:create_app", EnrichSettings())
