"""The words the templates print, in the guide's language.

Each language has one catalog, catalogs/<language>.yaml. English is the
reference: its keys are every label there is, the {names} in its texts are the
values a label may use, and a label written as a mapping of plural forms (one,
few, many, other: the categories of the Unicode CLDR) is plural in every
language. Babel supplies what the catalogs do not repeat: each language's
plural rules, its way of writing dates, and its direction of writing.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

import yaml
from markupsafe import Markup, escape

CATALOGS_DIR = Path(__file__).resolve().parent / "catalogs"
REFERENCE = "en"
DATE_KEY = "date_format"  # not a label: the CLDR pattern, or a Babel width like "long"

Message = str | Mapping[str, str]  # a text, or a text per plural category


@dataclass(frozen=True)
class Labels:
    """The labels of one guide: its language's catalog with the guide's overrides on top."""

    language: str  # the guide's language tag, for Babel: de, pt-BR
    messages: Mapping[str, Message] = field(repr=False)
    date_format: str = "long"

    def __call__(self, name: str, **values: object) -> Markup:
        """The label called name with its {names} filled in; values are escaped unless Markup."""
        message = self.messages[name]
        if not isinstance(message, str):
            forms = message
            message = forms.get(self.plural_category(values["count"]), forms["other"])
        return Markup(escape(message)).format(**values)

    def date(self, day: date) -> str:
        from babel.dates import format_date

        return format_date(day, self.date_format, locale=babel_locale(self.language))

    def plural_category(self, count: object) -> str:
        return babel_locale(self.language).plural_form(count)

    @property
    def text(self) -> str:
        """Every label's text, for choosing the faces that draw them."""
        return "".join("".join(message_texts(message)) for message in self.messages.values())

    @property
    def direction(self) -> str:
        """ltr or rtl: the direction the language is written in."""
        return "rtl" if babel_locale(self.language).character_order == "right-to-left" else "ltr"


def catalog_for(language: str) -> str | None:
    """The catalog for a language tag (de-AT finds de), or None when there is none."""
    tag = language.replace("_", "-").lower()
    for candidate in (tag, tag.split("-")[0]):
        if candidate in catalogs():
            return candidate
    return None


@cache
def catalogs() -> tuple[str, ...]:
    return tuple(sorted(path.stem for path in CATALOGS_DIR.glob("*.yaml")))


@cache
def catalog(name: str) -> dict[str, Message]:
    """A catalog's messages, as the file holds them (our own files, so plain safe_load)."""
    with (CATALOGS_DIR / f"{name}.yaml").open(encoding="utf-8") as file:
        return yaml.safe_load(file)


def labels_for(language: str, overrides: Mapping[str, Message] | None = None) -> Labels:
    """The labels for a language tag; a language without a catalog gets English."""
    own = catalog(catalog_for(language) or REFERENCE)
    messages = {**catalog(REFERENCE), **own, **(overrides or {})}
    del messages[DATE_KEY]
    date_format = str(own.get(DATE_KEY, "long"))
    return Labels(language if known_locale(language) else REFERENCE, messages, date_format)


def label_names() -> tuple[str, ...]:
    return tuple(name for name in catalog(REFERENCE) if name != DATE_KEY)


def placeholders(name: str) -> frozenset[str]:
    """The {names} the English label uses: the values a template passes to it."""
    return frozenset(field_names(message_texts(catalog(REFERENCE)[name])))


def is_plural(name: str) -> bool:
    return isinstance(catalog(REFERENCE)[name], Mapping)


def plural_categories(language: str) -> tuple[str, ...]:
    """The plural forms a language distinguishes, other always among them."""
    return tuple(sorted(babel_locale(language).plural_form.tags | {"other"}))


def field_names(texts: tuple[str, ...]) -> list[str]:
    """The {names} used in texts; raises ValueError for a format text that is not plain {name}s."""
    names = []
    for text in texts:
        for _, name, spec, conversion in string.Formatter().parse(text):
            if name is None:
                continue
            if not name.isidentifier() or spec or conversion:
                raise ValueError(f"'{{{name}}}' is not a plain {{name}}")
            names.append(name)
    return names


def message_texts(message: Message) -> tuple[str, ...]:
    """A label's text, or the texts of its plural forms."""
    return (message,) if isinstance(message, str) else tuple(message.values())


def known_locale(language: str) -> bool:
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(language, sep="-" if "-" in language else "_")
    except (UnknownLocaleError, ValueError):
        return False
    return True


@cache
def babel_locale(language: str):
    from babel import Locale

    return Locale.parse(language if known_locale(language) else REFERENCE,
                        sep="-" if "-" in language else "_")
