from __future__ import annotations

import json
from pathlib import Path

import pytest

from linkkit.campaign import CampaignSpec

from ..conftest import CARD_ID, CERTIFICATE_ID

TEMPLATE = {
    "card": {
        "type": "loyalty",
        "subType": "others",
        "data": [
            {
                "refId": "{{ref_id}}",
                "createdAt": "{{now:int}}",
                "updatedAt": "{{now:int}}",
                "language": "en",
                "attributes": {
                    "title": "{{first_name}}'s card",
                    "providerName": "Coffee & Co",
                    "appLinkLogo": "https://example.com/logo.png",
                    "appLinkName": "Coffee & Co",
                    "appLinkData": "https://example.com/app",
                    "startDate": "{{joined:ms}}",
                    "barcode.value": "{{member_no}}",
                    "barcode.serialType": "QRCODE",
                    "barcode.ptFormat": "QRCODESERIAL",
                },
            }
        ],
    }
}


@pytest.fixture
def template_file(tmp_path: Path) -> Path:
    path = tmp_path / "template.json"
    path.write_text(json.dumps(TEMPLATE))
    return path


@pytest.fixture
def spec_factory(tmp_path: Path, template_file: Path):
    def make(recipients: Path, **overrides: object) -> CampaignSpec:
        kwargs: dict[str, object] = dict(
            recipients=str(recipients),
            template=str(template_file),
            out_dir=str(tmp_path / "out"),
            card_id=CARD_ID,
            certificate_id=CERTIFICATE_ID,
            snippets=False,
            chunk_size=50,
        )
        kwargs.update(overrides)
        return CampaignSpec(**kwargs)  # type: ignore[arg-type]

    return make


def children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found.update(int(p) for p in (task / "children").read_text().split())
    return found


def alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status  # a zombie has exited; only its parent's reaping is left


def write_csv(
    path: Path, rows: list[list[str]], header: tuple[str, ...] = ("email", "first_name", "joined", "member_no")
) -> Path:
    import csv

    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path
