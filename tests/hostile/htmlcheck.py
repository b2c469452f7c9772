"""What makes a rendered page dangerous: active elements, event handlers, script URLs,
and the invisible characters that reorder or truncate text."""

from __future__ import annotations

from html.parser import HTMLParser

ACTIVE = {"script", "iframe", "object", "embed", "svg", "math", "frame", "base"}
INVISIBLE = {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
             "\u2069", "\x00"}


class _Finder(HTMLParser):
    def __init__(self, allowed_scripts: set[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.allowed_scripts = allowed_scripts
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ACTIVE and not (tag == "script" and self._allowed(values)):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag}[{name}]")
            if name in ("href", "src", "action", "formaction") and value and \
                    "".join(value.split()).lower().startswith(("javascript:", "data:text")):
                self.found.append(f"{tag}[{name}={value[:30]}]")

    def _allowed(self, attrs: dict[str, str | None]) -> bool:
        # The site's own scripts: JSON-LD data and its static files.
        return attrs.get("type") == "application/ld+json" or any(
            (attrs.get("src") or "").startswith(p) for p in self.allowed_scripts)

    def handle_data(self, data: str) -> None:
        hits = INVISIBLE & set(data)
        if hits:
            self.found.append("invisible " + ",".join(f"U+{ord(c):04X}" for c in sorted(hits)))


def dangers(html: str, *, allowed_scripts: set[str] | None = None) -> list[str]:
    """Every dangerous construct in ``html`` (empty when the page is safe)."""
    finder = _Finder(allowed_scripts or {"/static/"})
    finder.feed(html)
    finder.close()
    return finder.found
