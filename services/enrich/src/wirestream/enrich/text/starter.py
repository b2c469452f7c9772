"""The starter taxonomy shipped with enrich: IPTC top-level topics, countries,
cities, people and organisations in world news.

Countries come from pycountry (ISO 3166-1 names and their gettext
translations); ``data/countries.csv`` overrides labels and adds the aliases
newsrooms actually write ("US", "أمريكا"). Everything is read when called,
never at import.
"""

from __future__ import annotations

import gettext
import json
import re
from importlib import resources

import pycountry

from wirestream.enrich.text.taxonomy import (
    Concept,
    merge_concepts,
    parse_csv,
    parse_iptc_skos_jsonld,
)

COUNTRY_LANGUAGES = ("ar", "fr", "de", "es", "ru", "zh")
_LOCALES = {"zh": "zh_CN"}
_DATA_FILES = ("people.csv", "organisations.csv", "places.csv")
# Display labels keep their letters but not the harakat pycountry's Arabic carries.
_HARAKAT = re.compile("[\u064b-\u0652]")


def _read(name: str) -> str:
    return resources.files("wirestream.enrich").joinpath("data", name).read_text("utf-8")


def _translations(lang: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[_LOCALES.get(lang, lang)], fallback=True
    )


def _short_names(names: dict[str, str]) -> dict[str, str]:
    """``"Korea, Republic of"`` → ``"Korea"`` unless another country shortens the same way."""
    short = {code: re.split(r"[,،]", name)[0].strip() for code, name in names.items()}
    taken: dict[str, int] = {}
    for name in short.values():
        taken[name] = taken.get(name, 0) + 1
    return {code: short[code] if taken[short[code]] == 1 else names[code] for code in names}


def country_concepts(languages: tuple[str, ...] = COUNTRY_LANGUAGES) -> list[Concept]:
    """Every ISO 3166-1 country as a place concept (``place:<alpha-2>``).

    English labels are pycountry's common name (or name); the name and
    official name become aliases when they read as plain text. Other
    languages get the translated name as their label.
    """
    countries = list(pycountry.countries)
    english = {c.alpha_2: getattr(c, "common_name", None) or c.name for c in countries}
    per_lang = {}
    for lang in languages:
        tr = _translations(lang)
        per_lang[lang] = _short_names(
            {code: _HARAKAT.sub("", tr.gettext(name)) for code, name in english.items()}
        )
    concepts = []
    for c in countries:
        aliases = {c.name, getattr(c, "official_name", c.name)} - {english[c.alpha_2]}
        concepts.append(
            Concept(
                id=f"place:{c.alpha_2}",
                kind="place",
                labels={"en": english[c.alpha_2]}
                | {lang: names[c.alpha_2] for lang, names in per_lang.items()},
                aliases={"en": sorted(a for a in aliases if "," not in a)},
            )
        )
    return concepts


def load_iptc_topics() -> list[Concept]:
    """The 17 top-level IPTC Media Topics from ``data/medtop.jsonld``."""
    return parse_iptc_skos_jsonld(json.loads(_read("medtop.jsonld")))


def load_starter_taxonomy() -> list[Concept]:
    """Topics, countries (with overrides), cities, people and organisations."""
    concepts = load_iptc_topics() + country_concepts() + parse_csv(_read("countries.csv"))
    for name in _DATA_FILES:
        concepts += parse_csv(_read(name))
    return merge_concepts(concepts)
