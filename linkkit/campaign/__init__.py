"""Campaigns: a recipient list in, personalised Data Fetch links, QR codes and snippets out."""

from linkkit.campaign.engine import CampaignResult, run_campaign, validate_campaign
from linkkit.campaign.progress import ProgressReporter
from linkkit.campaign.rows import Row, count_rows, iter_rows
from linkkit.campaign.spec import CampaignSpec, CampaignState
from linkkit.campaign.template import CardTemplate, to_epoch_ms

__all__ = [
    "CampaignResult",
    "CampaignSpec",
    "CampaignState",
    "CardTemplate",
    "ProgressReporter",
    "Row",
    "count_rows",
    "iter_rows",
    "run_campaign",
    "to_epoch_ms",
    "validate_campaign",
]
