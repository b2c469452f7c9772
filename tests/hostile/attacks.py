"""A corpus of known attacks on the wire webhook, each with the refusal it must get.

``Attack.expect`` is the status (and, for a refusal, the problem ``type`` suffix);
a 202 means the document is legitimate news that happens to carry hostile text,
which must then reach the site defused (see ``test_attacks.py``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

SCRIPT = ('<script>alert("x")</script><img src=x onerror=alert(1)>'
          '<a href="javascript:alert(2)">j</a>')
RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: "cod.exe" shown as "exe.doc"


@dataclass(frozen=True)
class Attack:
    name: str
    body: bytes
    content_type: str
    expect: tuple[int, str | None]  # (status, problem type suffix or None)
    known_bug: str = ""  # a finding reported to the service's owner, pinned as strict xfail


def ninjs(n: str, **fields: object) -> dict[str, object]:
    doc: dict[str, object] = {"uri": f"urn:hostile:{n}", "version": "1", "language": "en",
                              "headlines": [{"value": f"Hostile test item {n}"}],
                              "bodies": [{"contentType": "text/plain",
                                          "value": "Ordinary text."}]}
    doc.update(fields)
    return doc


def _json(doc: object) -> bytes:
    return json.dumps(doc, ensure_ascii=False).encode()


_DOCTYPE_XXE = (b'<?xml version="1.0"?>\n<!DOCTYPE nitf [\n<!ENTITY xxe SYSTEM '
                b'"file:///etc/passwd">]>\n<nitf><head><docdata><doc-id id-string="x1"/>'
                b"</docdata></head><body><body.head><hedline><hl1>&xxe;</hl1></hedline>"
                b"</body.head></body></nitf>")
_LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
           + b"".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">'
                      .encode() for i in range(1, 10))
           + b"]>\n<rss><channel><item><title>&lol9;</title><guid>g</guid></item>"
             b"</channel></rss>")
_QUADRATIC = (b'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "' + b"A" * 50_000
              + b'">]>\n<rss><channel><item><title>' + b"&a;" * 50_000
              + b"</title><guid>g</guid></item></channel></rss>")
_XINCLUDE = (b'<rss xmlns:xi="http://www.w3.org/2001/XInclude"><channel><item><title>'
             b'<xi:include href="file:///etc/passwd" parse="text"/></title><guid>g</guid>'
             b"</item></channel></rss>")

REFUSED = [
    Attack("xxe-file", _DOCTYPE_XXE, "application/nitf+xml", (400, "xml-entities-forbidden")),
    Attack("billion-laughs", _LAUGHS, "application/rss+xml", (400, "xml-entities-forbidden")),
    Attack("quadratic-blowup", _QUADRATIC, "application/rss+xml",
           (400, "xml-entities-forbidden")),
    Attack("json-nested-100k", b'{"uri":"urn:x:1","headline":"h","x":' + b"[" * 100_000
           + b"]" * 100_000 + b"}", "application/json", (400, "json-too-deep")),
    Attack("oversized-6mb", _json(ninjs("big", bodies=[{"contentType": "text/plain",
                                                          "value": "x" * 6_000_000}])),
           "application/json", (413, "payload-too-large")),
    Attack("invalid-utf8", b'{"uri":"urn:x:2","headline":"\xc3\x28 \xff\xfe"}',
           "application/json", (400, "invalid-utf8")),
    Attack("json-not-json", b"{'uri': 'single quotes'}", "application/json", (400, None)),
    Attack("json-array-of-scalars", b"[1, 2, 3]", "application/json", (422, None)),
    Attack("xml-declared-as-json", _DOCTYPE_XXE, "application/json", (400, None)),
    Attack("binary", bytes(range(256)) * 4, "application/octet-stream", (400, None)),
]

# Accepted (valid news), but every text field carries script, NULs or bidi overrides.
DEFUSED = [
    Attack("script-in-every-text-field", _json(ninjs(
        "script", headlines=[{"role": "main", "value": f"Headline {SCRIPT}"},
                             {"role": "sub", "value": f"Sub {SCRIPT}"}],
        descriptions=[{"role": "summary", "value": f"Summary {SCRIPT}"}],
        bodies=[{"contentType": "text/html", "value": f"<p>Body</p>{SCRIPT}"
                 "<iframe src=//evil></iframe><svg onload=alert(3)></svg>"}],
        by=f"Byline {SCRIPT}", located=f"Place {SCRIPT}", edNote=f"Note {SCRIPT}",
        subjects=[{"name": f"Subject {SCRIPT}", "uri": "javascript:alert(4)"}],
        associations={"featureimage": {
            "type": "picture", "uri": "urn:pic:1",
            "headlines": [{"value": f"Picture {SCRIPT}"}],
            "descriptions": [{"role": "caption", "value": f"Caption {SCRIPT}"}],
            "renditions": {"preview": {"href": "https://media.example/p.jpg",
                                       "width": 10}}}})),
        "application/json", (202, None)),
    Attack("javascript-picture-url", _json(ninjs(
        "jsurl", associations={"featureimage": {
            "type": "picture", "uri": "urn:pic:2", "headlines": [{"value": "Picture"}],
            "renditions": {"preview": {"href": "javascript:alert(5)", "width": 10},
                           "thumb": {"href": "data:text/html;base64,PHNjcmlwdD4=",
                                     "width": 5}}}})),
        "application/json", (202, None)),
    Attack("nul-bytes", _json(ninjs(
        "nul", headlines=[{"value": "A NUL \u0000 in the headline"}],
        bodies=[{"contentType": "text/plain", "value": "Body \u0000 end"}])),
        "application/json", (202, None)),
    Attack("rtl-override", _json(ninjs(
        "rlo", headlines=[{"value": f"Invoice {RLO}fdp.exe"}],
        bodies=[{"contentType": "text/plain", "value": f"Body {RLO}gnp.js end"}])),
        "application/json", (202, None)),
]
