from __future__ import annotations

import pytest

from linkkit import errors
from linkkit.campaign import CardTemplate, to_epoch_ms

from .conftest import TEMPLATE


def test_render_fills_strings_and_converts_whole_placeholders():
    template = CardTemplate.from_obj(TEMPLATE)
    assert template.columns == {"first_name", "joined", "member_no"}
    card = template.render({"first_name": "Ann", "joined": "2026-01-02", "member_no": "M-1"}, ref_id="R", now_ms=5)
    data = card["card"]["data"][0]
    assert data["refId"] == "R" and data["createdAt"] == 5 and isinstance(data["createdAt"], int)
    assert data["attributes"]["title"] == "Ann's card"
    assert data["attributes"]["startDate"] == 1767312000000
    assert TEMPLATE["card"]["data"][0]["refId"] == "{{ref_id}}"  # the template itself is untouched


def test_render_errors_name_path_and_column():
    template = CardTemplate.from_obj(TEMPLATE)
    with pytest.raises(errors.ValidationError) as info:
        template.render({"first_name": "Ann", "joined": "yesterday"}, ref_id="R", now_ms=5)
    reasons = {str(e) for e in info.value.errors}
    assert (
        "card.data[0].attributes.startDate: column 'joined' must be epoch milliseconds or an ISO date "
        "(got 'yesterday')" in reasons
    )
    assert "card.data[0].attributes.barcode.value: column 'member_no' is missing" in reasons


def test_values_never_change_structure():
    template = CardTemplate.from_obj(TEMPLATE)
    card = template.render(
        {"first_name": '{"x": 1} {{member_no}}', "joined": "1", "member_no": "M"}, ref_id="R", now_ms=1
    )
    assert card["card"]["data"][0]["attributes"]["title"] == '{"x": 1} {{member_no}}\'s card'


@pytest.mark.parametrize(
    "text,ms",
    [
        ("1795000000000", 1795000000000),
        ("2026-01-01T00:00:00Z", 1767225600000),
        ("2026-01-01T09:00:00+09:00", 1767225600000),
    ],
)
def test_to_epoch_ms(text, ms):
    assert to_epoch_ms(text) == ms


def test_bad_templates(tmp_path):
    with pytest.raises(errors.ConfigError, match="card JSON object"):
        CardTemplate.from_obj({"cards": []})
    path = tmp_path / "t.json"
    path.write_text("{")
    with pytest.raises(errors.ConfigError, match=r"template .*t\.json: not JSON \(.*line 1 column 2\)"):
        CardTemplate.load(path)
    path.write_text('{"card": {}, "card": {}}')
    with pytest.raises(errors.ConfigError, match="duplicate member 'card'"):
        CardTemplate.load(path)
    with pytest.raises(errors.ConfigError, match="cannot read the template"):
        CardTemplate.load(tmp_path / "missing.json")
