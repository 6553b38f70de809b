"""Builders for the common card types: typed, keyword-only, returning the plain card dict.

Each builder fills Samsung's card JSON structure (``card.type``, ``subType``, one ``data`` entry with
``refId``, ``createdAt``, ``updatedAt``, ``language``, ``attributes`` and ``localization``), then
validates its own output with :func:`~linkkit.cards.validate_card` in strict mode (refIds within
String(32)), so a builder returns a card that follows Samsung's current pages: no warning, no error.
``sub_type`` may be left out for a type with a single sub-type (``"others"``); the builder fills it.

Extra attributes go in as keyword arguments. ``snake_case`` names become Samsung's ``camelCase``
(``notice_desc`` → ``noticeDesc``); dotted keys must be passed as they are
(``**{"logoImage.darkUrl": url}``). Values are converted where the table says how: ``True`` /
``False`` for a Y/N flag become ``"Y"`` / ``"N"``, and a dict or list for a JSON-string attribute
(``csInfo``, ``locations``, ``extraInfo`` ...) is encoded with compact ``json.dumps``. ``None`` leaves
an attribute out.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from linkkit.cards._assemble import CardDict, Clock, Localization, build, stamps_of
from linkkit.cards.barcode import Barcode
from linkkit.cards.registry import BOARDINGPASS, COUPON, GENERIC, GIFTCARD, LOYALTY, TICKET

__all__ = [
    "CardDict",
    "Clock",
    "Localization",
    "boarding_pass_card",
    "coupon_card",
    "generic_card",
    "gift_card",
    "loyalty_card",
    "ticket_card",
]


def loyalty_card(
    *,
    ref_id: str,
    title: str,
    provider_name: str,
    app_link_logo: str,
    app_link_name: str,
    app_link_data: str,
    sub_type: str | None = None,
    barcode: Barcode | None = None,
    language: str = "en",
    created_at: int | None = None,
    updated_at: int | None = None,
    clock: Clock = time.time,
    localization: Localization | None = None,
    account: Mapping[str, str] | None = None,
    **extra_attributes: object,
) -> CardDict:
    """A ``loyalty`` / ``others`` card (membership).

    :param ref_id: the card instance's refId (use :func:`linkkit.atw.links.new_ref_id`), ≤ 32 characters.
    :param title: ``title``, String(32).
    :param provider_name: ``providerName``, String(32).
    :param app_link_logo: ``appLinkLogo``, an image URL.
    :param app_link_name: ``appLinkName``, String(32).
    :param app_link_data: ``appLinkData``, String(256): the partner app link (a URL or an app URI).
    :param sub_type: ``card.subType``; ``None`` fills the type's only sub-type, ``"others"``.
    :param barcode: the membership barcode, or ``None``.
    :param language: ``data[].language``, e.g. ``"en"``.
    :param created_at: epoch ms; ``None`` reads ``clock``.
    :param updated_at: epoch ms; ``None`` uses ``created_at``.
    :param clock: returns epoch seconds (``time.time``).
    :param localization: localized attributes by language, e.g. ``{"ko": {"title": "..."}}``.
    :param account: ``{"type": "email", "value": "..."}`` for server-initiated provisioning.
    :param extra_attributes: any other loyalty attribute (``bg_color="#003087"``).
    :raises linkkit.errors.ValidationError: when the card breaks a rule.
    """
    return build(
        LOYALTY,
        sub_type,
        {
            "title": title,
            "providerName": provider_name,
            "appLinkLogo": app_link_logo,
            "appLinkName": app_link_name,
            "appLinkData": app_link_data,
        },
        stamps=stamps_of(created_at, updated_at, clock),
        ref_id=ref_id,
        language=language,
        barcode=barcode,
        localization=localization,
        account=account,
        extra=extra_attributes,
    )


def gift_card(
    *,
    ref_id: str,
    title: str,
    provider_name: str,
    app_link_logo: str,
    app_link_name: str,
    app_link_data: str,
    sub_type: str | None = None,
    barcode: Barcode | None = None,
    language: str = "en",
    created_at: int | None = None,
    updated_at: int | None = None,
    clock: Clock = time.time,
    localization: Localization | None = None,
    account: Mapping[str, str] | None = None,
    **extra_attributes: object,
) -> CardDict:
    """A ``giftcard`` / ``others`` card; parameters as in :func:`loyalty_card`."""
    return build(
        GIFTCARD,
        sub_type,
        {
            "title": title,
            "providerName": provider_name,
            "appLinkLogo": app_link_logo,
            "appLinkName": app_link_name,
            "appLinkData": app_link_data,
        },
        stamps=stamps_of(created_at, updated_at, clock),
        ref_id=ref_id,
        language=language,
        barcode=barcode,
        localization=localization,
        account=account,
        extra=extra_attributes,
    )


def coupon_card(
    *,
    ref_id: str,
    title: str,
    main_img: str,
    expiry: int,
    app_link_logo: str,
    app_link_name: str,
    app_link_data: str,
    issue_date: int | None = None,
    editable: bool = False,
    deletable: bool = True,
    display_redeem_button: bool = True,
    notification: bool = True,
    sub_type: str | None = None,
    barcode: Barcode | None = None,
    language: str = "en",
    created_at: int | None = None,
    updated_at: int | None = None,
    clock: Clock = time.time,
    localization: Localization | None = None,
    account: Mapping[str, str] | None = None,
    **extra_attributes: object,
) -> CardDict:
    """A ``coupon`` / ``others`` card.

    :param main_img: ``mainImg``, the coupon image URL (≤ 512 kB).
    :param expiry: ``expiry``, epoch ms; Samsung cleans the card up after it.
    :param issue_date: ``issueDate``, epoch ms; ``None`` uses ``created_at``.
    :param editable: ``editableYn``.
    :param deletable: ``deletableYn``.
    :param display_redeem_button: ``displayRedeemButtonYn``.
    :param notification: ``notificationYn``.

    Other parameters as in :func:`loyalty_card`.
    """
    stamps = stamps_of(created_at, updated_at, clock)
    return build(
        COUPON,
        sub_type,
        {
            "title": title,
            "mainImg": main_img,
            "expiry": expiry,
            "issueDate": stamps[0] if issue_date is None else issue_date,
            "editableYn": editable,
            "deletableYn": deletable,
            "displayRedeemButtonYn": display_redeem_button,
            "notificationYn": notification,
            "appLinkLogo": app_link_logo,
            "appLinkName": app_link_name,
            "appLinkData": app_link_data,
        },
        stamps=stamps,
        ref_id=ref_id,
        language=language,
        barcode=barcode,
        localization=localization,
        account=account,
        extra=extra_attributes,
    )


def ticket_card(
    *,
    ref_id: str,
    title: str,
    main_img: str,
    logo_image: str,
    provider_name: str,
    sub_type: str = "movies",
    issue_date: int | None = None,
    logo_image_dark_url: str | None = None,
    logo_image_light_url: str | None = None,
    barcode: Barcode | None = None,
    language: str = "en",
    created_at: int | None = None,
    updated_at: int | None = None,
    clock: Clock = time.time,
    localization: Localization | None = None,
    account: Mapping[str, str] | None = None,
    **extra_attributes: object,
) -> CardDict:
    """A ``ticket`` card (``movies`` by default; also performances, sports, entrances, others).

    :param main_img: ``mainImg``, the ticket image URL (≤ 512 kB).
    :param logo_image: ``logoImage``; also used for the dark and light variants unless given.
    :param issue_date: ``issueDate``, epoch ms; ``None`` uses ``created_at``.
    :param sub_type: ``card.subType``.

    Other parameters as in :func:`loyalty_card`; ``start_date=``, ``seat_number=`` ... go in
    ``extra_attributes``.
    """
    stamps = stamps_of(created_at, updated_at, clock)
    return build(
        TICKET,
        sub_type,
        {
            "title": title,
            "mainImg": main_img,
            "logoImage": logo_image,
            "logoImage.darkUrl": logo_image_dark_url or logo_image,
            "logoImage.lightUrl": logo_image_light_url or logo_image,
            "providerName": provider_name,
            "issueDate": stamps[0] if issue_date is None else issue_date,
        },
        stamps=stamps,
        ref_id=ref_id,
        language=language,
        barcode=barcode,
        localization=localization,
        account=account,
        extra=extra_attributes,
    )


def boarding_pass_card(
    *,
    ref_id: str,
    title: str,
    provider_name: str,
    provider_logo: str,
    seat_number: str,
    reservation_number: str,
    sub_type: str = "airlines",
    user: str | None = None,
    vehicle_number: str | None = None,
    seat_class: str | None = None,
    provider_logo_dark_url: str | None = None,
    provider_logo_light_url: str | None = None,
    barcode: Barcode | None = None,
    language: str = "en",
    created_at: int | None = None,
    updated_at: int | None = None,
    clock: Clock = time.time,
    localization: Localization | None = None,
    account: Mapping[str, str] | None = None,
    **extra_attributes: object,
) -> CardDict:
    """A ``boardingpass`` card (``airlines`` by default; also trains, buses, ferries, others).

    :param provider_logo: ``providerLogo``; also used for the dark and light variants unless given.
    :param user: passenger name; required for ``airlines``.
    :param vehicle_number: flight number; required for ``airlines``.
    :param seat_class: required for ``airlines``.

    Other parameters as in :func:`loyalty_card`; ``boarding_time=``, ``depart_code=`` ... go in
    ``extra_attributes``.
    """
    return build(
        BOARDINGPASS,
        sub_type,
        {
            "title": title,
            "providerLogo": provider_logo,
            "providerLogo.darkUrl": provider_logo_dark_url or provider_logo,
            "providerLogo.lightUrl": provider_logo_light_url or provider_logo,
            "providerName": provider_name,
            "user": user,
            "vehicleNumber": vehicle_number,
            "seatClass": seat_class,
            "seatNumber": seat_number,
            "reservationNumber": reservation_number,
        },
        stamps=stamps_of(created_at, updated_at, clock),
        ref_id=ref_id,
        language=language,
        barcode=barcode,
        localization=localization,
        account=account,
        extra=extra_attributes,
    )


def generic_card(
    *,
    ref_id: str,
    title: str,
    provider_name: str,
    start_date: int | None = None,
    sub_type: str | None = None,
    barcode: Barcode | None = None,
    language: str = "en",
    created_at: int | None = None,
    updated_at: int | None = None,
    clock: Clock = time.time,
    localization: Localization | None = None,
    account: Mapping[str, str] | None = None,
    **extra_attributes: object,
) -> CardDict:
    """A ``generic`` / ``others`` card, for anything the other types do not cover.

    :param start_date: ``startDate``, epoch ms; ``None`` uses ``created_at``.

    Other parameters as in :func:`loyalty_card`; ``text1=``, ``subtitle=`` ... go in ``extra_attributes``.
    """
    stamps = stamps_of(created_at, updated_at, clock)
    return build(
        GENERIC,
        sub_type,
        {"title": title, "providerName": provider_name, "startDate": stamps[0] if start_date is None else start_date},
        stamps=stamps,
        ref_id=ref_id,
        language=language,
        barcode=barcode,
        localization=localization,
        account=account,
        extra=extra_attributes,
    )
