"""Button labels in every shipped locale, and the fallback chain that picks one for any tag.

The chain is: the exact tag, then the tag without its region (``pt-BR`` -> ``pt``), then the
language's default region (``en`` -> ``en-US``, ``zh-HK`` -> ``zh-TW``), then :data:`DEFAULT_LOCALE`.
Tags are matched case-insensitively and ``_`` is read as ``-`` (``pt_br`` works). Anything that
does not match, including malformed input such as a raw ``Accept-Language`` header, falls back
to ``en-US``: the resolved tag always comes from this table, never from the caller.

"Samsung Wallet" and "Samsung Pay" are product names and stay in Latin script in every label,
as Samsung's own localized material does.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal

ButtonKind = Literal["wallet", "pay"]
Direction = Literal["ltr", "rtl"]

#: The locale every chain ends in.
DEFAULT_LOCALE: Final = "en-US"


@dataclass(frozen=True, slots=True)
class Locale:
    """One shipped locale: its BCP 47 tag, text direction and the two button labels."""

    tag: str
    direction: Direction
    wallet: str
    pay: str

    def label(self, kind: ButtonKind) -> str:
        """The label of a ``wallet`` ("Add to Samsung Wallet") or ``pay`` ("Save to Samsung Pay") button."""
        if kind == "wallet":
            return self.wallet
        if kind == "pay":
            return self.pay
        raise ValueError(f"kind must be 'wallet' or 'pay' (got {kind!r})")


def _table(*rows: tuple[str, Direction, str, str]) -> Mapping[str, Locale]:
    return MappingProxyType({tag: Locale(tag, direction, wallet, pay) for tag, direction, wallet, pay in rows})


#: Every shipped locale (the art in ``web/buttons/`` exists for each of them).
LOCALES: Final[Mapping[str, Locale]] = _table(
    ("en-US", "ltr", "Add to Samsung Wallet", "Save to Samsung Pay"),
    ("en-GB", "ltr", "Add to Samsung Wallet", "Save to Samsung Pay"),
    ("ko", "ltr", "Samsung Wallet에 추가", "Samsung Pay에 저장"),
    ("ja", "ltr", "Samsung Walletに追加", "Samsung Payに保存"),
    ("zh-CN", "ltr", "添加到 Samsung Wallet", "保存到 Samsung Pay"),
    ("zh-TW", "ltr", "新增至 Samsung Wallet", "儲存至 Samsung Pay"),
    ("ar", "rtl", "إضافة إلى Samsung Wallet", "حفظ في Samsung Pay"),
    ("he", "rtl", "הוספה ל-Samsung Wallet", "שמירה ב-Samsung Pay"),
    ("de", "ltr", "Zu Samsung Wallet hinzufügen", "In Samsung Pay speichern"),
    ("fr", "ltr", "Ajouter à Samsung Wallet", "Enregistrer dans Samsung Pay"),
    ("es", "ltr", "Añadir a Samsung Wallet", "Guardar en Samsung Pay"),
    ("pt-BR", "ltr", "Adicionar à Samsung Wallet", "Salvar no Samsung Pay"),
    ("pt", "ltr", "Adicionar à Samsung Wallet", "Guardar no Samsung Pay"),
    ("it", "ltr", "Aggiungi a Samsung Wallet", "Salva in Samsung Pay"),
    ("nl", "ltr", "Toevoegen aan Samsung Wallet", "Opslaan in Samsung Pay"),
    ("pl", "ltr", "Dodaj do Samsung Wallet", "Zapisz w Samsung Pay"),
    ("sv", "ltr", "Lägg till i Samsung Wallet", "Spara i Samsung Pay"),
    ("tr", "ltr", "Samsung Wallet'a ekle", "Samsung Pay'e kaydet"),
    ("el", "ltr", "Προσθήκη στο Samsung Wallet", "Αποθήκευση στο Samsung Pay"),
    ("ru", "ltr", "Добавить в Samsung Wallet", "Сохранить в Samsung Pay"),
    ("id", "ltr", "Tambahkan ke Samsung Wallet", "Simpan ke Samsung Pay"),
    ("th", "ltr", "เพิ่มไปยัง Samsung Wallet", "บันทึกลงใน Samsung Pay"),
)

#: Where a language (or a tag outside the table) goes before the final fallback.
_LANGUAGE_DEFAULTS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "en": "en-US",
        "zh": "zh-CN",
        "zh-hans": "zh-CN",
        "zh-hant": "zh-TW",
        "zh-hk": "zh-TW",
        "zh-mo": "zh-TW",
        "zh-sg": "zh-CN",
        "iw": "he",  # the pre-1989 code Java and old Android still send
        "in": "id",
    }
)

_BY_FOLDED: Final = {tag.lower(): tag for tag in LOCALES}
_TAG: Final = re.compile(r"[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*")


def fallback_chain(tag: str | None) -> tuple[str, ...]:
    """The tags tried for ``tag``, most specific first, always ending in :data:`DEFAULT_LOCALE`.

    ::

        >>> fallback_chain("pt-BR")
        ('pt-BR', 'pt', 'en-US')
        >>> fallback_chain("zh-Hant-HK")
        ('zh-Hant-HK', 'zh-Hant', 'zh-TW', 'zh', 'zh-CN', 'en-US')
    """
    chain: list[str] = []

    def add(candidate: str) -> None:
        shipped = _BY_FOLDED.get(candidate.lower(), candidate)
        if shipped not in chain:
            chain.append(shipped)
        default = _LANGUAGE_DEFAULTS.get(candidate.lower())
        if default and default not in chain:
            chain.append(default)

    if isinstance(tag, str) and _TAG.fullmatch(tag):
        parts = tag.replace("_", "-").split("-")
        for end in range(len(parts), 0, -1):
            add("-".join(parts[:end]))
    if DEFAULT_LOCALE not in chain:
        chain.append(DEFAULT_LOCALE)
    return tuple(chain)


def resolve_locale(tag: str | None) -> Locale:
    """The shipped :class:`Locale` for any tag (see the module docstring for the chain)."""
    for candidate in fallback_chain(tag):
        if candidate in LOCALES:
            return LOCALES[candidate]
    return LOCALES[DEFAULT_LOCALE]  # pragma: no cover - the chain always ends in the default
