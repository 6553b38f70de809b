"""The partner's Save to Pay notification endpoint (S2P → partner), served on its own mutual-TLS port.

``WA_READY`` asks the card issuer for the card's encrypted data for the linked device; the demo
"issuer" answers with an opaque blob for registrations it made (an unknown ``regId`` is refused
with 400.1). ``WA_PROVISIONED`` and ``WA_PROVISION_FAILURE`` are stored; the operator console lists
them. The protocol (headers, validation, ``Response-Id``, storage) is linkkit's
:class:`~linkkit.partner.s2p.NotificationHandler`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from flask import Flask

from demo_site.services import Services
from linkkit.partner.s2p import NotificationHandler, UnknownRegistrationError
from linkkit.partner.s2p import create_notifications_app as linkkit_notifications_app
from linkkit.s2p import Notification


def issuer_blob(services: Services, notification: Notification) -> str:
    """The card's data for the device, as the issuer would encrypt it; the same for a retried delivery.

    A real issuer pre-provisions the card for ``notification.device`` and returns its encrypted
    payload. The demo derives a stable opaque value instead (no card number exists here).
    """
    entry = services.s2p_ledger.find_by_reg_id(notification.reg_id)
    if entry is None:
        raise UnknownRegistrationError("no card of this issuer has this registration")
    device = notification.device.id if notification.device is not None else ""
    message = f"demo-issuer-blob|{entry.card_ref}|{device}".encode()
    digest = hmac.new(services.settings.click_link_secret, message, hashlib.sha256)
    return "demo-issuer." + base64.urlsafe_b64encode(digest.digest()).decode("ascii").rstrip("=")


def create_notifications_app(services: Services) -> Flask:
    """The WSGI app of ``POST /notifications`` (serve it with mutual TLS, see :mod:`demo_site.runner`)."""
    handler = NotificationHandler(
        partner_id=services.s2p_partner_id,
        issuer=lambda notification: issuer_blob(services, notification),
        store=services.notifications,
    )
    return linkkit_notifications_app(handler)
