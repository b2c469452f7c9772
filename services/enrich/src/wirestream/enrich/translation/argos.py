"""Argos Translate, offline, in this process: used only when ``argostranslate`` is
installed together with the language packages for the pair asked for.

Argos translates plain text, so each text run of the HTML is translated on its
own and the tags are put back untouched. It is CPU-bound: runs go to a thread.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Sequence
from typing import Any

from .backend import TranslationError
from .htmltext import translate_text_runs

MODULE = "argostranslate.translate"


class ArgosTranslate:
    engine = "argos"

    def __init__(self) -> None:
        self._languages: dict[str, Any] | None = None

    def _installed(self) -> dict[str, Any]:
        """Installed languages by ISO code (read once: packages need a restart anyway)."""
        if self._languages is None:
            module = importlib.import_module(MODULE)
            self._languages = {lang.code: lang for lang in module.get_installed_languages()}
        return self._languages

    def unavailable(self) -> str | None:
        try:
            installed = self._installed()
        except ImportError:
            return "argostranslate is not installed (pip install argostranslate)"
        if not installed:
            return "no Argos Translate language packages are installed (argospm install ...)"
        return None

    def _translation(self, source: str, target: str) -> Any:
        reason = self.unavailable()
        if reason:
            raise TranslationError(reason, permanent=True)
        languages = self._installed()
        pair = None
        if source in languages and target in languages:
            pair = languages[source].get_translation(languages[target])
        if pair is None:
            raise TranslationError(f"no Argos Translate package for {source}->{target}",
                                   permanent=True)
        return pair

    async def translate(self, fragments: Sequence[str], *, source: str,
                        target: str) -> list[str]:
        pair = self._translation(source, target)

        def run() -> list[str]:
            return [translate_text_runs(f, pair.translate) for f in fragments]

        return await asyncio.to_thread(run)

    async def aclose(self) -> None:
        return None
