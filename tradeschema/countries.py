"""Jurisdiction and language codes, taken from ISO data in ``pycountry``.

Countries are keyed by ISO 3166-1 alpha-2 (``US``, ``CN``); two codes outside the officially assigned
set are added because trade policy needs them: ``EU`` (ISO-reserved for the European Union, acting as
one jurisdiction in trade) and ``XK`` (user-assigned, used by the EU and others for Kosovo). Alpha-3
codes are accepted as aliases by :func:`normalize_country`, never stored.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

import pycountry

from ._compat import StrEnum

__all__ = [
    "EXTRA_JURISDICTIONS",
    "CountryCode",
    "LanguageCode",
    "country_name",
    "normalize_country",
]

EXTRA_JURISDICTIONS: dict[str, tuple[str, str]] = {
    "EU": ("EUU", "European Union"),
    "XK": ("XKX", "Kosovo"),
}
"""Codes outside ISO 3166-1's assigned set that the schema accepts: alpha-2 -> (alpha-3, name)."""


def _country_members() -> dict[str, str]:
    codes = {country.alpha_2 for country in pycountry.countries}
    codes.update(EXTRA_JURISDICTIONS)
    return {code: code for code in sorted(codes)}


def _language_members() -> dict[str, str]:
    codes = {lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2")}
    return {code: code for code in sorted(codes)}


if TYPE_CHECKING:

    class CountryCode(StrEnum):
        """ISO 3166-1 alpha-2 country code, plus EU for the European Union and XK for Kosovo."""

    class LanguageCode(StrEnum):
        """ISO 639-1 two-letter language code."""

else:
    # Members come from ISO data at import time, never from a table typed into the source.
    CountryCode = StrEnum("CountryCode", _country_members())
    CountryCode.__doc__ = "ISO 3166-1 alpha-2 country code, plus EU for the European Union and XK for Kosovo."
    LanguageCode = StrEnum("LanguageCode", _language_members())
    LanguageCode.__doc__ = "ISO 639-1 two-letter language code."


@cache
def _alpha3_index() -> dict[str, str]:
    index = {country.alpha_3: country.alpha_2 for country in pycountry.countries}
    index.update({alpha3: alpha2 for alpha2, (alpha3, _) in EXTRA_JURISDICTIONS.items()})
    return index


def normalize_country(code: str) -> str | None:
    """Return the alpha-2 key for an alpha-2 or alpha-3 code (any case), or ``None`` if unknown.

    >>> normalize_country("usa"), normalize_country("CN"), normalize_country("EUU")
    ('US', 'CN', 'EU')
    """
    upper = code.strip().upper()
    if len(upper) == 2:
        return upper if upper in CountryCode.__members__ else None
    if len(upper) == 3:
        return _alpha3_index().get(upper)
    return None


def country_name(code: str) -> str | None:
    """The English short name of an alpha-2 code, or ``None`` if unknown."""
    if code in EXTRA_JURISDICTIONS:
        return EXTRA_JURISDICTIONS[code][1]
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return None
    return str(getattr(country, "common_name", None) or country.name)
