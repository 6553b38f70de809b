"""Issue 17, done when: each source type converts a realistic pass to a card the validator accepts with no
error, a link built from it opens in the sandbox (test_sandbox.py), and the report lists what was dropped."""

from __future__ import annotations

import pytest

from linkkit.cards import check_card, validate_card
from linkkit.convert.apple import DROP_REASONS as APPLE_REASONS
from linkkit.convert.google import DROP_REASONS as GOOGLE_REASONS

from .conftest import BY_ID, CASES, Case, case_params

#: Every field each example pass carries that has no Samsung counterpart (or none left for it).
DROPPED = {
    "boarding-apple": [
        "formatVersion", "passTypeIdentifier", "teamIdentifier", "serialNumber", "description", "labelColor",
        "webServiceURL", "authenticationToken", "relevantDate", "associatedStoreIdentifiers",
        "barcodes[0].messageEncoding", "barcodes[0].altText", "barcodes[1]", "locations[0]",
        "semantics.securityScreening", "boardingPass.headerFields[0]", "boardingPass.primaryFields[0]",
        "boardingPass.primaryFields[1]", "boardingPass.secondaryFields[0]", "boardingPass.secondaryFields[1]",
        "boardingPass.auxiliaryFields[0]", "boardingPass.auxiliaryFields[1]", "boardingPass.auxiliaryFields[2]",
        "boardingPass.auxiliaryFields[3]", "boardingPass.backFields[2].dataDetectorTypes", "footer.png",
        "footer@2x.png",
    ],
    "event-apple": [
        "formatVersion", "passTypeIdentifier", "teamIdentifier", "serialNumber", "description", "logoText",
        "labelColor", "webServiceURL", "authenticationToken", "relevantDate", "expirationDate",
        "barcodes[0].messageEncoding", "locations[0]", "semantics.venueRoom", "semantics.performerNames",
        "semantics.totalPrice", "eventTicket.headerFields[0]", "eventTicket.auxiliaryFields[0]", "icon.png",
        "icon@2x.png",
    ],
    "coupon-apple": [
        "formatVersion", "passTypeIdentifier", "teamIdentifier", "serialNumber", "description", "labelColor",
        "webServiceURL", "authenticationToken", "associatedStoreIdentifiers", "relevantDate",
        "barcodes[0].messageEncoding", "locations", "coupon.secondaryFields[0]",
        "coupon.backFields[1].attributedValue",
    ],
    "store-apple": [
        "formatVersion", "passTypeIdentifier", "teamIdentifier", "serialNumber", "description", "labelColor",
        "webServiceURL", "authenticationToken", "associatedStoreIdentifiers", "userInfo",
        "barcodes[0].messageEncoding", "semantics.membershipProgramNumber",
    ],
    "gift-apple": [
        "formatVersion", "passTypeIdentifier", "teamIdentifier", "serialNumber", "description", "webServiceURL",
        "authenticationToken", "barcodes[0].messageEncoding", "storeCard.headerFields[0]",
    ],
    "generic-apple": [
        "formatVersion", "passTypeIdentifier", "teamIdentifier", "serialNumber", "description", "labelColor",
        "webServiceURL", "authenticationToken", "sharingProhibited", "barcodes[0].messageEncoding",
        "barcodes[0].altText", "generic.secondaryFields[0]", "generic.secondaryFields[1]", "icon.png",
        "icon@2x.png",
    ],
    "flight-google": [
        "object.kind", "object.id", "object.classId", "object.version", "object.state",
        "object.boardingAndSeatingInfo.kind",
        "object.boardingAndSeatingInfo.boardingPosition", "object.boardingAndSeatingInfo.boardingDoor",
        "object.reservationInfo.kind", "object.reservationInfo.eticketNumber", "object.barcode.kind",
        "object.barcode.alternateText", "object.groupingInfo.sortIndex", "object.passConstraints.nfcConstraint",
        "object.hasUsers", "object.classReference.kind", "object.classReference.id",
        "object.classReference.version", "object.classReference.issuerName", "object.classReference.reviewStatus",
        "object.classReference.localScheduledDepartureDateTime", "object.classReference.flightHeader.kind",
        "object.classReference.flightHeader.carrier.kind",
        "object.classReference.flightHeader.carrier.airlineLogo.contentDescription",
        "object.classReference.flightHeader.operatingCarrier.carrierIataCode",
        "object.classReference.flightHeader.operatingFlightNumber", "object.classReference.origin.kind",
        "object.classReference.destination.kind", "object.classReference.flightStatus",
        "object.classReference.boardingAndSeatingPolicy", "object.classReference.hexBackgroundColor",
        "object.classReference.multipleDevicesAndHoldersAllowedStatus", "object.classReference.securityAnimation",
    ],
    "transit-google": [
        "payload.transitClasses[0].id", "payload.transitClasses[0].reviewStatus",
        "payload.transitClasses[0].logo.contentDescription", "payload.transitClasses[0].enableSingleLegItinerary",
        "payload.transitObjects[0].id", "payload.transitObjects[0].classId", "payload.transitObjects[0].state",
        "payload.transitObjects[0].tripType",
        "payload.transitObjects[0].passengerType", "payload.transitObjects[0].ticketNumber",
        "payload.transitObjects[0].purchaseDetails.purchaseReceiptNumber",
        "payload.transitObjects[0].purchaseDetails.purchaseDateTime",
        "payload.transitObjects[0].purchaseDetails.ticketCost", "payload.transitObjects[0].ticketLeg.zone",
        "payload.transitObjects[0].barcode.alternateText", "payload.transitObjects[0].validTimeInterval", "iss",
        "aud", "typ", "origins",
    ],
    "event-google": [
        "object.kind", "object.id", "object.classId", "object.state", "object.seatInfo.kind",
        "object.reservationInfo.kind",
        "object.ticketNumber", "object.faceValue", "object.linkedOfferIds", "class.kind", "class.id",
        "class.reviewStatus", "class.dateTime.doorsOpen", "class.confirmationCodeLabel", "class.countryCode",
    ],
    "offer-google": [
        "offerClasses[0].id", "offerClasses[0].issuerName", "offerClasses[0].reviewStatus",
        "offerClasses[0].redemptionChannel", "offerClasses[0].shortTitle",
        "offerClasses[0].appLinkData.androidAppLinkInfo.appTarget.targetUri.description",
        "offerClasses[0].appLinkData.webAppLinkInfo", "offerObjects[0].id", "offerObjects[0].classId",
        "offerObjects[0].state",
        "offerObjects[0].locations[0]",
    ],
    "gift-google": [
        "object.kind", "object.id", "object.classId", "object.state", "object.balanceUpdateTime",
        "object.classReference.kind",
        "object.classReference.id", "object.classReference.pinLabel", "object.classReference.allowBarcodeRedemption",
        "object.classReference.reviewStatus",
    ],
    "loyalty-google": [
        "object.kind", "object.id", "object.classId", "object.state", "object.linkedOfferIds",
        "object.smartTapRedemptionValue",
        "object.classReference.kind", "object.classReference.id", "object.classReference.accountNameLabel",
        "object.classReference.reviewStatus", "object.classReference.enableSmartTap",
        "object.classReference.redemptionIssuers",
        "object.classReference.appLinkData.androidAppLinkInfo.appTarget.targetUri.description",
        "object.classReference.countryCode",
    ],
    "generic-google": [
        "object.id", "object.classId", "object.genericType", "object.state", "object.logo.contentDescription",
        "object.barcode.alternateText", "object.notifications", "object.classReference.id",
        "object.classReference.multipleDevicesAndHoldersAllowedStatus",
    ],
}  # fmt: skip


def test_every_source_type_has_a_realistic_example() -> None:
    apple = {c.path for c in CASES if c.path.startswith("apple/")}
    google = {c.path.split("/")[1].split(".")[0] for c in CASES if c.path.startswith("google/")}
    assert len(apple) == 6  # boardingPass, eventTicket, coupon, storeCard (loyalty and gift card), generic
    assert google == {"flight", "transit", "event-ticket", "offer", "gift-card", "loyalty", "generic"}
    assert set(DROPPED) == set(BY_ID)


@case_params()
def test_the_card_is_valid_and_the_report_lists_every_dropped_field(case: Case) -> None:
    result = case.convert()
    assert check_card(result.card, strict=True) == []  # no error, and not even a warning
    report = validate_card(result.card)
    assert (report.card_type, report.sub_type) == (case.card_type, case.sub_type)
    assert (result.report.card_type, result.report.sub_type) == (case.card_type, case.sub_type)
    assert [d.source for d in result.report.dropped] == DROPPED[case.id]
    assert all(d.reason for d in result.report.dropped)
    reasons = {d.reason for d in result.report.dropped}
    assert reasons & (set(APPLE_REASONS.values()) | set(GOOGLE_REASONS.values()))


@case_params()
def test_every_source_field_is_either_mapped_or_listed(case: Case) -> None:
    """Nothing vanishes: each leaf of the source is under a mapped path, a dropped path, or is empty."""
    import json

    from linkkit.convert.sources import read_source

    from .conftest import EXAMPLES

    result = case.convert()
    seen = [m.source for m in result.report.mapped] + [d.source for d in result.report.dropped]
    source = read_source(EXAMPLES / case.path)
    doc = source.data if hasattr(source, "data") else source
    prefix = (
        "object"
        if case.path.startswith("google/") and "payload" not in doc and not any(k.endswith("Objects") for k in doc)
        else ""
    )
    if "payload" in doc:
        doc, prefix = doc["payload"], "payload"

    def leaves(value: object, path: str) -> list[str]:
        if isinstance(value, dict):
            return [p for k, v in value.items() for p in leaves(v, f"{path}.{k}" if path else k)]
        if isinstance(value, list):
            return [p for i, v in enumerate(value) for p in leaves(v, f"{path}[{i}]")]
        return [] if value in (None, "") else [path]

    def covered(leaf: str) -> bool:
        return any(leaf == s or leaf.startswith((s + ".", s + "[")) for s in seen)

    missing = [leaf for leaf in leaves(doc, prefix) if not covered(leaf)]
    assert missing == [], json.dumps(missing)


def test_the_report_never_holds_a_value() -> None:
    result = BY_ID["boarding-apple"].convert()
    text = str(result.report.as_dict())
    for value in ("Appleseed", "ABC123", "vxwxd7J8AlNNFPS8k0a0FfUFtq0ewzFdc", "7A"):
        assert value not in text


@pytest.mark.parametrize("case_id", ["boarding-apple", "event-apple", "coupon-apple", "generic-google"])
def test_localizations_follow_their_attribute(case_id: str) -> None:
    entry = BY_ID[case_id].convert().card["card"]["data"][0]
    assert entry["localization"], "the example has translations"
    for item in entry["localization"]:
        assert set(item["attributes"]) <= set(entry["attributes"])
        assert all(item["attributes"][k] != entry["attributes"][k] for k in item["attributes"])
