"""RFC 8030 headers, RFC 8291 encryption and RFC 8292 VAPID, checked as a browser would."""

from __future__ import annotations

import re

from wirestream.publish.push.webpush import (
    TTL_S,
    VapidSigner,
    encrypt,
    generate_private_key,
    topic_for,
    urgency_for,
    valid_keys,
)

from .browser import Browser, verify_vapid


def test_urgency_from_iptc() -> None:
    assert [urgency_for(u) for u in range(1, 10)] == [
        "high", "high", "normal", "normal", "low", "low", "very-low", "very-low", "very-low"]
    assert urgency_for(None) == "normal"
    assert TTL_S["high"] < TTL_S["normal"] < TTL_S["low"] < TTL_S["very-low"]


def test_topic_is_32_base64url_characters_and_stable() -> None:
    for key in ("st1", "a" * 500, "قصة"):
        topic = topic_for(key)
        assert re.fullmatch(r"[A-Za-z0-9_-]{32}", topic)
        assert topic_for(key) == topic
    assert topic_for("st1") != topic_for("st2")


def test_a_browser_decrypts_what_is_encrypted_for_it() -> None:
    browser = Browser()
    body = encrypt(b'{"headline":"Hello"}', **browser.keys)
    assert browser.decrypt(body) == {"headline": "Hello"}
    assert valid_keys(**browser.keys)
    assert not valid_keys("AAAA" * 22, browser.keys["auth"])


def test_vapid_header_verifies_and_is_reused_per_origin() -> None:
    signer = VapidSigner(generate_private_key(), "mailto:push@news.example")
    header = signer.authorization("https://push.example.net/wpush/v2/abc")
    claims = verify_vapid(header, signer.public_key)
    assert claims["aud"] == "https://push.example.net"
    assert claims["sub"] == "mailto:push@news.example"
    assert signer.authorization("https://push.example.net/other") == header
    assert signer.authorization("https://fcm.example.com/x") != header
    headers = signer.headers("https://push.example.net/x", urgency=1, topic="t")
    assert headers["Urgency"] == "high" and headers["TTL"] == "3600"
    assert headers["Content-Encoding"] == "aes128gcm" and headers["Topic"] == "t"
