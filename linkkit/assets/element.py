"""The ``<samsung-wallet-button>`` element's HTML, for servers that render pages.

The element (js/samsung-wallet-button.js) draws the button itself from its attributes; what the
server adds is what the browser cannot make: the QR code desktops and tablets show instead
("scan with your Samsung phone"), the failure message in the page's language, and the choice
between a static Data Fetch link (``href``) and a click-time mint (``mint_url``).

::

    wallet_element(mint_url="/buttons/mint/AbC...", qr="https://partner.example/w/AbC...", card="3glji6d406000")
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, Literal

from markupsafe import Markup, escape

from linkkit.assets._html import attrs, check_base, check_url
from linkkit.assets.artwork import check_choice
from linkkit.assets.buttons import DEFAULT_WEB_BASE
from linkkit.assets.locales import LOCALES, ButtonKind, resolve_locale
from linkkit.assets.qr import make_qr
from linkkit.errors import FieldError, ValidationError

CardState = Literal["add", "view"]
Gate = Literal["auto", "button", "qr", "hidden"]

#: tag -> (View label, QR caption, failure message); every shipped locale has a row (tested).
TEXTS: Final[Mapping[str, tuple[str, str, str]]] = MappingProxyType(
    {
        "en-US": (
            "View in Samsung Wallet",
            "Scan with your Samsung phone",
            "Samsung Wallet could not be opened. Try again.",
        ),
        "en-GB": (
            "View in Samsung Wallet",
            "Scan with your Samsung phone",
            "Samsung Wallet could not be opened. Try again.",
        ),
        "ko": (
            "Samsung Wallet에서 보기",
            "Samsung 휴대전화로 스캔하세요",
            "Samsung Wallet을 열 수 없습니다. 다시 시도하세요.",
        ),
        "ja": (
            "Samsung Walletで表示",
            "Samsungのスマートフォンでスキャン",
            "Samsung Walletを開けませんでした。もう一度お試しください。",
        ),
        "zh-CN": ("在 Samsung Wallet 中查看", "用 Samsung 手机扫描", "无法打开 Samsung Wallet。请重试。"),
        "zh-TW": ("在 Samsung Wallet 中檢視", "用 Samsung 手機掃描", "無法開啟 Samsung Wallet。請再試一次。"),
        "ar": ("عرض في Samsung Wallet", "امسح الرمز بهاتف Samsung", "تعذّر فتح Samsung Wallet. حاول مرة أخرى."),
        "he": ("הצגה ב-Samsung Wallet", "סרקו בטלפון Samsung", "לא ניתן לפתוח את Samsung Wallet. נסו שוב."),
        "de": (
            "In Samsung Wallet ansehen",
            "Mit Ihrem Samsung-Smartphone scannen",
            "Samsung Wallet konnte nicht geöffnet werden. Bitte erneut versuchen.",
        ),
        "fr": (
            "Afficher dans Samsung Wallet",
            "Scannez avec votre téléphone Samsung",
            "Impossible d'ouvrir Samsung Wallet. Réessayez.",
        ),
        "es": (
            "Ver en Samsung Wallet",
            "Escanea con tu teléfono Samsung",
            "No se ha podido abrir Samsung Wallet. Inténtalo de nuevo.",
        ),
        "pt-BR": (
            "Ver na Samsung Wallet",
            "Escaneie com seu celular Samsung",
            "Não foi possível abrir a Samsung Wallet. Tente novamente.",
        ),
        "pt": (
            "Ver na Samsung Wallet",
            "Digitalize com o seu telemóvel Samsung",
            "Não foi possível abrir a Samsung Wallet. Tente novamente.",
        ),
        "it": (
            "Visualizza in Samsung Wallet",
            "Scansiona con il tuo telefono Samsung",
            "Impossibile aprire Samsung Wallet. Riprova.",
        ),
        "nl": (
            "Bekijken in Samsung Wallet",
            "Scan met je Samsung-telefoon",
            "Samsung Wallet kon niet worden geopend. Probeer het opnieuw.",
        ),
        "pl": (
            "Wyświetl w Samsung Wallet",
            "Zeskanuj telefonem Samsung",
            "Nie udało się otworzyć Samsung Wallet. Spróbuj ponownie.",
        ),
        "sv": (
            "Visa i Samsung Wallet",
            "Skanna med din Samsung-telefon",
            "Samsung Wallet kunde inte öppnas. Försök igen.",
        ),
        "tr": (
            "Samsung Wallet'ta görüntüle",
            "Samsung telefonunuzla tarayın",
            "Samsung Wallet açılamadı. Tekrar deneyin.",
        ),
        "el": (
            "Προβολή στο Samsung Wallet",
            "Σαρώστε με το τηλέφωνο Samsung",
            "Δεν ήταν δυνατό το άνοιγμα του Samsung Wallet. Δοκιμάστε ξανά.",
        ),
        "ru": (
            "Открыть в Samsung Wallet",
            "Отсканируйте телефоном Samsung",
            "Не удалось открыть Samsung Wallet. Повторите попытку.",
        ),
        "id": (
            "Lihat di Samsung Wallet",
            "Pindai dengan ponsel Samsung Anda",
            "Samsung Wallet tidak dapat dibuka. Coba lagi.",
        ),
        "th": ("ดูใน Samsung Wallet", "สแกนด้วยโทรศัพท์ Samsung", "ไม่สามารถเปิด Samsung Wallet ได้ โปรดลองอีกครั้ง"),
    }
)
assert set(TEXTS) == set(LOCALES)


def _path_or_url(value: str, field: str) -> str:
    """A same-site path (``/buttons/mint/...``) or an absolute http(s) URL."""
    if isinstance(value, str) and value.startswith("/") and not value.startswith("//"):
        check_url("https://site.invalid" + value, field)  # the same character rules as a URL
        return value
    return check_url(value, field)


def wallet_element(
    href: str | None = None,
    *,
    mint_url: str | None = None,
    qr: str | None = None,
    card: str | None = None,
    kind: ButtonKind = "wallet",
    locale: str | None = None,
    theme: Literal["light", "dark", "auto"] = "light",
    layout: Literal["horizontal", "vertical"] = "horizontal",
    state: CardState = "add",
    gate: Gate = "auto",
    beacon_url: str | None = None,
    rd_impression_url: str | None = None,
    rd_click_url: str | None = None,
    asset_base: str = DEFAULT_WEB_BASE,
    qr_size: str = "9rem",
    debug: bool = False,
) -> Markup:
    """``<samsung-wallet-button>`` with its attributes checked and escaped, and the QR code child.

    :param href: a static Data Fetch link (or a click-time link): the button is a plain link to it.
    :param mint_url: instead of ``href``: the endpoint the button POSTs to at click time for a fresh
        Data Transmit link (:class:`linkkit.partner.buttons.ButtonEndpoints`).
    :param qr: the link the QR code holds, shown on desktops and tablets; default ``href``. Never a
        Data Transmit link (its token lives 30 seconds): a Data Fetch or click-time link.
    :param card: the card id the funnel beacons carry.
    :param state: ``"view"`` when the card is already in the wallet ("View in Samsung Wallet").
    :param gate: ``"auto"`` lets the browser decide (:mod:`linkkit.assets.gating`); the others force.
    :raises ValidationError: a bad link or URL, naming the field.
    :raises ValueError: a choice outside its set.
    """
    if (href is None) == (mint_url is None):
        raise ValidationError(FieldError("href", "give href (a static link) or mint_url, not both"))
    check_choice(kind, "kind", ("wallet", "pay"))
    check_choice(theme, "theme", ("light", "dark", "auto"))
    check_choice(layout, "layout", ("horizontal", "vertical"))
    check_choice(state, "state", ("add", "view"))
    check_choice(gate, "gate", ("auto", "button", "qr", "hidden"))
    if card is not None and not (0 < len(card) <= 32 and card.replace("-", "").replace("_", "").isalnum()):
        raise ValidationError(FieldError("card", "must be a card id: 1-32 letters, digits, '-' or '_'"))
    loc = resolve_locale(locale)
    _view, caption, failure = TEXTS[loc.tag]
    pairs: list[tuple[str, str | int | None]] = [
        ("kind", kind),
        ("locale", loc.tag),
        ("theme", theme),
        ("layout", layout),
        ("href", None if href is None else check_url(href, "href")),
        ("mint-url", None if mint_url is None else _path_or_url(mint_url, "mint_url")),
        ("card", card),
        ("state", state),
        ("gate", None if gate == "auto" else gate),
        ("beacon-url", None if beacon_url is None else _path_or_url(beacon_url, "beacon_url")),
        ("rd-impression-url", None if rd_impression_url is None else check_url(rd_impression_url, "rd_impression_url")),
        ("rd-click-url", None if rd_click_url is None else check_url(rd_click_url, "rd_click_url")),
        ("asset-base", check_base(asset_base, "asset_base", allow_path=True)),
        ("error-text", failure),
        ("lang", loc.tag),
        ("dir", loc.direction),
    ]
    flag = " debug" if debug else ""
    inner = ""
    qr_link = qr if qr is not None else href
    if qr_link is not None and gate != "button":  # a forced button never shows its QR code
        svg = make_qr(check_url(qr_link, "qr"), level="M").svg(size=qr_size, title=caption)
        inner = f'<figure class="swb-qr">{svg}<figcaption>{escape(caption)}</figcaption></figure>'
    return Markup(f"<samsung-wallet-button{attrs(pairs)}{flag}>{inner}</samsung-wallet-button>")  # noqa: S704
