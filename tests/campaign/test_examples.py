"""The shipped campaign example runs, and its email template merges safely per recipient."""

from __future__ import annotations

import csv
import json
from html.parser import HTMLParser
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from linkkit.campaign import CampaignSpec, run_campaign

from ..conftest import CARD_ID, CERTIFICATE_ID

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "campaign"


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.links += [v or "" for k, v in attrs if k == "href"]


def test_example_campaign_and_email_merge(tmp_path):
    spec = CampaignSpec(
        recipients=str(EXAMPLES / "recipients.csv"),
        template=str(EXAMPLES / "coupon-template.json"),
        out_dir=str(tmp_path / "out"),
        card_id=CARD_ID,
        certificate_id=CERTIFICATE_ID,
        asset_base_url="https://shop.example.com/_linkkit/web",
    )
    result = run_campaign(spec)
    assert (result.ok, result.failed) == (3, 0)
    env = Environment(loader=FileSystemLoader(EXAMPLES), autoescape=select_autoescape(["html", "j2"]))
    template = env.get_template("email.html.j2")
    with (EXAMPLES / "recipients.csv").open(newline="", encoding="utf-8") as fh:
        recipients = {r["email"]: r for r in csv.DictReader(fh)}
    for line in (tmp_path / "out" / "manifest.jsonl").read_text("utf-8").splitlines():
        row = json.loads(line)
        recipient = dict(recipients[row["recipient"]])
        recipient["first_name"] += "<script>alert(1)</script>"  # a hostile merge field stays text
        html = template.render(row=row, recipient=recipient)
        parser = _Tags()
        parser.feed(html)
        assert "script" not in parser.tags and "&lt;script&gt;" in html
        assert parser.links and all(link == row["link"] for link in parser.links)
        assert "img" in parser.tags
