"""Documents built to make a parser or renderer slow or fat, each close to its size limit.

The webhook takes bodies up to 5 MB and comments up to 20,000 characters (64 KB
on the wire); every document here stays under those limits, so the platform has
to parse it rather than refuse it by size.
"""

from __future__ import annotations

import json

LIMIT = 5 * 1024 * 1024 - 4096


def _ninjs(body_html: str, **extra: object) -> bytes:
    doc = {"uri": "urn:worst:1", "version": "1", "headlines": [{"value": "Worst case"}],
           "bodies": [{"contentType": "text/html", "value": body_html}], **extra}
    return json.dumps(doc).encode()


def _fill(unit: str, overhead: int = 2000) -> str:
    return unit * ((LIMIT - overhead) // len(unit.encode()))


def _nitf(content: str) -> bytes:
    return (f'<nitf><head><docdata><doc-id id-string="w1"/></docdata></head><body>'
            f"<body.head><hedline><hl1>Worst</hl1></hedline></body.head>"
            f"<body.content>{content}</body.content></body></nitf>").encode()


def _rss(items: str) -> bytes:
    return f"<rss version=\"2.0\"><channel><title>t</title>{items}</channel></rss>".encode()


WIRE: dict[str, tuple[bytes, str]] = {
    "ninjs-html-deep-divs": (_ninjs("<div>" * 60_000 + "x" + "</div>" * 60_000),
                             "application/json"),
    "ninjs-html-many-tags": (_ninjs(_fill("<p><b><i>a</i></b></p>")), "application/json"),
    "ninjs-html-many-attrs": (_ninjs("<p " + _fill('a="b" ') + ">x</p>"), "application/json"),
    "ninjs-html-unclosed": (_ninjs(_fill("<p><span><a href=x>")), "application/json"),
    "ninjs-html-comments": (_ninjs(_fill("<!-- c -->")), "application/json"),
    "ninjs-html-entities": (_ninjs(_fill("&amp;&#x202e;&#0;&nbsp;")), "application/json"),
    "ninjs-wide-object": (json.dumps({"uri": "urn:w:2", "headlines": [{"value": "w"}],
                                      **{f"k{i}": i for i in range(250_000)}}).encode(),
                          "application/json"),
    "ninjs-many-subjects": (_ninjs("<p>x</p>", subjects=[{"name": f"s{i}", "code": str(i)}
                                                          for i in range(80_000)]),
                            "application/json"),
    "ninjs-escaped-unicode": (_ninjs(_fill("\\u202e\\ud83d\\ude00")).replace(b"\\\\", b"\\"),
                              "application/json"),
    "ninjs-500-items": (json.dumps([{"uri": f"urn:w:{i}", "headlines": [{"value": f"h{i}"}],
                                     "bodies": [{"contentType": "text/html",
                                                 "value": "<p>x</p>" * 1000}]}
                                    for i in range(500)]).encode(), "application/json"),
    "nitf-many-paragraphs": (_nitf(_fill("<p>para</p>")), "application/nitf+xml"),
    "nitf-deep-nesting": (_nitf("<p>" + "<em>" * 200 + "x" + "</em>" * 200 + "</p>"),
                          "application/nitf+xml"),
    "rss-many-items": (_rss(_fill("<item><title>t</title><guid>g</guid></item>")),
                       "application/rss+xml"),
    "xml-huge-attribute": (_nitf('<p class="' + "a" * (LIMIT - 4000) + '">x</p>'),
                           "application/nitf+xml"),
    "xml-many-namespaces": (_nitf(_fill('<p xmlns:a="urn:a">x</p>')), "application/nitf+xml"),
}

_URL = "https://example.com/" + "a/" * 40
COMMENTS: dict[str, str] = {
    "many-links": (_URL + " ") * (20_000 // (len(_URL) + 1)),
    "link-lookalikes": "www." * 5000,
    "unclosed-brackets": "https://x.example/(" + "(" * 19_000,
    "trailing-punctuation": "https://x.example/" + ".,;:!?" * 3300,
    "many-lines": "a\n" * 10_000,
    "many-paragraphs": "a\n\n" * 6600,
    "bidi-soup": "\u202e\u202d\u2066\u200f\u061c" * 4000,
    "combining-marks": "a" + "\u0301" * 19_999,
    "arabic-diacritics": "بِسْمِ اللَّهِ " * 1300,
    "leet-and-spacing": "f u c k 1 n g " * 1400,
    "emoji-zwj": "\U0001f468\u200d\U0001f469\u200d\U0001f467" * 2800,
    "html-soup": "<a href=javascript:x>" * 900,
}
