"""Member sign-up with a **Data Action** link (``#Clip?adata=user_auth``, docs/partner.md#request-action).

The link names no card instance: the wallet calls the partner's Request Action endpoint, the
merchant's handlers (:mod:`demo_site.partner`) ask for a phone number and a one-time code, and
answer REGISTER with a new member's card.
"""

from __future__ import annotations

from flask import Blueprint, render_template

from demo_site.services import services_of
from linkkit.atw.links import action_link

bp = Blueprint("join", __name__, url_prefix="/join")


@bp.get("/")
def join() -> str:
    services = services_of()
    settings = services.settings
    link = action_link(
        services.identity.certificate_id, settings.card_ids["rewards"], "user_auth", base=settings.sandbox_url
    )
    return render_template("join.html", link=link, otp=settings.otp)
