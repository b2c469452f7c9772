"""Argos Translate's client against a hand-written fake of its module (it is not installed here)."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator

import pytest

from wirestream.enrich.translation.argos import ArgosTranslate
from wirestream.enrich.translation.backend import TranslationError


class _Pair:
    def __init__(self, target: str) -> None:
        self.target = target

    def translate(self, text: str) -> str:
        return f"<{self.target}:{text}>"  # angle brackets: must come back escaped


class _Language:
    def __init__(self, code: str, targets: tuple[str, ...]) -> None:
        self.code, self.targets = code, targets

    def get_translation(self, to: _Language) -> _Pair | None:
        return _Pair(to.code) if to.code in self.targets else None


@pytest.fixture
def argos_installed() -> Iterator[None]:
    package = types.ModuleType("argostranslate")
    module = types.ModuleType("argostranslate.translate")
    module.get_installed_languages = lambda: [  # type: ignore[attr-defined]
        _Language("en", ("ar",)), _Language("ar", ())]
    package.translate = module  # type: ignore[attr-defined]
    sys.modules.update({"argostranslate": package, "argostranslate.translate": module})
    yield
    for name in ("argostranslate", "argostranslate.translate"):
        sys.modules.pop(name, None)


def test_not_installed_is_reported_unavailable() -> None:
    assert "argostranslate" not in sys.modules
    reason = ArgosTranslate().unavailable()
    assert reason is not None and "not installed" in reason


async def test_not_installed_fails_permanently() -> None:
    with pytest.raises(TranslationError) as caught:
        await ArgosTranslate().translate(["<p>x</p>"], source="en", target="ar")
    assert caught.value.permanent


async def test_translates_text_runs_and_keeps_tags(argos_installed: None) -> None:
    argos = ArgosTranslate()
    assert argos.unavailable() is None
    out = await argos.translate(["Talks", "<p>Xi <b>spoke</b></p>"], source="en", target="ar")
    assert out == ["&lt;ar:Talks&gt;", "<p>&lt;ar:Xi&gt; <b>&lt;ar:spoke&gt;</b></p>"]


async def test_a_missing_language_pair_fails_permanently(argos_installed: None) -> None:
    with pytest.raises(TranslationError) as caught:
        await ArgosTranslate().translate(["x"], source="ar", target="en")
    assert caught.value.permanent and "ar->en" in str(caught.value)
