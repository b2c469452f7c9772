"""``python -m wirestream.ingest``: serve the ingest app with uvicorn."""

from wirestream.common.serve import serve

from .settings import IngestSettings

if __name__ == "__main__":
    serve("wirestream.ingest.main:create_app", IngestSettings())
