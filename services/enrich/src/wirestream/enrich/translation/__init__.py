"""Machine translation of enriched articles, off the enrichment path.

- :mod:`.backend`: the interface every engine implements, its errors, the factory.
- :mod:`.libretranslate`, :mod:`.argos`, :mod:`.openai_chat`: the engines.
- :mod:`.htmltext`: HTML split into tags and text, so tags survive translation.
- :mod:`.article`: an article's translation as its own article, with provenance.
- :mod:`.jobs`: jobs queued in the enrichment's transaction; :mod:`.worker` runs them.
"""
