"""The URLconf of the in-process Django project in test_adapters.py: the partner app under /samsung/,
serving the running test's server (the settings entry's server is built once per process, so the
tests hand theirs to ``partner_urls`` as a callable; examples/django uses the settings entry)."""

from __future__ import annotations

from django.urls import include, path

from linkkit.django import partner_urls
from linkkit.partner import PartnerServer

#: The server the current test serves (one test at a time).
CURRENT: list[PartnerServer] = []


def current_server() -> PartnerServer:
    return CURRENT[-1]


urlpatterns = [path("samsung/", include(partner_urls(current_server)))]
