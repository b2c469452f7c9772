"""Wire documents for the soak: items about distinct events, six per event, as on a wire.

The chaos suite's items are one sentence each and all alike, so enrich puts every one
of them in a single story; in a 30-minute soak that story grows to thousands of members
and measures that story (every StoryChanged lists all of them), not steady load.
These are the enrich benchmark's items (~600 words, Arabic and English, two people and
a city of the starter taxonomy per event), made on first use of each number.
"""

from __future__ import annotations

from functools import lru_cache

from _enrich_articles import make_articles

from wirestream.common.events import Article

_BLOCK = 600  # articles made at a time (100 events)


@lru_cache(maxsize=4)
def _block(index: int) -> list[Article]:
    return make_articles(_BLOCK, seed=1000 + index, prefix=f"soak{index}x")


def soak_item(n: int, version: int, *, killed: bool = False) -> dict[str, object]:
    """The ninjs of item ``n`` at ``version`` (a later version changes its headline)."""
    a = _block(n // _BLOCK)[n % _BLOCK]
    headline = a.headline if version == 1 else f"{a.headline} ({version})"
    return {"uri": f"urn:chaos:{n}", "version": str(version),  # the ledger's key
            "pubStatus": "canceled" if killed else "usable", "language": a.language,
            "headlines": [{"value": headline}],
            "bodies": [{"contentType": "text/html", "value": a.body_html}]}
