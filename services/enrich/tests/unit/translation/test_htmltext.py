from wirestream.enrich.translation.htmltext import tag_outline, translate_text_runs


def test_text_runs_are_translated_and_tags_kept() -> None:
    html = '<p class="lead">Putin &amp; Xi <b>spoke</b></p>\n<p>by phone<br/>on Tuesday.</p>'
    out = translate_text_runs(html, lambda t: t.upper())
    assert out == ('<p class="lead">PUTIN &amp; XI <b>SPOKE</b></p>\n'
                   '<p>BY PHONE<br/>ON TUESDAY.</p>')
    assert tag_outline(out) == tag_outline(html)


def test_whitespace_around_runs_is_kept() -> None:
    assert translate_text_runs("<p>  a  </p>", lambda t: f"[{t}]") == "<p>  [a]  </p>"


def test_outline_sees_a_dropped_tag() -> None:
    assert tag_outline("<p>a <b>b</b></p>") == ["p", "b", "/b", "/p"]
    assert tag_outline("<p>a b</p>") != tag_outline("<p>a <b>b</b></p>")
