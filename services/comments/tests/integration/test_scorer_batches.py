"""The external scorer is asked before a comment joins a batch, with the article's
language, and never for text the word checks already refuse."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .conftest import MakeHarness


@dataclass
class FakeScorer:
    threshold: float = 0.5
    calls: list[tuple[str, str]] = field(default_factory=list)

    async def score(self, text: str, *, language: str) -> float:
        self.calls.append((text, language))
        return 0.9 if "shady" in text else 0.1


async def test_scores_decide_and_refused_text_is_not_sent(make_harness: MakeHarness) -> None:
    h = await make_harness(banned_words=["forbiddenword"])
    scorer = FakeScorer()
    h.ctx.writer.rules = replace(h.ctx.writer.rules, scorer=scorer)
    article = await h.open_article(language="ar")

    fine = await h.post(article, "A perfectly ordinary remark.")
    assert fine.status_code == 201 and fine.json()["status"] == "approved"
    held = await h.post(article, "Something shady is going on.")
    assert held.status_code == 201 and held.json()["status"] == "pending"
    assert held.json()["moderation"]["reason"] == "scorer-flagged"
    banned = await h.post(article, "This has a forbiddenword in it.")
    assert banned.status_code == 422
    assert scorer.calls == [("A perfectly ordinary remark.", "ar"),
                            ("Something shady is going on.", "ar")]
