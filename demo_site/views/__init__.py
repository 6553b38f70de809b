"""The demo's blueprints, one per flow."""

from demo_site.views import campaign as campaign
from demo_site.views import join as join
from demo_site.views import operator as operator
from demo_site.views import pay as pay
from demo_site.views import shop as shop

__all__ = ["campaign", "join", "operator", "pay", "shop"]
