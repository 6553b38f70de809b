"""Campaigns: a recipient list in, personalised Data Fetch links, QR codes and snippets out."""

from linkkit.campaign.batch import BatchTotals, ChunkParts, ChunkResult, run_chunks
from linkkit.campaign.cells import SpreadsheetCSV, neutralise
from linkkit.campaign.engine import CampaignResult, run_campaign, validate_campaign
from linkkit.campaign.filenames import safe_file_name
from linkkit.campaign.rows import Row, count_rows, iter_rows
from linkkit.campaign.spec import CampaignSpec, CampaignState
from linkkit.campaign.template import CardTemplate, to_epoch_ms

__all__ = [
    "BatchTotals",
    "CampaignResult",
    "CampaignSpec",
    "CampaignState",
    "CardTemplate",
    "ChunkParts",
    "ChunkResult",
    "Row",
    "SpreadsheetCSV",
    "count_rows",
    "iter_rows",
    "neutralise",
    "run_campaign",
    "run_chunks",
    "safe_file_name",
    "to_epoch_ms",
    "validate_campaign",
]
