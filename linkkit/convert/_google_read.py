"""Google Wallet input, as the REST API and the "Save to Google Wallet" JWT carry it.

Three forms are read:

- an object as ``GET walletobjects/v1/{type}Object/{id}`` returns it, with its class copied into
  ``classReference`` (or the class given separately, as ``GET …Class/{id}`` returns it);
- a JWT payload (``{"flightClasses": [...], "flightObjects": [...]}``), bare or inside the JWT claims
  (``{"iss": ..., "typ": "savetowallet", "payload": {...}}``);
- an object without ``kind`` or class: the type comes from ``google_type`` (or, last, from the fields
  only that type has).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from linkkit.convert._ledger import Ledger, Node
from linkkit.convert.report import Dropped
from linkkit.errors import ConfigError, PassFileError


@dataclass(frozen=True, slots=True)
class GoogleType:
    name: str
    card_type: str
    #: ``walletobjects#…Object`` / ``…Class`` (``kind``, deprecated but still returned).
    object_kind: str
    class_kind: str
    #: Keys of a JWT payload.
    objects_key: str
    classes_key: str
    #: Object fields only this type has (the last resort to tell the type).
    marks: tuple[str, ...]


def _type(name: str, card_type: str, marks: tuple[str, ...]) -> GoogleType:
    return GoogleType(
        name, card_type, f"walletobjects#{name}Object", f"walletobjects#{name}Class", f"{name}Objects",
        f"{name}Classes", marks,
    )  # fmt: skip


#: Google Wallet pass types and the Samsung card type each becomes.
TYPES: Final = {
    t.name: t
    for t in (
        _type("flight", "boardingpass", ("passengerName", "boardingAndSeatingInfo")),
        _type("transit", "boardingpass", ("ticketLeg", "ticketLegs", "tripType", "passengerNames")),
        _type("eventTicket", "ticket", ("seatInfo", "ticketHolderName")),
        _type("offer", "coupon", ()),
        _type("giftCard", "giftcard", ("cardNumber", "balance", "pin")),
        _type("loyalty", "loyalty", ("accountId", "accountName", "loyaltyPoints")),
        _type("generic", "generic", ("cardTitle", "header", "genericType")),
    )
}
_BY_KIND: Final = {t.object_kind: t for t in TYPES.values()} | {t.class_kind: t for t in TYPES.values()}


@dataclass(frozen=True)
class GoogleInput:
    """The object and its class, each a node of the ledger that records what the mapping read."""

    type: GoogleType
    obj: Node
    cls: Node
    ledgers: tuple[Ledger, ...]
    extra_dropped: tuple[Dropped, ...] = ()


def read_google(
    doc: object,
    *,
    class_doc: object = None,
    google_type: str | None = None,
    object_id: str | None = None,
    reasons: Mapping[str, str] | None = None,
) -> GoogleInput:
    """Find the object, its class and its type in any of the three forms.

    :raises PassFileError: not a Google Wallet object, or a payload whose object cannot be chosen.
    :raises ConfigError: an unknown ``google_type``, or an ``object_id`` the payload does not hold.
    """
    if not isinstance(doc, dict):
        raise PassFileError("not a Google Wallet object (a JSON object is expected)", code="not_a_pass")
    if google_type is not None and google_type not in TYPES:
        raise ConfigError(f"google_type: one of {', '.join(TYPES)}")
    extra: list[Dropped] = []
    root = doc
    prefix = ""
    if isinstance(doc.get("payload"), dict):
        extra = [
            Dropped(key, "part of the Save to Google Wallet JWT, not of the pass") for key in doc if key != "payload"
        ]
        root, prefix = doc["payload"], "payload"
    payload_types = [t for t in TYPES.values() if isinstance(root.get(t.objects_key), list)]
    if payload_types:
        ledger = Ledger(root, prefix=prefix, reasons=reasons)
        return _from_payload(ledger, root, payload_types, object_id, class_doc, reasons, extra)
    ledger = Ledger(root, prefix="object", reasons=reasons)
    obj = ledger.node()
    cls, ledgers = _class_for(obj, class_doc, reasons, ledger)
    kind = _kind_of(obj, cls, google_type)
    return GoogleInput(kind, obj, cls, ledgers, tuple(extra))


def _from_payload(
    ledger: Ledger,
    root: dict[str, Any],
    types: list[GoogleType],
    object_id: str | None,
    class_doc: object,
    reasons: Mapping[str, str] | None,
    extra: list[Dropped],
) -> GoogleInput:
    node = ledger.node()
    candidates = [(t, item) for t in types for item in node[t.objects_key].items() if isinstance(item.value, dict)]
    if object_id is not None:
        chosen = [(t, item) for t, item in candidates if item["id"].text() == object_id]
        if not chosen:
            raise ConfigError("object_id: the payload has no object with this id")
    else:
        chosen = candidates
    if len(chosen) != 1:
        what = "no object" if not chosen else f"{len(chosen)} objects"
        raise PassFileError(f"the Google Wallet payload holds {what}: choose one with object_id", code="not_a_pass")
    kind, obj = chosen[0]
    for _, other in candidates:
        if other.path != obj.path:
            other.refuse("another pass of the payload (convert it with its object_id)")
    class_id = obj["classId"].text()
    cls: Node | None = None
    for item in node[kind.classes_key].items():
        if item["id"].text() == class_id and cls is None:
            cls = item
        else:
            item.refuse("a class of another object")
    ledgers: tuple[Ledger, ...] = (ledger,)
    if cls is None:
        cls, ledgers = _class_for(obj, class_doc, reasons, ledger)
    return GoogleInput(kind, obj, cls, ledgers, tuple(extra))


def _class_for(
    obj: Node, class_doc: object, reasons: Mapping[str, str] | None, ledger: Ledger
) -> tuple[Node, tuple[Ledger, ...]]:
    if class_doc is not None:
        if not isinstance(class_doc, dict):
            raise PassFileError("the Google Wallet class must be a JSON object", code="not_a_pass")
        class_ledger = Ledger(class_doc, prefix="class", reasons=reasons)
        if obj["classReference"].exists:
            obj["classReference"].refuse("the class given separately is used instead")
        return class_ledger.node(), (ledger, class_ledger)
    return obj["classReference"], (ledger,)


def _kind_of(obj: Node, cls: Node, google_type: str | None) -> GoogleType:
    if google_type is not None:
        return TYPES[google_type]
    for node in (obj["kind"], cls["kind"]):
        found = _BY_KIND.get(node.text() or "")
        if found is not None:
            return found
    marked = [t for t in TYPES.values() if any(obj[m].exists for m in t.marks)]
    if len(marked) == 1:
        return marked[0]
    raise PassFileError(
        "cannot tell which Google Wallet type this object is (no kind, no class): give google_type "
        f"(CLI: --google-type {'|'.join(TYPES)})",
        code="unknown_type",
    )


# --- localized strings -------------------------------------------------------------------------------


def _norm_language(tag: object) -> str | None:
    return tag.strip().replace("_", "-") if isinstance(tag, str) and tag.strip() else None


def localized(node: Node, language: str) -> str | None:
    """A ``LocalizedString`` (or a plain string) in ``language``: its translation, else its default."""
    value = node.value
    if isinstance(value, str):
        return node.text()
    if not isinstance(value, dict):
        return node.text()
    wanted = language.lower()
    best: str | None = None
    for item in node["translatedValues"].items():
        tag = (_norm_language(item["language"].value) or "").lower()
        text = item["value"].text()
        if text is None:
            continue
        if tag == wanted:
            return text
        if best is None and tag.split("-")[0] == wanted.split("-")[0]:
            best = text
    default = node["defaultValue"]
    default_tag = (_norm_language(default["language"].value) or "").lower()
    if best is not None and default_tag != wanted:
        return best
    return default["value"].text() or best


def languages_of(*docs: object) -> tuple[list[str], str | None]:
    """Every language a document translates into, and the language of its default strings."""
    found: list[str] = []
    defaults: dict[str, int] = {}
    stack = [d for d in docs if d is not None]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            translated = item.get("translatedValues")
            if isinstance(translated, list):
                for entry in translated:
                    tag = _norm_language(entry.get("language")) if isinstance(entry, dict) else None
                    if tag and tag not in found:
                        found.append(tag)
                default = item.get("defaultValue")
                tag = _norm_language(default.get("language")) if isinstance(default, dict) else None
                if tag:
                    defaults[tag] = defaults.get(tag, 0) + 1
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    base = max(defaults, key=lambda k: defaults[k]) if defaults else None
    return sorted(found), base
