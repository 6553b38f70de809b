"""The button funnel report: impressions, clicks, mints, adds and removes, by card and by day.

Read from the store's :class:`~linkkit.partner.stores.contract.FunnelLog` (beacons from
``<samsung-wallet-button>`` and the Send Card State events Samsung sent), and written as text, JSON
or a PNG chart (Pillow). ``linkkit stats`` prints it; the demo's operator console shows the chart.

Two rates, each a ratio of counts in the same window: the *click rate* is clicks per impression,
the *conversion* is adds per click. An add without a click (a QR code scanned, an email link) still
counts as an add, so conversion can exceed 100 % on a card that is mostly scanned.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Final

from linkkit.partner.records import FunnelCount
from linkkit.partner.stores.contract import FunnelLog

#: The steps of a row, in report order: a beacon name or ``add``/``remove`` (card states).
STEPS: Final = ("impression", "click", "mint", "mint-error", "add", "remove")
_DAY: Final = 86_400.0


@dataclass(frozen=True, slots=True)
class FunnelRow:
    """The counts of one card on one day (``day`` is ``None`` in a by-card total, ``card_id`` in a by-day one)."""

    day: str | None
    card_id: str | None
    counts: dict[str, int] = field(default_factory=dict)

    def count(self, step: str) -> int:
        return self.counts.get(step, 0)

    @property
    def click_rate(self) -> float | None:
        """Clicks per impression, or ``None`` without impressions."""
        shown = self.count("impression")
        return self.count("click") / shown if shown else None

    @property
    def conversion(self) -> float | None:
        """Adds per click, or ``None`` without clicks."""
        clicks = self.count("click")
        return self.count("add") / clicks if clicks else None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.day is not None:
            out["day"] = self.day
        if self.card_id is not None:
            out["card_id"] = self.card_id
        out.update({step: self.count(step) for step in STEPS})
        out["click_rate"] = self.click_rate
        out["conversion"] = self.conversion
        return out


def _rows(counts: Iterable[FunnelCount], key: str) -> list[FunnelRow]:
    grouped: dict[str, dict[str, int]] = {}
    for c in counts:
        k = c.day if key == "day" else c.card_id
        steps = grouped.setdefault(k, {})
        steps[c.event] = steps.get(c.event, 0) + c.count
    if key == "day":
        return [FunnelRow(k, None, v) for k, v in sorted(grouped.items())]
    return [FunnelRow(None, k, v) for k, v in sorted(grouped.items())]


def _date(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%d")


@dataclass(frozen=True, kw_only=True, slots=True)
class FunnelReport:
    """The funnel over ``[since, until)`` (epoch seconds), optionally for one card id."""

    since: float
    until: float
    card_id: str | None
    by_card: tuple[FunnelRow, ...]
    by_day: tuple[FunnelRow, ...]
    total: FunnelRow

    def days(self) -> list[str]:
        """Every UTC day of the window, with or without counts (the chart's x axis)."""
        out, at = [], self.since
        while at < self.until:
            out.append(_date(at))
            at += _DAY
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "since": _date(self.since),
            "until": _date(self.until),
            "card_id": self.card_id,
            "total": self.total.to_json(),
            "by_card": [r.to_json() for r in self.by_card],
            "by_day": [r.to_json() for r in self.by_day],
        }

    def text(self) -> str:
        """A plain-text table: totals by card, then by day."""
        last = _date(self.until - 1)
        lines = [
            f"Button funnel {_date(self.since)} .. {last} (UTC)" + (f", card {self.card_id}" if self.card_id else "")
        ]
        header = f"{'':<16}{'impressions':>12}{'clicks':>8}{'mints':>7}{'failed':>8}{'adds':>6}{'removes':>9}"
        header += f"{'click rate':>12}{'conversion':>12}"

        def line(name: str, row: FunnelRow) -> str:
            def pct(value: float | None) -> str:
                return "-" if value is None else f"{value:.1%}"

            return (
                f"{name:<16}{row.count('impression'):>12}{row.count('click'):>8}{row.count('mint'):>7}"
                f"{row.count('mint-error'):>8}{row.count('add'):>6}{row.count('remove'):>9}"
                f"{pct(row.click_rate):>12}{pct(row.conversion):>12}"
            )

        lines += ["", "by card", header, *(line(r.card_id or "", r) for r in self.by_card), line("total", self.total)]
        lines += ["", "by day", header, *(line(r.day or "", r) for r in self.by_day)]
        return "\n".join(lines) + "\n"

    def png(self, *, width: int = 960, height: int = 420) -> bytes:
        """A bar chart: impressions, clicks, adds and removes per day (PNG bytes)."""
        return _chart(self, width, height)


def funnel_report(funnel: FunnelLog, *, since: float, until: float, card_id: str | None = None) -> FunnelReport:
    """The report of ``funnel`` over ``[since, until)``; ``card_id`` keeps one card.

    :raises ValueError: ``until`` not after ``since``.
    """
    if until <= since:
        raise ValueError("until: must be after since")
    counts = [c for c in funnel.funnel_counts(since, until) if card_id is None or c.card_id == card_id]
    total: dict[str, int] = {}
    for c in counts:
        total[c.event] = total.get(c.event, 0) + c.count
    return FunnelReport(
        since=since,
        until=until,
        card_id=card_id,
        by_card=tuple(_rows(counts, "card")),
        by_day=tuple(_rows(counts, "day")),
        total=FunnelRow(None, None, total),
    )


#: What the chart draws, and in which colour (the artwork's accent for clicks).
_SERIES: Final = (
    ("impression", "impressions", (142, 145, 143)),
    ("click", "clicks", (26, 90, 224)),
    ("add", "adds", (24, 128, 56)),
    ("remove", "removes", (179, 38, 30)),
)


def _chart(report: FunnelReport, width: int, height: int) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=14)
    small = ImageFont.load_default(size=11)
    days = report.days()
    per_day = {r.day: r for r in report.by_day}
    peak = max([1, *(per_day[d].count(s) for d in days if d in per_day for s, _, _ in _SERIES)])
    peak = -(-peak // 4) * 4  # a multiple of 4: the four gridlines get whole numbers
    left, right, top, bottom = 56, 16, 44, 56
    plot_w, plot_h = width - left - right, height - top - bottom
    title = "Button funnel by day (UTC)" + (f", card {report.card_id}" if report.card_id else "")
    draw.text((left, 12), title, fill=(20, 20, 20), font=font)
    # the legend, right-aligned on the title's line
    x = width - right
    for _, name, colour in reversed(_SERIES):
        w = int(draw.textlength(name, font=small))
        x -= w
        draw.text((x, 16), name, fill=(20, 20, 20), font=small)
        x -= 16
        draw.rectangle((x, 16, x + 11, 27), fill=colour)
        x -= 14
    # axes and four gridlines labelled with counts
    for i in range(5):
        y = top + plot_h - plot_h * i / 4
        draw.line((left, y, left + plot_w, y), fill=(225, 225, 225))
        label = str(peak * i // 4)
        draw.text((left - 8 - draw.textlength(label, font=small), y - 7), label, fill=(80, 80, 80), font=small)
    draw.line((left, top + plot_h, left + plot_w, top + plot_h), fill=(60, 60, 60))
    slot = plot_w / max(1, len(days))
    bar = max(1.0, slot * 0.8 / len(_SERIES))
    step = max(1, len(days) // 10)  # at most about ten date labels
    for i, day in enumerate(days):
        row = per_day.get(day)
        x0 = left + i * slot + slot * 0.1
        for j, (key, _, colour) in enumerate(_SERIES):
            value = row.count(key) if row else 0
            if value:
                h = plot_h * value / peak
                draw.rectangle((x0 + j * bar, top + plot_h - h, x0 + (j + 1) * bar - 1, top + plot_h), fill=colour)
        if i % step == 0:
            label = day[5:]
            cx = left + i * slot + slot / 2
            draw.text(
                (cx - draw.textlength(label, font=small) / 2, top + plot_h + 6), label, fill=(80, 80, 80), font=small
            )
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
