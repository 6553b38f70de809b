"""A Samsung card being filled from a source: one rule per attribute kind, decided by the card-type table.

Every setter takes the value and the source nodes it came from. A value the table accepts marks its
sources used and is recorded in the report; a value it cannot take (the type has no such attribute, the
attribute is already set, an id too long to cut, a URL that is not one) marks its sources refused with
the reason, so the report lists them. Display text longer than ``String(N)`` is cut with an ellipsis and
reported; identifiers, URLs and barcodes are never cut.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Final

from linkkit.cards import RULES, CardSpec, Tier
from linkkit.cards.kinds import EpochMillis, JsonString, Kind, Str, Url, YesNo
from linkkit.convert._images import PassImages
from linkkit.convert._ledger import Node
from linkkit.convert._values import DateProblem, Instant, parse_instant
from linkkit.convert.options import ImageFile
from linkkit.convert.report import Defaulted, Mapped, Truncated
from linkkit.errors import FieldError, ValidationError

#: A value's origin: a node of the source JSON, or the name of something that is not JSON (an image file).
Source = Node | str

_NOTICE_SEPARATOR: Final = "<br>"
_ELLIPSIS: Final = "…"


class Sink:
    """What one run records for the report (language runs record nothing but the ledger marks)."""

    def __init__(self, record: bool) -> None:
        self.record = record
        self._mapped: dict[Mapped, None] = {}  # an ordered set
        self.defaulted: list[Defaulted] = []
        self.truncated: list[Truncated] = []

    def map(self, sources: Iterable[Source], target: str) -> None:
        if self.record:
            for source in sources:
                where = source.where if isinstance(source, Node) else source
                self._mapped[Mapped(where, target)] = None

    @property
    def mapped(self) -> list[Mapped]:
        return list(self._mapped)


def _where(sources: Sequence[Source]) -> str:
    first = sources[0] if sources else "linkkit"
    return first.where if isinstance(first, Node) else first


def _use(sources: Iterable[Source], target: str) -> None:
    for source in sources:
        if isinstance(source, Node):
            source.use(target)


def error_of(kind: Kind, value: object) -> str | None:
    """Why Samsung would refuse ``value`` (an error-tier rule), or ``None``.

    A warning-tier finding (an ``appLinkData`` that is an app URI, say) is taken: Samsung's own material
    sends such values, and the validator reports the warning with the card.
    """
    problem = kind.judge(value)
    if problem is None:
        return None
    rule = RULES.get(problem[0])
    return problem[1] if rule is None or rule.tier is Tier.ERROR else None


def refuse(sources: Iterable[Source], reason: str) -> None:
    """Mark ``sources`` as not carried over, with ``reason``."""
    for source in sources:
        if isinstance(source, Node):
            source.refuse(reason)


class Draft:
    """The attributes of one ``card.data[]`` entry of type ``spec``, filled rule by rule."""

    def __init__(self, spec: CardSpec, sink: Sink, images: PassImages | None = None, language: str | None = None):
        self.spec = spec
        self.sink = sink
        self.images = images
        self.language = language
        self.attrs: dict[str, object] = {}
        self._origin: dict[str, str] = {}
        self._notices: list[tuple[str, tuple[Source, ...]]] = []
        self._locations: list[tuple[dict[str, object], tuple[Source, ...]]] = []
        self._contacts: dict[str, tuple[str, tuple[Source, ...]]] = {}
        #: Attributes an image was wanted for but none could be hosted.
        self.unhosted: set[str] = set()
        #: The reason of the last refusal (a caller may refuse a whole group with it).
        self.refusal = ""

    def _refuse(self, sources: Iterable[Source], reason: str) -> None:
        self.refusal = reason
        refuse(sources, reason)

    # -- the checks every setter shares ---------------------------------------------------------------

    def can(self, target: str) -> bool:
        """True when the card type has ``target`` and it is still empty."""
        return target in self.spec.attributes and target not in self.attrs

    def _accept(self, target: str, sources: Sequence[Source]) -> bool:
        if target not in self.spec.attributes:
            self._refuse(sources, f"{self.spec.type} cards have no {target}")
            return False
        if target in self.attrs:
            self._refuse(sources, f"{target} already comes from {self._origin.get(target, 'another field')}")
            return False
        return True

    def _set(self, target: str, value: object, sources: Sequence[Source]) -> None:
        self.attrs[target] = value
        self._origin[target] = _where(sources)
        _use(sources, target)
        self.sink.map(sources, target)

    # -- setters by kind ------------------------------------------------------------------------------

    def text(self, target: str, value: str | None, *sources: Source) -> bool:
        """Display text; cut to the attribute's ``String(N)`` (with an ellipsis) when longer."""
        if value is None or not value.strip() or not self._accept(target, sources):
            return False
        value = " ".join(value.split()) if "\n" not in value else value.strip()
        kind = self.spec.attributes[target]
        limit = kind.max_len if isinstance(kind, (Str, Url)) else None
        if limit is not None and len(value) > limit:
            if self.sink.record:
                self.sink.truncated.append(Truncated(_where(sources), target, len(value), limit))
            value = value[: limit - 1] + _ELLIPSIS
        reason = error_of(kind, value)
        if reason is not None:
            self._refuse(sources, f"not a valid {target}: {reason}")
            return False
        self._set(target, value, sources)
        return True

    def put(self, target: str, value: object, *sources: Source) -> bool:
        """A value already in Samsung's form (an id, a URL, a colour, an enum): taken whole or refused."""
        if value is None or value == "" or not self._accept(target, sources):
            return False
        reason = error_of(self.spec.attributes[target], value)
        if reason is not None:
            self._refuse(sources, f"not a valid {target}: {reason}")
            return False
        self._set(target, value, sources)
        return True

    def when(self, target: str, instant: Instant | None, *sources: Source) -> bool:
        """Epoch milliseconds, and ``{target}.utcOffset`` when the type has it."""
        if instant is None or not self._accept(target, sources):
            return False
        self._set(target, instant.ms, sources)
        offset = f"{target}.utcOffset"
        if offset in self.spec.attributes and offset not in self.attrs:
            self._set(offset, instant.utc_offset, sources)
        return True

    def image(self, targets: Sequence[str], image: ImageFile | str | None, *sources: Source) -> bool:
        """Point ``targets`` (``logoImage``, ``logoImage.darkUrl`` ...) at an image of the pass or a URL."""
        wanted = [t for t in targets if self.can(t)]
        if image is None or not wanted:
            if image is not None:
                self._accept(targets[0], sources)  # records why nothing was taken
            return False
        if isinstance(image, ImageFile):
            url = self.images.host(image, wanted[0]) if self.images is not None else None
            if url is None:
                self.unhosted.update(wanted)
                return False
            for extra in wanted[1:]:
                assert self.images is not None
                self.images.host(image, extra)
            sources = (image.name, *sources)
        else:
            url = image
        reason = error_of(self.spec.attributes[wanted[0]], url)
        if reason is not None:
            self._refuse(sources, f"not a valid {wanted[0]}: {reason}")
            return False
        for target in wanted:
            self._set(target, url, sources)
        return True

    def copy(self, target: str, source_target: str) -> bool:
        """``target`` takes the value of ``source_target`` (an app link's logo is the card's logo)."""
        if source_target not in self.attrs or not self.can(target):
            return False
        value, origin = self.attrs[source_target], self._origin.get(source_target, source_target)
        if error_of(self.spec.attributes[target], value) is not None:
            return False
        self.attrs[target] = value
        self._origin[target] = origin
        self.sink.map([origin], target)
        return True

    def default(self, target: str, value: object, reason: str) -> None:
        """Fill ``target`` when it is still empty, with no source (the report says why)."""
        if self.can(target):
            self.attrs[target] = value
            self._origin[target] = "a default"
            if self.sink.record:
                self.sink.defaulted.append(Defaulted(target, reason))

    # -- attributes assembled from many fields --------------------------------------------------------

    def notice(self, label: str | None, value: str | None, *sources: Source) -> None:
        """A section of ``noticeDesc`` (HTML): ``label: value``, escaped, line breaks kept."""
        if value is None or not value.strip():
            return
        if "noticeDesc" not in self.spec.attributes:
            self._refuse(sources, f"{self.spec.type} cards have no noticeDesc")
            return
        body = html.escape(value.strip(), quote=False).replace("\r\n", "\n").replace("\n", "<br>")
        section = f"{html.escape(label.strip(), quote=False)}: {body}" if label and label.strip() else body
        self._notices.append((section, sources))

    def location(
        self, *, name: str | None, address: str | None, lat: float | None, lng: float | None, sources: Sequence[Source]
    ) -> None:
        """One of ``locations`` (name and address are required by Samsung; coordinates optional)."""
        if "locations" not in self.spec.attributes:
            self._refuse(sources, f"{self.spec.type} cards have no locations")
            return
        if not name or not address:
            self._refuse(sources, "a Samsung location needs a name and an address")
            return
        place: dict[str, object] = {"name": name, "address": address}
        if lat is not None and lng is not None and -90 <= lat <= 90 and -180 <= lng <= 180:
            for other, _ in self._locations:
                if _near(other, lat, lng):
                    self._refuse(sources, "the same coordinates as another location of the card")
                    return
            place["lat"], place["lng"] = lat, lng
        self._locations.append((place, tuple(sources)))

    def contact(self, key: str, value: str | None, *sources: Source) -> None:
        """A member of ``csInfo`` (``call``, ``email``, ``website`` ...), first one wins."""
        kind = self.spec.attributes.get("csInfo")
        if value is None:
            return
        if not isinstance(kind, JsonString):
            self._refuse(sources, f"{self.spec.type} cards have no csInfo")
            return
        if kind.shape.keys is not None and key not in kind.shape.keys:
            self._refuse(sources, f"csInfo has no {key}")
            return
        if key in self._contacts:
            self._refuse(sources, f"csInfo.{key} already comes from {_where(self._contacts[key][1])}")
            return
        self._contacts[key] = (value, tuple(sources))

    def has_contact(self, key: str) -> bool:
        return key in self._contacts

    # -- the end --------------------------------------------------------------------------------------

    def finish(self, given: Mapping[str, object]) -> dict[str, object]:
        """Join the assembled attributes, then apply ``given`` (yours: they win); returns the attributes."""
        self._finish_notice()
        self._finish_json("locations", [p for p, _ in self._locations], [s for _, s in self._locations])
        contacts = {k: v for k, (v, _) in self._contacts.items()}
        if contacts:
            self._finish_json("csInfo", contacts, [s for _, s in self._contacts.values()])
        for target, value in given.items():
            self.attrs[target] = coerce(self.spec, target, value)
            if self.sink.record:
                self.sink.defaulted.append(Defaulted(target, "set by you"))
        return self.attrs

    def _finish_notice(self) -> None:
        if not self._notices or not self.can("noticeDesc"):
            for _, sources in self._notices:
                self._refuse(sources, "noticeDesc is already set")
            return
        kind = self.spec.attributes["noticeDesc"]
        limit = kind.max_len if isinstance(kind, Str) and kind.max_len else 5000
        parts: list[str] = []
        taken: list[Source] = []
        for section, sources in self._notices:
            joined = _NOTICE_SEPARATOR.join([*parts, section])
            if len(joined) > limit:
                self._refuse(sources, f"noticeDesc is full (String({limit}))")
                continue
            parts.append(section)
            taken.extend(sources)
        if parts:
            self._set("noticeDesc", _NOTICE_SEPARATOR.join(parts), taken)

    def _finish_json(self, target: str, value: object, groups: list[tuple[Source, ...]]) -> None:
        if not value or not self.can(target):
            for sources in groups:
                self._refuse(sources, f"{target} is already set")
            return
        kind = self.spec.attributes[target]
        assert isinstance(kind, JsonString)
        if isinstance(value, list):
            limit = kind.shape.max_items or len(value)
            while value and (len(value) > limit or len(_compact(value)) > (kind.max_len or 10**9)):
                value = value[:-1]
                self._refuse(groups[len(value)], f"{target} is full ({kind.describe()})")
            if not value:
                return
            groups = groups[: len(value)]
        text = _compact(value)
        if error_of(kind, text) is not None:
            for sources in groups:
                self._refuse(sources, f"does not fit {target} ({kind.describe()})")
            return
        self._set(target, text, [s for group in groups for s in group])


def _near(place: Mapping[str, object], lat: float, lng: float) -> bool:
    """Within about 10 m: the same place written twice (a venue tag and a relevance location)."""
    other_lat, other_lng = place.get("lat"), place.get("lng")
    if not isinstance(other_lat, float | int) or not isinstance(other_lng, float | int):
        return False
    return abs(other_lat - lat) < 1e-4 and abs(other_lng - lng) < 1e-4


def _compact(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def coerce(spec: CardSpec, target: str, value: object) -> object:
    """An attribute you set, in the form its kind wants: ISO dates to epoch ms, booleans to Y/N, JSON to text.

    :raises ValidationError: naming ``card.data[0].attributes.{target}`` for a date that does not parse.
    """
    kind = spec.attributes.get(target)
    if isinstance(kind, EpochMillis) and isinstance(value, str) and not value.isdigit():
        try:
            return parse_instant(value, None).ms
        except DateProblem as exc:
            raise ValidationError(FieldError(f"card.data[0].attributes.{target}", str(exc))) from exc
    if isinstance(kind, EpochMillis) and isinstance(value, str):
        return int(value)
    if isinstance(kind, YesNo) and isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(kind, JsonString) and isinstance(value, (dict, list)):
        return _compact(value)
    return value


def card_defaults(draft: Draft, created_ms: int, what: str) -> None:
    """Required attributes a pass never has: an issue or start date (the time of conversion) and a coupon's
    flags (as :func:`~linkkit.cards.coupon_card` sets them); ``what`` names the source in the reason."""
    kind = draft.spec.type
    if kind in ("ticket", "coupon"):
        draft.default("issueDate", created_ms, f"the {what} has no issue date: the time of conversion")
    if kind == "generic":
        draft.default("startDate", created_ms, f"the {what} has no start date: the time of conversion")
    if kind == "coupon":
        for flag, value in (("editableYn", "N"), ("deletableYn", "Y"), ("displayRedeemButtonYn", "Y")):
            draft.default(flag, value, "linkkit's default, as coupon_card() uses")
        draft.default("notificationYn", "Y", "linkkit's default, as coupon_card() uses")
