"""The Django app configuration of :mod:`linkkit.django` (found by Django itself)."""

from __future__ import annotations

from django.apps import AppConfig


class PartnerConfig(AppConfig):
    """``linkkit.django``: the partner endpoints Samsung calls, and their system checks."""

    name = "linkkit.django"
    label = "linkkit_partner"
    verbose_name = "linkkit partner endpoints"
    default = True

    def ready(self) -> None:
        from linkkit.django import checks

        checks.register()
