"""How deep an HTML fragment nests, estimated in one linear pass before it is sanitised.

The sanitiser (nh3, html5ever underneath) takes time quadratic in the depth
of the tree: a 5 MB body of nested ``<div>`` kept a worker busy for tens of
seconds. No article needs more than a few dozen levels, so a body nested
deeper than :data:`MAX_HTML_DEPTH` is refused before nh3 sees it.

The estimate follows the HTML5 tree builder where it matters for depth:
void elements do not nest; an end tag closes up to its open element and is
ignored otherwise; a new ``<p>``, ``<li>``, ``<dd>``/``<dt>``, cell, row,
``<option>``, heading or ``<a>`` closes the open one as the parser would
(sloppy agency HTML with unclosed ``<p>`` and ``<li>`` is not refused); and
formatting elements (``<b>``, ``<i>``...) closed implicitly stay counted,
because the parser reopens them in the next block. It never looks for a
``>``, so no input makes it slower than linear.
"""

from __future__ import annotations

import re

MAX_HTML_DEPTH = 256

# A tag name and up to 200 characters of its attributes: bounded, so never quadratic.
_TAG = re.compile(r"<(/?)([A-Za-z][^\t\n\f\r />]*)([^<>]{0,200})")
_VOID = frozenset(
    "area base br col embed hr img input keygen link meta param source track wbr".split()
)
_FORMATTING = frozenset("a b big code em font i nobr s small strike strong tt u".split())
_SCOPE = frozenset("applet caption html table td th marquee object template".split())
_BUTTON_SCOPE = _SCOPE | {"button"}
_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
# The "special" elements: a new <li>/<dd>/<dt> does not close one beyond them.
_SPECIAL = (
    frozenset(
        "address applet area article aside base basefont bgsound blockquote body br button "
        "caption center col colgroup dd details dir div dl dt embed fieldset figcaption "
        "figure footer form frame frameset head header hgroup hr html iframe img input "
        "keygen li link listing main marquee menu meta nav noembed noframes object ol p "
        "param plaintext pre script search section select source style summary table "
        "tbody td template textarea tfoot th thead title tr track ul wbr xmp".split()
    )
    | _HEADINGS
) - {"address", "div", "p"}
_CLOSES_P = frozenset(
    "address article aside blockquote center details dialog dir div dl fieldset figcaption "
    "figure footer form header hgroup hr main menu nav ol p pre section summary table ul "
    "li dd dt listing plaintext xmp search".split()
) | _HEADINGS
_TABLE_SCOPE = frozenset(("html", "table", "template"))
# For a start tag: which open element it closes, and what stops the search for it.
_IMPLIED: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "li": (frozenset({"li"}), _SPECIAL),
    "dd": (frozenset({"dd", "dt"}), _SPECIAL),
    "dt": (frozenset({"dd", "dt"}), _SPECIAL),
    "td": (frozenset({"td", "th"}), _TABLE_SCOPE),
    "th": (frozenset({"td", "th"}), _TABLE_SCOPE),
    "tr": (frozenset({"tr"}), _TABLE_SCOPE),
    "tbody": (frozenset({"tbody", "thead", "tfoot"}), _TABLE_SCOPE),
    "thead": (frozenset({"tbody", "thead", "tfoot"}), _TABLE_SCOPE),
    "tfoot": (frozenset({"tbody", "thead", "tfoot"}), _TABLE_SCOPE),
    "a": (frozenset({"a"}), _SCOPE),
}


Entry = tuple[str, str]  # an element's name and its attributes as written


class _Tree:
    """The open elements, and the formatting elements the parser will reopen."""

    def __init__(self) -> None:
        self.open: list[Entry] = []
        # Formatting elements closed implicitly: the next inline start tag reopens
        # them. Like the parser's "Noah's Ark" clause, at most three identical ones.
        self.active: list[Entry] = []

    @property
    def depth(self) -> int:
        return len(self.open) + len(self.active)

    def close(self, names: frozenset[str], stop: frozenset[str]) -> None:
        """Close the nearest open element in ``names`` unless one in ``stop`` comes first."""
        stack = self.open
        for i in range(len(stack) - 1, -1, -1):
            if stack[i][0] in names:
                for entry in stack[i + 1 :]:
                    if entry[0] in _FORMATTING:
                        self._remember(entry)
                del stack[i:]
                return
            if stack[i][0] in stop:
                return

    def _remember(self, entry: Entry) -> None:
        if self.active.count(entry) >= 3:
            self.active.remove(entry)
        self.active.append(entry)

    def end_tag(self, name: str) -> None:
        if any(entry[0] == name for entry in self.open):
            self.close(frozenset((name,)), frozenset())
            return
        for i in range(len(self.active) - 1, -1, -1):  # a formatting element not open
            if self.active[i][0] == name:
                del self.active[i]
                return

    def start_tag(self, name: str, attributes: str) -> None:
        if name in _CLOSES_P:
            self.close(frozenset(("p",)), _BUTTON_SCOPE)
        else:  # an inline start tag: the parser reopens what was closed implicitly
            self.open.extend(self.active)
            self.active.clear()
        if name in _IMPLIED:
            self.close(*_IMPLIED[name])
        elif name in _HEADINGS and self.open and self.open[-1][0] in _HEADINGS:
            self.open.pop()
        elif name == "option" and self.open and self.open[-1][0] == "option":
            self.open.pop()
        self.open.append((name, attributes.strip()))


def html_depth(html: str, *, limit: int = MAX_HTML_DEPTH) -> int:
    """The estimated nesting depth of ``html``; stops counting once it exceeds ``limit``."""
    tree = _Tree()
    deepest = 0
    for match in _TAG.finditer(html):
        name = match.group(2).lower()
        if match.group(1):
            tree.end_tag(name)
        elif name not in _VOID:
            tree.start_tag(name, match.group(3))
            deepest = max(deepest, tree.depth)
            if deepest > limit:
                break
    return deepest
