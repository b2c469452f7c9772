"""Enrich's pure text layer: no database, no bus, nothing loaded at import.

- :mod:`.language`: which language an article is in (lingua, checked against the agency).
- :mod:`.taxonomy`: concepts, CSV and IPTC SKOS JSON-LD; :mod:`.starter` the shipped taxonomy.
- :mod:`.matcher`: taxonomy tags found in text, linear in tokens.
- :mod:`.keywords`: YAKE keywords for what the taxonomy does not cover; :mod:`.yake_lite`
  the YAKE algorithm itself (:mod:`.yake_tokens`, :mod:`.yake_dedup`), the yake package's results.
- :mod:`.stories`: same-event clustering (MinHash/LSH plus shared entities).
- :mod:`.pipeline`: all of the above (bar stories) for one article.
"""
