"""Importing Suomi.fi Palvelutietovaranto (PTV) open API v11 records as catalogue entries.

Input: JSON files holding services, service channels and (optionally) organisations, each
a single record, a list of records, or a paged API response `{"pageNumber": …, "itemList":
[…]}`. Output: one YAML file per service under `services/imported/ptv/`, named after its id
(`ptv-<PTV id>.yaml`): upstream records change one by one, and a file per record keeps each
re-import's diff to the records that changed.

Every value is checked on the way: a malformed value is reported with its JSON path and
left out; a record that cannot make a valid entry is skipped and reported; the rest is
imported. Needs and level are suggested by rules (rules.py) and the entry asks for review.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from navigator.catalog.contacts import ContactValueError, check_email, check_url
from navigator.catalog.imports import hours as ptv_hours
from navigator.catalog.imports.geo import in_finland, tm35fin_to_wgs84
from navigator.catalog.imports.jsondata import Json
from navigator.catalog.imports.report import ImportReport, Notes, Severity
from navigator.catalog.imports.rules import suggest_level, suggest_needs
from navigator.catalog.imports.values import LANGS, known_language, phone_display, text_value
from navigator.catalog.imports.writer import EntryWriter, import_taxonomy, iso_date, plain_text
from navigator.catalog.model import ChannelKind, CostType
from navigator.catalog.taxonomy import Taxonomy
from navigator.errors import ImportDataError

SOURCE = "ptv"
API = "https://api.palvelutietovaranto.suomi.fi/api/v11"
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

#: Keys of v11 records that are read or knowingly ignored; others are reported as unknown.
SERVICE_KEYS = frozenset(
    [
        "id",
        "sourceId",
        "generalDescriptionId",
        "subType",
        "type",
        "fundingType",
        "serviceNames",
        "serviceChargeType",
        "areaType",
        "areas",
        "serviceDescriptions",
        "languages",
        "serviceClasses",
        "ontologyTerms",
        "targetGroups",
        "lifeEvents",
        "industrialClasses",
        "legislation",
        "keywords",
        "requirements",
        "serviceChannels",
        "organizations",
        "serviceVouchersInUse",
        "serviceVouchers",
        "serviceCollections",
        "publishingStatus",
        "modified",
        "responsibleSoteOrganization",
    ]
)
CHANNEL_KEYS = frozenset(
    [
        "id",
        "sourceId",
        "oid",
        "serviceChannelType",
        "organizationId",
        "serviceChannelNames",
        "displayNameType",
        "serviceChannelDescriptions",
        "areaType",
        "areas",
        "phoneNumbers",
        "emails",
        "languages",
        "webPages",
        "addresses",
        "serviceHours",
        "services",
        "publishingStatus",
        "modified",
        "responsibleSoteOrganization",
        "ontologyTerms",
        "accessibilityClassification",
        "supportPhones",
        "supportEmails",
        "isOnlineAuthenticationRequired",
        "requiresAuthentication",
        "requiresSignature",
        "signatureQuantity",
        "attachments",
        "channelUrls",
        "deliveryAddresses",
        "faxNumbers",
    ]
)
PHONE_KEYS = frozenset(
    [
        "type",
        "additionalInformation",
        "serviceChargeType",
        "chargeDescription",
        "prefixNumber",
        "isFinnishServiceNumber",
        "number",
        "language",
    ]
)

_COST = {
    "FreeOfCharge": CostType.FREE,
    "Free": CostType.FREE,
    "Chargeable": CostType.FEE,
    "Charged": CostType.FEE,
    "Other": CostType.VARIES,
}
_CALL_CHARGE = {
    "Chargeable": {
        "fi": "Puhelu on maksullinen.",
        "sv": "Samtalet är avgiftsbelagt.",
        "en": "The call is charged.",
    },
    "FreeOfCharge": {
        "fi": "Puhelu on maksuton.",
        "sv": "Samtalet är avgiftsfritt.",
        "en": "The call is free of charge.",
    },
}
#: PTV organisation types → catalogue provider types.
_PROVIDER_TYPES = {
    "Municipality": "municipality",
    "RegionalOrganization": "region",
    "Region": "region",
    "WellbeingServicesCounty": "region",
    "SotePublic": "region",
    "State": "national",
    "Organization": "ngo",
    "Company": "company",
    "SotePrivate": "company",
}
_GENERIC_HOW_TO_GET = {
    "fi": "Ota yhteyttä palveluun alla olevien yhteystietojen kautta.",
    "sv": "Kontakta tjänsten via kontaktuppgifterna nedan.",
    "en": "Contact the service using the details below.",
}


@dataclass(frozen=True)
class Record:
    """One upstream record and the file it came from."""

    file: str
    node: Json


@dataclass
class Records:
    """Services (trimmed), and channels and organisations by id."""

    channels: dict[str, Record] = field(default_factory=dict)
    organisations: dict[str, Record] = field(default_factory=dict)
    channels_of_service: dict[str, list[str]] = field(default_factory=dict)  # from channels
    converted: dict[str, tuple[list[dict[str, Any]], list[str]]] = field(default_factory=dict)
    services: list[Record] = field(default_factory=list)


def _records(document: Json) -> Iterator[Json]:
    """The records of a file: one object, a list, or a page's `itemList`."""
    if isinstance(document.value, list):
        yield from document.items()
    elif isinstance(document.value, dict) and "itemList" in document.value:
        yield from document.at("itemList").items()
    else:
        document.obj()  # a record is an object; anything else fails with its path
        yield document


def _kind(record: Json) -> str:
    """`service`, `channel`, `organisation` or `unknown`."""
    value = record.value
    if not isinstance(value, dict):
        return "unknown"
    if "serviceChannelType" in value:
        return "channel"
    if "serviceNames" in value or value.get("type") == "Service":
        return "service"
    if "organizationType" in value or "organizationNames" in value:
        return "organisation"
    return "unknown"


def load_json(path: Path, report: ImportReport) -> Json | None:
    """A JSON file as a walkable value; a file that is not JSON is reported and skipped."""
    try:
        return Json(json.loads(path.read_bytes()))
    except json.JSONDecodeError as exc:
        report.add(
            str(path),
            f"line {exc.lineno} column {exc.colno}",
            Severity.ERROR,
            f"not JSON: {exc.msg}; the whole file was skipped",
        )
    except UnicodeDecodeError:
        report.add(str(path), "", Severity.ERROR, "not UTF-8 text; the whole file was skipped")
    return None


#: Bulky parts of a service record that the import does not read (ontology terms alone are
#: half a record); dropped as files are read, so 20,000 services fit in memory.
_UNREAD = frozenset(
    {"ontologyTerms", "lifeEvents", "industrialClasses", "legislation", "serviceCollections"}
)


def _trimmed(record: Json) -> Json:
    """A service record without what is not read; service classes and target groups keep
    only their codes."""
    value = record.value
    trimmed = {k: v for k, v in value.items() if k not in _UNREAD}
    for key in ("serviceClasses", "targetGroups"):
        items = trimmed.get(key)
        if isinstance(items, list):
            trimmed[key] = [
                {"code": item.get("code")} if isinstance(item, dict) else item for item in items
            ]
    return Json(trimmed, record.path)


def read_records(paths: Iterable[Path], report: ImportReport) -> Records:
    """Every record of the files: services in input order, channels and organisations by id."""
    records = Records()
    for path in paths:
        document = load_json(path, report)
        if document is None:
            continue
        try:
            for record in _records(document):
                kind = _kind(record)
                if kind == "service":
                    records.services.append(Record(str(path), _trimmed(record)))
                    continue
                if kind == "unknown":
                    report.add(
                        str(path),
                        record.path,
                        Severity.ERROR,
                        "not a PTV service, service channel or organisation record; skipped",
                    )
                    continue
                try:
                    record_id = record.at("id").required_text()
                except ImportDataError as exc:
                    report.add(str(path), exc.path, Severity.ERROR, f"{exc.message}; skipped")
                    continue
                index = records.channels if kind == "channel" else records.organisations
                index[record_id] = Record(str(path), record)
                if kind == "channel":
                    _link_services(record, record_id, records)
        except ImportDataError as exc:
            report.add(str(path), exc.path, Severity.ERROR, f"{exc.message}; file skipped")
    return records


def _link_services(channel: Json, channel_id: str, records: Records) -> None:
    """Remember which services a channel names (`services[].service.id`)."""
    links = channel.value.get("services")
    for link in links if isinstance(links, list) else []:
        service = link.get("service") if isinstance(link, dict) else None
        service_id = service.get("id") if isinstance(service, dict) else None
        if isinstance(service_id, str):
            records.channels_of_service.setdefault(service_id, []).append(channel_id)


# Small readers ---------------------------------------------------------------------------


def _texts(node: Json, kind: str | None = None) -> dict[str, str]:
    """Localised values `[{language, value, type}]` → {fi, sv, en} (other languages dropped)."""
    fast = _texts_of_wellformed(node.value, kind)
    if fast is not None:
        return fast
    texts: dict[str, str] = {}
    for item in node.items():
        if kind is not None and item.at("type").text() != kind:
            continue
        lang, value = item.at("language").text(), item.at("value").text()
        if lang in LANGS and value and lang not in texts:
            texts[lang] = plain_text(value)
    return {lang: texts[lang] for lang in LANGS if lang in texts}


def _texts_of_wellformed(items: object, kind: str | None) -> dict[str, str] | None:
    """`_texts` on plain lists, skipping the path bookkeeping (most of an import's work);
    None when anything is off, so the careful walk reports it with its path."""
    if not isinstance(items, list):
        return None
    texts: dict[str, str] = {}
    for item in items:
        if not isinstance(item, dict):
            return None
        lang, value, item_kind = item.get("language"), item.get("value"), item.get("type")
        if not all(isinstance(v, str) or v is None for v in (lang, value, item_kind)):
            return None
        if kind is not None and item_kind != kind:
            continue
        if lang in LANGS and value and value.strip() and lang not in texts:
            texts[lang] = plain_text(value.strip())
    return {lang: texts[lang] for lang in LANGS if lang in texts}


def _required_text(node: Json, kind: str, what: str) -> dict[str, str]:
    texts = _texts(node, kind)
    if "fi" not in texts:
        raise node.fail(f"no Finnish {what} (an item with language 'fi' and type '{kind}')")
    return texts


# Channels --------------------------------------------------------------------------------


def _phone(item: Json, notes: Notes) -> dict[str, Any] | None:
    notes.unknown_keys(item, PHONE_KEYS)
    if item.at("type").text() not in (None, "Phone"):
        return None  # fax numbers are not a way for residents to reach a service
    number = item.at("number").required_text()
    prefix = item.at("prefixNumber").text() or ""
    raw = f"{prefix} {number}".strip()
    try:
        display = phone_display(raw)
    except ContactValueError as exc:
        raise item.at("number").fail(str(exc)) from None
    channel: dict[str, Any] = {"phone": display}
    label = item.at("additionalInformation").text()
    if label:
        channel["label"] = plain_text(label)
    language = item.at("language").text()
    if language and known_language(language):
        channel["languages"] = [language.lower()]
    charge = item.at("serviceChargeType").text()
    note = dict(_CALL_CHARGE.get(charge or "", {}))
    description = item.at("chargeDescription").text()
    if description:
        lang = language if language in LANGS and language in note else "fi"
        note[lang] = f"{note[lang]} {plain_text(description)}" if lang in note else description
    if "fi" in note:
        channel["note"] = text_value(note)
    return channel


def _web(item: Json, kind: str) -> dict[str, Any]:
    url_node = item.at("url")
    url = url_node.required_text()
    try:
        check_url(url)
    except ContactValueError as exc:
        raise url_node.fail(str(exc)) from None
    channel: dict[str, Any] = {kind: url}
    title = item.at("value").text()
    if title and item.at("language").text() in (None, "fi"):
        channel["label"] = plain_text(title)
    return channel


def _email(item: Json) -> dict[str, Any]:
    node = item.at("value")
    value = node.required_text()
    try:
        return {"email": check_email(value)}
    except ContactValueError as exc:
        raise node.fail(str(exc)) from None


def _address(item: Json, notes: Notes) -> dict[str, Any] | None:
    """A visiting address with WGS84 coordinates; postal and foreign addresses are skipped."""
    if item.at("type").text() not in (None, "Location", "Visiting"):
        return None
    street_node = item.at("streetAddress")
    if street_node.missing:
        return None  # a post office box or a free-text location: nothing to visit
    street = _texts(street_node.at("street")).get("fi")
    if street is None:
        raise street_node.at("street").fail("no Finnish street name")
    number = street_node.at("streetNumber").text()
    postal_node = street_node.at("postalCode")
    postal = postal_node.required_text()
    if not re.fullmatch(r"\d{5}", postal):
        raise postal_node.fail(f"'{postal}' is not a Finnish postal code (five digits)")
    city = _texts(street_node.at("postOffice")).get("fi")
    if city is None:
        raise street_node.at("postOffice").fail("no Finnish post office name")
    address: dict[str, Any] = {
        "street": f"{street} {number}" if number else street,
        "postal_code": postal,
        "city": city.title() if city.isupper() else city,  # PTV writes post offices in capitals
    }
    try:
        northing = float(street_node.at("latitude").required_text())
        easting = float(street_node.at("longitude").required_text())
        if not in_finland(northing, easting):
            raise street_node.fail(
                f"coordinates ({northing}, {easting}) are not ETRS-TM35FIN metres in Finland"
            )
        latitude, longitude = tm35fin_to_wgs84(northing, easting)
        if not (59.0 <= latitude <= 71.0 and 19.0 <= longitude <= 32.0):  # the validator's box
            raise street_node.fail(f"coordinates ({northing}, {easting}) lie outside Finland")
        address["latitude"], address["longitude"] = latitude, longitude
    except ValueError:
        notes.left_out(street_node.fail("coordinates are not numbers"))
    except ImportDataError as exc:
        if not street_node.at("latitude").missing:
            notes.left_out(exc)
    return {"address": address}


def _hours(channel: Json, notes: Notes) -> tuple[str | None, list[dict[str, Any]]]:
    weekly: list[Json] = []
    exceptions: list[dict[str, Any]] = []
    for entry in channel.at("serviceHours").items():
        kind = entry.at("serviceHourType").text()
        try:
            if kind in ptv_hours.EXCEPTION_TYPES:
                exceptions.append(ptv_hours.exception(entry))
            elif kind in ptv_hours.WEEKLY_TYPES:
                if entry.at("validTo").text() or entry.at("validForNow").flag() is False:
                    raise entry.fail("seasonal weekly hours (with validTo) are not imported")
                weekly.append(entry)
            else:
                raise entry.at("serviceHourType").fail(f"unknown hours type '{kind}'")
        except ImportDataError as exc:
            notes.left_out(exc, review=True)
    text = None
    try:
        text = ptv_hours.weekly_hours(weekly)
    except ImportDataError as exc:
        notes.left_out(exc, review=True)
    exceptions.sort(key=lambda e: (e.get("date") or e["from"]).isoformat())
    return text, exceptions


def channel_entries(channel: Json, notes: Notes) -> list[dict[str, Any]]:
    """The catalogue channels of one PTV channel: each phone, e-mail, web page and address."""
    notes.unknown_keys(channel, CHANNEL_KEYS)
    kind = channel.at("serviceChannelType").required_text()
    web_kind = "eservice" if kind == "EChannel" else "web"
    languages = [
        c.lower() for c in _string_list(channel.at("languages"), notes) if known_language(c)
    ]
    name = _texts(channel.at("serviceChannelNames"), "Name").get("fi")
    phones, others, places = [], [], []
    for item in channel.at("phoneNumbers").items():
        try:
            phone = _phone(item, notes)
            if phone:
                phones.append(phone)
        except ImportDataError as exc:
            notes.left_out(exc)
    for item in channel.at("emails").items():
        try:
            others.append(_email(item))
        except ImportDataError as exc:
            notes.left_out(exc)
    for item in channel.at("webPages").items():
        try:
            others.append(_web(item, web_kind))
        except ImportDataError as exc:
            notes.left_out(exc)
    for item in channel.at("addresses").items():
        try:
            place = _address(item, notes)
            if place:
                if name:
                    place["label"] = name
                places.append(place)
        except ImportDataError as exc:
            notes.left_out(exc)
    hours, exceptions = _hours(channel, notes)
    # Hours belong to what the channel is: the place for a location, the line for a phone.
    timed = {"ServiceLocation": places, "Phone": phones}.get(kind, others)
    for entry in timed:
        if hours:
            entry["hours"] = hours
        if exceptions:
            entry["hours_exceptions"] = exceptions
    result = [*places, *phones, *others]
    for entry in result:
        if languages and "languages" not in entry:
            entry["languages"] = languages
    return result


def _string_list(node: Json, notes: Notes) -> list[str]:
    values: list[str] = []
    for item in node.items():
        try:
            value = item.text()
        except ImportDataError as exc:
            notes.left_out(exc)
            continue
        if value:
            values.append(value)
    return values


def _languages(node: Json, notes: Notes) -> list[str]:
    codes = [c.lower() for c in _string_list(node, notes) if known_language(c)]
    return list(dict.fromkeys(codes))


# Service ---------------------------------------------------------------------------------


def _areas(service: Json, taxonomy: Taxonomy) -> str | list[str] | None:
    """`nationwide`, `county`, the county's municipality codes, or None (outside it)."""
    area_type = service.at("areaType").required_text()
    if area_type in ("Nationwide", "NationwideExceptAlandIslands"):
        return "nationwide"
    if area_type != "LimitedType":
        raise service.at("areaType").fail(
            f"unknown areaType '{area_type}'; expected Nationwide, "
            "NationwideExceptAlandIslands or LimitedType"
        )
    codes: set[str] = set()
    for area in service.at("areas").items():
        if area.at("type").text() == "Municipality" and area.at("code").text():
            codes.add(area.at("code").required_text())
        for municipality in area.at("municipalities").items():
            codes.add(municipality.at("code").required_text())
    county = set(taxonomy.municipalities)
    if county and county <= codes:
        return "county"
    inside = sorted(codes & county)
    return inside or None


def _codes(node: Json, known: dict[str, Any], notes: Notes, what: str) -> list[str]:
    codes: list[str] = []
    for item in node.items():
        try:
            code = item.at("code").required_text()
        except ImportDataError as exc:
            notes.left_out(exc)
            continue
        if code in known:
            codes.append(code)
        else:
            notes.left_out(item.at("code").fail(f"'{code}' is not a known {what}"))
    return list(dict.fromkeys(codes))


def _provider(service: Json, records: Records, notes: Notes) -> dict[str, Any]:
    """The responsible organisation (else the first listed), with a provider type."""
    chosen: Json | None = None
    for item in service.at("organizations").items():
        if chosen is None or item.at("roleType").text() == "Responsible":
            chosen = item
            if item.at("roleType").text() == "Responsible":
                break
    if chosen is None:
        raise service.at("organizations").fail("no organisation is listed")
    organisation = chosen.at("organization")
    name = organisation.at("name").required_text()
    org_id = organisation.at("id").text()
    known = records.organisations.get(org_id or "")
    kind = None
    if known is not None:
        kind = _PROVIDER_TYPES.get(known.node.at("organizationType").text() or "")
    if kind is None:
        kind = _provider_type_by_name(name, service.at("fundingType").text())
        notes.reasons.append(f"provider type '{kind}' guessed from the name '{name}'")
    return {"name": plain_text(name), "type": kind}


def _provider_type_by_name(name: str, funding: str | None) -> str:
    folded = name.casefold()
    if "hyvinvointialue" in folded:
        return "region"
    if "seurakun" in folded:
        return "parish"
    if re.search(r"kaupun|kunta\b|kunnan", folded):
        return "municipality"
    if re.search(r"\b(ry|rf|sr)\b|yhdistys|liitto|säätiö", folded):
        return "ngo"
    if re.search(r"\b(oy|oyj|ab|ay|ky)\b", folded) or funding == "MarketFunded":
        return "company"
    return "national"


def _channel_ids(service: Json, service_id: str, records: Records) -> list[str]:
    """Channels the service names, then channels that name the service."""
    ids = [
        item.at("serviceChannel").at("id").required_text()
        for item in service.at("serviceChannels").items()
    ]
    for channel_id in records.channels_of_service.get(service_id, []):
        if channel_id not in ids:
            ids.append(channel_id)
    return ids


def build_entry(
    service: Json, file: str, records: Records, taxonomy: Taxonomy, report: ImportReport
) -> tuple[str, dict[str, Any]] | None:
    """The catalogue file (provider and one service) for a PTV service record; None when it
    is outside the county or not published. Raises ImportDataError when it cannot be made."""
    notes = Notes(report, file)
    notes.unknown_keys(service, SERVICE_KEYS)
    upstream_id = service.at("id").required_text()
    if not _UUID.match(upstream_id):
        raise service.at("id").fail(f"'{upstream_id}' is not a PTV id (a lower-case UUID)")
    status = service.at("publishingStatus").text()
    if status not in (None, "Published"):
        report.add(file, service.path, Severity.NOTE, f"{upstream_id} is {status}; skipped")
        return None
    areas = _areas(service, taxonomy)
    if areas is None:
        report.add(
            file,
            service.at("areas").path,
            Severity.NOTE,
            f"{upstream_id} serves no municipality of the county; skipped",
        )
        return None
    entry_id = f"{SOURCE}-{upstream_id}"
    descriptions = service.at("serviceDescriptions")
    name = _required_text(service.at("serviceNames"), "Name", "name")
    summary = _required_text(descriptions, "Summary", "summary")
    description = _texts(descriptions, "Description")
    how_to_get = _texts(descriptions, "UserInstruction")
    if "fi" not in how_to_get:
        how_to_get = dict(_GENERIC_HOW_TO_GET)
        notes.reasons.append("PTV gives no user instructions; how_to_get is a general sentence")
    charge_node = service.at("serviceChargeType")
    charge = charge_node.text()
    cost = _COST.get(charge or "Other")
    if cost is None:
        notes.left_out(charge_node.fail(f"unknown serviceChargeType '{charge}'"), review=True)
        cost = CostType.VARIES
    charge_text = _texts(descriptions, "ChargeTypeAdditionalInfo")
    classes = _codes(
        service.at("serviceClasses"), taxonomy.service_classes, notes, "PTV service class"
    )
    parents = {code: taxonomy.service_classes[code].parent for code in classes}
    needs = suggest_needs(classes, parents)
    if not needs:
        raise service.at("serviceClasses").fail(
            f"no need can be suggested from the service classes {classes or '(none)'}; "
            "add a rule to navigator/catalog/imports/rules.py or enter the service by hand"
        )
    channels: list[dict[str, Any]] = []
    missing_channels: list[str] = []
    for channel_id in _channel_ids(service, upstream_id, records):
        record = records.channels.get(channel_id)
        if record is None:
            missing_channels.append(channel_id)
            continue
        converted = records.converted.get(channel_id)
        if converted is None:  # once per channel: its warnings are reported once
            channel_notes = Notes(report, record.file)
            try:
                entries = channel_entries(record.node, channel_notes)
            except ImportDataError as exc:
                channel_notes.left_out(exc)
                entries = []
            converted = records.converted[channel_id] = (entries, channel_notes.reasons)
        channels.extend(converted[0])
        notes.reasons.extend(converted[1])
    if missing_channels:
        report.add(
            file,
            service.at("serviceChannels").path,
            Severity.NOTE,
            f"channels not in the input, left out: {', '.join(missing_channels)}",
        )
    if not channels:
        raise service.at("serviceChannels").fail(
            "no usable channel: give the service's channel records in the same import"
        )
    level = suggest_level((ChannelKind(next(iter(c))) for c in channels), cost)
    modified = service.at("modified").required_text()
    checked = iso_date(modified)
    if checked is None:
        raise service.at("modified").fail(f"'{modified}' is not a timestamp")
    keywords = _keywords(service, notes)
    languages = [
        c.lower() for c in _string_list(service.at("languages"), notes) if known_language(c)
    ]
    target_groups = _codes(
        service.at("targetGroups"), taxonomy.target_groups, notes, "PTV target group"
    )

    entry: dict[str, Any] = {"id": entry_id, "name": text_value(name)}
    entry["summary"] = text_value(summary)
    if "fi" in description:
        entry["description"] = text_value(description)
    entry["how_to_get"] = text_value(how_to_get)
    if keywords:
        entry["keywords"] = keywords
    entry["level"] = level
    entry["needs"] = list(needs)
    entry["areas"] = areas
    if target_groups:
        entry["target_groups"] = target_groups
    if classes:
        entry["service_classes"] = classes
    if languages:
        entry["languages"] = list(dict.fromkeys(languages))
    entry["channels"] = channels
    entry["cost"] = (
        {"type": cost.value, "text": text_value(charge_text)} if "fi" in charge_text else cost.value
    )
    entry["referral"] = False
    entry["anonymous"] = False
    entry["registration"] = False
    entry["source"] = f"{API}/Service/{upstream_id}"
    entry["checked"] = checked
    entry["imported"] = {"from": SOURCE, "id": upstream_id, "modified": modified}
    provider = _provider(service, records, notes)
    entry["review"] = _review(entry_id, needs, level, notes.reasons)
    return entry_id, {"provider": provider, "services": [entry]}


def _keywords(service: Json, notes: Notes) -> dict[str, list[str]]:
    words: dict[str, list[str]] = {}
    alternatives = _texts(service.at("serviceNames"), "AlternativeName")
    for alt_lang, alternative in alternatives.items():
        words.setdefault(alt_lang, []).append(alternative)
    for item in service.at("keywords").items():
        try:
            lang, value = item.at("language").text(), item.at("value").text()
        except ImportDataError as exc:
            notes.left_out(exc)
            continue
        if lang in LANGS and value:
            words.setdefault(lang, []).append(plain_text(value))
    return {lang: list(dict.fromkeys(words[lang])) for lang in LANGS if lang in words}


def _review(entry_id: str, needs: tuple[str, ...], level: int, reasons: list[str]) -> str:
    text = (
        f"imported from PTV: needs ({', '.join(needs)}) and level {level} are suggested by "
        "rules, and referral, anonymous and registration (not in PTV) are set to false; "
        f"check them and write your decisions in catalog/overrides/{entry_id}.yaml"
    )
    return "; ".join([text, *dict.fromkeys(reasons)])


HEADER = (
    "Imported from Suomi.fi Palvelutietovaranto (PTV, CC BY 4.0) by\n"
    "`navigator catalog import ptv`. Do not edit: the next import rewrites this file.\n"
    "Write changes to catalog/overrides/{id}.yaml; see catalog/README.md."
)


def import_ptv(
    paths: Iterable[Path],
    root: Path,
    report: ImportReport | None = None,
    on_count: Callable[[int], Callable[[], None]] | None = None,
) -> ImportReport:
    """Import PTV JSON files into the catalogue at `root`; returns what happened.

    `on_count` is told the number of services and returns a function called once per
    service (the command's progress bar).
    """
    report = report if report is not None else ImportReport()
    taxonomy = import_taxonomy(root)
    records = read_records(paths, report)
    step = on_count(len(records.services)) if on_count else (lambda: None)
    writer = EntryWriter(root, SOURCE, taxonomy, HEADER, report)
    for record in records.services:
        _import_one(record, records, taxonomy, writer, report)
        step()
    return report


def _import_one(
    record: Record, records: Records, taxonomy: Taxonomy, writer: EntryWriter, report: ImportReport
) -> None:
    try:
        built = build_entry(record.node, record.file, records, taxonomy, report)
    except ImportDataError as exc:
        report.add(record.file, exc.path, Severity.ERROR, f"{exc.message}; service skipped")
        report.skipped += 1
        return
    if built is None:
        report.skipped += 1
        return
    writer.write(*built, record.file, record.node.path)
