"""What every Google Wallet type shares: the object over its class, images, dates, barcode, modules, links.

Where object and class both set a field, the object wins (Google: "If AppLinkData is provided for the
corresponding class only object AppLinkData will be displayed"; hero images, colours likewise); the
class's copy is then reported as overridden. Text, info and link modules of both are shown, class first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Final

from linkkit.convert._barcodes import google as google_symbology
from linkkit.convert._draft import Draft
from linkkit.convert._google_read import localized
from linkkit.convert._ledger import Node
from linkkit.convert._values import DateProblem, Instant, hex_color, parse_instant
from linkkit.errors import FieldError, ValidationError

_LOGO_TARGETS: Final = {
    "boardingpass": ("providerLogo", "providerLogo.darkUrl", "providerLogo.lightUrl"),
}
_DEFAULT_LOGO_TARGETS: Final = ("logoImage", "logoImage.darkUrl", "logoImage.lightUrl")


@dataclass
class G:
    """One run over a Google object and its class, in one language."""

    obj: Node
    cls: Node
    draft: Draft
    language: str
    zone: tzinfo | None
    arrival_zone: tzinfo | None
    aliases: dict[tuple[str | int, ...], Node] = field(default_factory=dict)

    def pick(self, name: str) -> Node:
        """The object's ``name`` if it has one (the class's is then reported as overridden), else the class's."""
        mine, theirs = self.obj[name], self.cls[name]
        if mine.exists:
            theirs.refuse(f"the object's {name} is shown instead (as on Google)")
            return mine
        return theirs

    def loc(self, node: Node) -> str | None:
        return localized(node, self.language)

    def either(self, owner: Node, name: str) -> Node:
        """``localizedName`` when the owner has it (its plain ``name``, the same default string, goes with
        it wherever it is mapped), else ``name``."""
        plain = owner[name]
        rich = owner[f"localized{name[0].upper()}{name[1:]}"]
        if rich.exists:
            if plain.exists:
                self.aliases[rich.path] = plain
            return rich
        return plain

    def with_aliases(self, *nodes: Node) -> tuple[Node, ...]:
        return (*nodes, *(self.aliases[n.path] for n in nodes if n.path in self.aliases))

    def text(self, target: str, node: Node) -> bool:
        """A (localized) text field into ``target``."""
        return self.draft.text(target, self.loc(node), *self.with_aliases(node))

    def issuer(self, target: str = "providerName") -> None:
        """``localizedIssuerName`` (or ``issuerName``) of the class."""
        node = self.cls["localizedIssuerName"]
        if node.exists and self.draft.text(target, self.loc(node), node, self.cls["issuerName"]):
            return
        self.text(target, self.cls["issuerName"])

    def when(self, target: str, node: Node, *, arrival: bool = False) -> bool:
        """An ISO 8601 date-time (a ``DateTime`` object's ``date``, or a plain string) into ``target``."""
        value = node["date"] if isinstance(node.value, dict) else node
        return self.draft.when(target, self.instant(value, arrival=arrival), value)

    def instant(self, node: Node, *, arrival: bool = False) -> Instant | None:
        text = node.text()
        if text is None:
            return None
        zone = self.arrival_zone if arrival and self.arrival_zone is not None else self.zone
        try:
            return parse_instant(text, zone)
        except DateProblem as exc:
            hint = " (give time_zone=, CLI: --time-zone Area/City)" if "offset" in str(exc) and zone is None else ""
            raise ValidationError(FieldError(node.where, f"{exc}{hint}")) from exc

    def image(self, targets: tuple[str, ...], node: Node) -> bool:
        """A Google ``Image`` (its ``sourceUri.uri``) into ``targets``."""
        uri = node["sourceUri"]["uri"]
        url = uri.text()
        if url is None:
            return False
        return self.draft.image(targets, url, uri)

    def first_image(self, targets: tuple[str, ...], *nodes: Node) -> bool:
        """The first of ``nodes`` that is an image into ``targets``."""
        return any(node.exists and self.image(targets, node) for node in nodes)

    def logo(self, *nodes: Node) -> None:
        self.first_image(_LOGO_TARGETS.get(self.draft.spec.type, _DEFAULT_LOGO_TARGETS), *nodes)

    def validity(self, start: str, end: str) -> None:
        """The object's ``validTimeInterval`` into ``start`` and ``end``."""
        interval = self.obj["validTimeInterval"]
        self.when(start, interval["start"])
        self.when(end, interval["end"])

    def notice_of(self, label: Node | str | None, value: Node, *extra: Node) -> None:
        """A ``noticeDesc`` section from a (localized) value and its optional (localized) label node."""
        text = self.loc(value)
        if text is None:
            return
        if isinstance(label, Node):
            self.draft.notice(self.loc(label), text, *self.with_aliases(value, label), *extra)
        else:
            self.draft.notice(label, text, *self.with_aliases(value), *extra)


def common(g: G) -> None:
    """The fields every type has; runs after the type's own mapping (which takes precedence)."""
    draft, obj, cls = g.draft, g.obj, g.cls
    color_node = g.pick("hexBackgroundColor")
    color = color_node.text()
    if color is not None:
        hexa = hex_color(color)
        if hexa is None:
            color_node.refuse("not a #rrggbb colour")
        else:
            draft.put("bgColor", hexa, color_node)
    barcode(g, obj["barcode"])
    grouping = obj["groupingInfo"]["groupingId"]
    draft.put("groupingId", grouping.text(), grouping)
    screenshots = obj["passConstraints"]["screenshotEligibility"]
    verdict = {"INELIGIBLE": "Y", "ELIGIBLE": "N"}.get((screenshots.text() or "").upper())
    if verdict is not None:
        draft.put("preventCaptureYn", verdict, screenshots)
    for owner in (cls, obj):
        for module in owner["textModulesData"].items():
            g.notice_of(g.either(module, "header"), g.either(module, "body"), module["id"])
        for row in owner["infoModuleData"]["labelValueRows"].items():
            for column in row["columns"].items():
                label = column["localizedLabel"] if column["localizedLabel"].exists else column["label"]
                value = column["localizedValue"] if column["localizedValue"].exists else column["value"]
                g.notice_of(label, value)
        for link in owner["linksModuleData"]["uris"].items():
            links(g, link)
    homepage = cls["homepageUri"]
    if homepage.exists:
        links(g, homepage)
    places = [*cls["locations"].items(), *obj["locations"].items()]
    name = g.loc(cls["localizedIssuerName"]) or cls["issuerName"].text()
    for place in places[:10]:
        lat, lng = place["latitude"].number(), place["longitude"].number()
        if lat is not None and lng is not None:
            draft.location(
                name=name,
                address=f"{lat:.6f}, {lng:.6f}",
                lat=lat,
                lng=lng,
                sources=(place["latitude"], place["longitude"]),
            )
    for place in places[10:]:
        place.refuse("Samsung cards take 10 locations")


def barcode(g: G, node: Node) -> None:
    if not node.exists:
        return
    symbology = google_symbology(node["type"].text())
    value = node["value"].text()
    if symbology is None or value is None:
        node.refuse("not a barcode Samsung can show (type and value)")
        return
    alt = node["alternateText"].text()
    with_text = symbology.serial_type == "SERIALNUMBER" or (alt is not None and alt == value)
    draft = g.draft
    if draft.put("barcode.value", value, node["value"]):
        draft.put("barcode.serialType", symbology.serial_type, node["type"])
        draft.put("barcode.ptFormat", symbology.pt_format(with_text=with_text), node["type"])
        draft.put("barcode.ptSubFormat", symbology.sub_format, node["type"])
        if alt is not None and alt == value:
            node["alternateText"].use("barcode.ptFormat")


def app_link(g: G) -> None:
    """``appLinkData``: the Android target first (Samsung Wallet runs on Android), then the web one,
    then the class's ``homepageUri``; its name and logo default to the card's own."""
    node = g.pick("appLinkData")
    draft = g.draft
    _app_target(g, node)
    homepage = g.cls["homepageUri"]["uri"]
    if draft.can("appLinkData") and homepage.exists and draft.spec.type in ("coupon", "giftcard", "loyalty"):
        draft.text("appLinkData", homepage.text(), homepage)  # these types require an app link


def app_link_defaults(g: G) -> None:
    """An app link without its own name and logo shows the card's (after the type's mapping)."""
    draft = g.draft
    if "appLinkData" not in draft.attrs:
        return
    for name in ("providerName", "brandName", "merchantName", "title"):
        if draft.copy("appLinkName", name):
            break
    for logo in ("logoImage", "providerLogo"):
        if draft.copy("appLinkLogo", logo):
            break


def _app_target(g: G, node: Node) -> None:
    draft = g.draft
    for info_name in ("androidAppLinkInfo", "webAppLinkInfo", "iosAppLinkInfo"):
        info = node[info_name]
        target = info["appTarget"]["targetUri"]["uri"]
        if not target.exists:
            continue
        if not draft.can("appLinkData"):
            info.refuse("Samsung cards take one app link (the Android one first)")
            continue
        if draft.text("appLinkData", target.text(), target, info["appTarget"]["packageName"]):
            title = info["title"]
            if title.exists:
                g.text("appLinkName", title)
            g.image(("appLinkLogo",), info["appLogoImage"])
    display = node["displayText"]
    if display.exists and "appLinkData" in draft.attrs:
        g.text("appLinkName", display)


def links(g: G, link: Node) -> None:
    """A ``Uri``: ``tel:`` → ``csInfo.call``, ``mailto:`` → ``csInfo.email``, http(s) → ``csInfo.website``."""
    uri = link["uri"]
    text = uri.text()
    if text is None:
        return
    label = g.either(link, "description")
    sources = (uri, *g.with_aliases(label), link["id"])
    lower = text.lower()
    if lower.startswith("tel:"):
        g.draft.contact("call", text[4:], *sources)
    elif lower.startswith("mailto:"):
        g.draft.contact("email", text[7:], *sources)
    elif lower.startswith(("https://", "http://")) and not g.draft.has_contact("website"):
        g.draft.contact("website", text, *sources)
    else:
        g.draft.notice(g.loc(label), text, *sources)
