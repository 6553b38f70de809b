"""The link planner and the channel rule (no Data Transmit link in email, SMS, QR or print)."""

from __future__ import annotations

import pytest
import segno

from linkkit import errors
from linkkit.links import fetch_link, transmit_link
from linkkit.plan import check_link_for_channel, plan_card, qr_fit, sms_segments

from .conftest import CARD_ID, CERTIFICATE_ID, PARTNER_ID


@pytest.mark.parametrize("channel", ["email", "sms", "qr", "print"])
def test_static_channels_get_fetch(loyalty_card, channel):
    plan = plan_card(loyalty_card, channel=channel)
    assert plan.recommended == "fetch" and "30-second" in plan.reason


def test_web_gets_transmit_when_it_fits(loyalty_card):
    plan = plan_card(loyalty_card, channel="web", card_id=CARD_ID, certificate_id=CERTIFICATE_ID, partner_id=PARTNER_ID)
    assert plan.recommended == "transmit" and not plan.cdata_over_documented_limit
    assert plan.transmit_url_length == len(f"https://a.swallet.link/atw/v3/{CARD_ID}#Clip?cdata=") + plan.cdata_length
    assert plan.to_dict()["fits_sms"] is False


def test_big_card_over_the_documented_limit_gets_fetch(loyalty_card):
    loyalty_card["card"]["data"][0]["attributes"]["noticeDesc"] = "x" * 1500
    plan = plan_card(loyalty_card, channel="web")
    assert plan.cdata_over_documented_limit and plan.recommended == "fetch" and plan.warnings


def test_measurements_of_a_real_token(signer, loyalty_card):
    token = signer.card_data_token(loyalty_card)
    plan = plan_card(loyalty_card, channel="web", card_id=CARD_ID, certificate_id=CERTIFICATE_ID, partner_id=PARTNER_ID)
    assert plan.cdata_length == len(token)
    assert plan.transmit_url_length == len(transmit_link(CARD_ID, token))


def test_qr_and_sms_measures():
    url = fetch_link(CERTIFICATE_ID, CARD_ID, "a" * 32)
    fit = qr_fit(url)
    independent = segno.make(url, error="m", boost_error=False, mode="byte", mask=0)
    expected = (independent.version, independent.symbol_size(border=0)[0], True)
    assert (fit.version, fit.modules, fit.comfortable) == expected
    assert qr_fit("x" * 2332, "M").version is None
    assert sms_segments("x" * 160) == 1 and sms_segments("x" * 161) == 2


def test_transmit_links_are_refused_for_static_channels(signer, loyalty_card):
    link = transmit_link(CARD_ID, signer.card_data_token(loyalty_card))
    assert check_link_for_channel(link, "web").kind == "transmit"
    with pytest.raises(errors.ChannelError, match="expires 30 s") as info:
        check_link_for_channel(link, "email")
    assert info.value.field == "link"
    assert check_link_for_channel(fetch_link("YMtt", "c", "r"), "print").kind == "fetch"
    with pytest.raises(errors.ChannelError, match="channel"):
        check_link_for_channel(link, "fax")
