"""One conversion, whatever the source: the mapping runs once per language, the card is validated, the report made.

A source module supplies a *mapper*: a function that fills a :class:`~linkkit.convert._draft.Draft` from
the source in one language. The base language gives ``data[0].attributes``; every other language of the
pass runs the same mapper, and the text attributes that come out different become that language's
``localization`` entry. One mapping, so a translation can never land in another attribute than its original.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from linkkit.atw.links import new_ref_id
from linkkit.cards import CARD_TYPES, REF_ID_MAX, CardSpec, validate_card
from linkkit.convert._draft import Draft, Sink
from linkkit.convert._images import PassImages
from linkkit.convert._ledger import Ledger
from linkkit.convert.options import ConvertOptions
from linkkit.convert.report import Conversion, ConversionReport, Dropped, Mapped
from linkkit.errors import FieldError, ValidationError

#: ``mapper(draft, language, is_base)`` fills ``draft`` from the source in ``language``.
Mapper = Callable[[Draft, str, bool], None]


@dataclass(frozen=True, kw_only=True)
class Job:
    """Everything the runner needs from a source module."""

    source_format: str
    source_type: str
    card_type: str
    sub_type: str
    mapper: Mapper
    base_language: str
    languages: Sequence[str]
    ledgers: Sequence[Ledger]
    images: PassImages | None
    #: Where the mapping looked for each attribute, for the error of a required one that stayed empty.
    hints: Mapping[str, str]
    source_id: str | None = None
    extra_dropped: Sequence[Dropped] = ()
    warnings: Sequence[str] = ()


def run(job: Job, options: ConvertOptions) -> Conversion:
    """Map, localize, validate (refIds within String(32)) and report.

    :raises ValidationError: when the card breaks a rule; a required attribute the source lacks says where
        it was looked for and how to set it yourself.
    """
    spec = CARD_TYPES[job.card_type]
    sink = Sink(record=True)
    draft = Draft(spec, sink, job.images, job.base_language)
    job.mapper(draft, job.base_language, True)
    attributes = draft.finish(options.attributes)
    localization: list[dict[str, Any]] = []
    for ledger in job.ledgers:
        ledger.recording = False  # the base run decided what is used and what is dropped
    try:
        translations = [_translate(job, spec, language, options) for language in job.languages]
    finally:
        for ledger in job.ledgers:
            ledger.recording = True
    for language, translated in zip(job.languages, translations, strict=True):
        changed = {k: v for k, v in translated.items() if isinstance(v, str) and k in attributes and v != attributes[k]}
        if changed:
            localization.append({"language": language, "attributes": changed})
    created = int(options.clock() * 1000)
    entry: dict[str, Any] = {
        "refId": options.ref_id or new_ref_id(),
        "createdAt": created,
        "updatedAt": created,
        "language": job.base_language,
        "attributes": attributes,
    }
    if localization:
        entry["localization"] = localization
    card = {"card": {"type": job.card_type, "subType": job.sub_type, "data": [entry]}}
    try:
        checked = validate_card(card, ref_id_max=REF_ID_MAX, strict=options.strict)
    except ValidationError as exc:
        raise ValidationError([_explain(e, job.hints, draft.unhosted) for e in exc.errors]) from None
    dropped = [d for ledger in job.ledgers for d in ledger.dropped()]
    report = ConversionReport(
        source_format=job.source_format,
        source_type=job.source_type,
        card_type=job.card_type,
        sub_type=job.sub_type,
        mapped=_all_mapped(sink.mapped, job.ledgers),
        defaulted=tuple(sink.defaulted),
        truncated=tuple(sink.truncated),
        dropped=(*dropped, *job.extra_dropped, *_image_drops(job.images)),
        localized=tuple(item["language"] for item in localization),
        # Warnings of the card validator: Samsung's pages say otherwise, its own material does this.
        warnings=(*job.warnings, *(f"{w.path}: {w.message}" for w in checked.warnings)),
    )
    images = job.images.hosted() if job.images is not None else ()
    return Conversion(card=card, report=report, images=images, source_id=job.source_id)


def _translate(job: Job, spec: CardSpec, language: str, options: ConvertOptions) -> dict[str, object]:
    other = Draft(spec, Sink(record=False), job.images, language)
    job.mapper(other, language, False)
    return other.finish(options.attributes)


_PREFIX = "card.data[0].attributes."


def _explain(error: FieldError, hints: Mapping[str, str], unhosted: set[str]) -> FieldError:
    if not error.path.startswith(_PREFIX) or not error.reason.startswith("required"):
        return error
    name = error.path[len(_PREFIX) :]
    if name in unhosted:
        why = "the pass has the image, but it must be hosted: give image_base_url or image_host (CLI: --image-base-url)"
    else:
        why = f"the pass has no {hints.get(name, 'counterpart')}"
    return FieldError(error.path, f"{error.reason}: {why}; or set it yourself (CLI: --set {name}=VALUE)")


def _all_mapped(from_draft: list[Mapped], ledgers: Sequence[Ledger]) -> tuple[Mapped, ...]:
    """What the draft set, then what the mapping consumed to decide (``transitType`` → ``card.subType``)."""
    out = list(from_draft)
    known = set(out)
    for ledger in ledgers:
        out += [m for m in ledger.mapped() if m not in known]
    return tuple(out)


def _image_drops(images: PassImages | None) -> list[Dropped]:
    if images is None:
        return []
    used = images.used()
    out = []
    for name in images.names():
        if name in images.skipped:
            reason = "over Samsung's 256 kB per image"
        elif name in used:
            continue
        elif not images.can_host:
            reason = "not hosted (no image_base_url or image_host given)"
        else:
            reason = "no Samsung attribute shows this image"
        out.append(Dropped(name, reason))
    return out
