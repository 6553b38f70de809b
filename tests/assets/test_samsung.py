"""Samsung's CDN image names and the <samsung:wallet> tag
(https://developer.samsung.com/wallet/api/implement-the-button.html)."""

from __future__ import annotations

import pytest

from linkkit.assets.locales import LOCALES
from linkkit.assets.samsung import SAMSUNG_WALLET_SCRIPT, samsung_image_url, samsung_wallet_tag
from linkkit.errors import AssetError, ValidationError
from tests.assets._html_check import parse

TRACK = {"rd_click_url": "https://rd.example/click?x=1&y=2", "rd_impression_url": "https://rd.example/imp"}


@pytest.mark.parametrize(
    ("theme", "layout", "name"),
    [
        ("light", "horizontal", "add-to-samsung-wallet_en-us.png"),
        ("dark", "horizontal", "add-to-samsung-wallet_dark_en-us.png"),
        ("light", "vertical", "add-to-samsung-wallet_ver_en-us.png"),
        ("dark", "vertical", "add-to-samsung-wallet_dark_ver_en-us.png"),
    ],
)
def test_cdn_image_names(theme: str, layout: str, name: str) -> None:
    url = samsung_image_url("wallet", LOCALES["en-US"], theme, layout)  # type: ignore[arg-type]
    assert url == "https://us-cdn-gpp.mcsvc.samsung.com/lib/" + name


def test_no_cdn_image_for_pay() -> None:
    with pytest.raises(AssetError, match="Save to Samsung Pay"):
        samsung_image_url("pay", LOCALES["en-US"], "light", "horizontal")


def test_wallet_tag_with_data_fetch() -> None:
    html = samsung_wallet_tag(
        card_id="3glji6d406000",
        partner_code="4030093436155138240",
        button_id="btn-1",
        ref_id="8bUAc3LoPtwFpNvW",
        locale=LOCALES["ko"],
        media_theme="darkonly",
        **TRACK,
    )
    doc = parse(html)
    tag = doc.one("samsung:wallet")
    assert tag.attrs == {
        "type": "atw",
        "cardid": "3glji6d406000",
        "pdata": "8bUAc3LoPtwFpNvW",
        "partnercode": "4030093436155138240",
        "buttonid": "btn-1",
        "buttontype": "btnSW",
        "inline": "true",
        "locale": "ko",
        "mediatheme": "darkonly",
        "rdclickurl": "https://rd.example/click?x=1&y=2",
        "rdimpressionurl": "https://rd.example/imp",
    }
    assert "&amp;y=2" in html
    assert SAMSUNG_WALLET_SCRIPT.endswith("/lib/wallet-card.js")


def test_wallet_tag_with_cdata_and_show_forced() -> None:
    doc = parse(
        samsung_wallet_tag(
            card_id="c", partner_code="p", button_id="b", cdata="aaa.bbb.ccc", show_forced=True, inline=False, **TRACK
        )
    )
    tag = doc.one("samsung:wallet")
    assert (tag.attrs["cdata"], tag.attrs["showforced"], tag.attrs["inline"]) == ("aaa.bbb.ccc", "true", "false")
    assert "pdata" not in tag.attrs


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"card_id": 'x" onclick="alert(1)'}, "card_id"),
        ({"partner_code": ""}, "partner_code"),
        ({"button_id": "a b"}, "button_id"),
        ({"ref_id": "<script>"}, "ref_id"),
        ({"ref_id": None, "cdata": "not a token"}, "cdata"),
        ({"rd_click_url": "javascript:alert(1)"}, "rd_click_url"),
        ({"rd_impression_url": "https://x/\n"}, "rd_impression_url"),
    ],
)
def test_wallet_tag_refuses_bad_values(override: dict[str, object], field: str) -> None:
    kwargs: dict[str, object] = {"card_id": "c", "partner_code": "p", "button_id": "b", "ref_id": "r", **TRACK}
    kwargs.update(override)
    with pytest.raises(ValidationError) as info:
        samsung_wallet_tag(**kwargs)  # type: ignore[arg-type]
    assert info.value.field == field


def test_wallet_tag_needs_exactly_one_payload() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        samsung_wallet_tag(card_id="c", partner_code="p", button_id="b", **TRACK)
    with pytest.raises(ValueError, match="exactly one"):
        samsung_wallet_tag(card_id="c", partner_code="p", button_id="b", ref_id="r", cdata="a.b.c", **TRACK)
