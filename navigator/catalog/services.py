"""Reading service files: one provider and its services, checked field by field."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

import pycountry

from navigator.catalog import schema
from navigator.catalog.contacts import (
    EMERGENCY_NUMBERS,
    check_business_id,
    check_email,
    check_url,
    normalise_phone,
)
from navigator.catalog.hours import HoursSyntaxError, parse_hours, parse_spans
from navigator.catalog.model import (
    Address,
    AgeRange,
    Areas,
    Channel,
    ChannelKind,
    Cost,
    CostType,
    HoursException,
    Imported,
    Provider,
    ProviderType,
    Service,
    Status,
    Text,
)
from navigator.catalog.problems import did_you_mean
from navigator.catalog.reader import Reader
from navigator.catalog.taxonomy import Taxonomy
from navigator.catalog.yamlfile import YamlDocument, YMapping, YNode, YScalar, YSequence
from navigator.settings import CHECKED_MAX_AGE_DAYS

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_POSTAL_CODE = re.compile(r"^\d{5}$")
_MISSING_TEXT = {"sv": "Swedish (sv)", "en": "English (en)"}


@lru_cache(maxsize=512)
def _known_language(code: str) -> bool:
    if len(code) == 2:
        return pycountry.languages.get(alpha_2=code) is not None
    return len(code) == 3 and pycountry.languages.get(alpha_3=code) is not None


# A catalogue repeats its numbers and addresses (switchboards, national lines) across
# hundreds of entries, and libphonenumber takes about 0.1 ms a number: the catalogue's
# normal forms are kept. Only here: these values are published facts, while
# navigator.contact calls the uncached functions, so no resident's detail stays in memory.
# A malformed value is not kept; its error is raised each time.
_catalogue_phone = lru_cache(maxsize=65_536)(normalise_phone)
_catalogue_email = lru_cache(maxsize=16_384)(check_email)


class ServiceFileReader:
    """Reads the services of one file against the taxonomy."""

    def __init__(self, reader: Reader, taxonomy: Taxonomy, today: date) -> None:
        self.today = today
        self.reader = reader
        self.problems = reader.problems
        self.taxonomy = taxonomy

    def read_file(self, document: YamlDocument) -> list[Service]:
        """Every valid service in the file; problems are recorded for the rest."""
        for duplicate in document.duplicates:
            self.problems.error(
                duplicate.key.mark,
                "duplicate-key",
                f"'{duplicate.key.text}' is given twice in this mapping "
                f"(first at line {duplicate.first.line})",
                "keep one; YAML tools would silently use the last",
                field=duplicate.key.text,
            )
        fields = self.reader.mapping(document.root, schema.FILE, "the file")
        if fields is None:
            return []
        provider = (
            self.read_provider(fields["provider"], "provider") if "provider" in fields else None
        )
        if "services" not in fields:
            return []
        items = self.reader.sequence(fields["services"], "services", "services") or []
        if isinstance(fields["services"], YSequence) and not items:
            self.problems.warning(
                fields["services"].mark,
                "no-services",
                "the file lists no services",
                "add services or delete the file",
                field="services",
            )
        services: list[Service] = []
        for index, item in enumerate(items):
            service = self.read_service(item, f"services[{index}]", provider, "provider" in fields)
            if service is not None:
                services.append(service)
        return services

    # Provider ----------------------------------------------------------------------------

    def read_provider(self, node: YNode, where: str) -> Provider | None:
        """A provider mapping."""
        fields = self.reader.mapping(node, schema.PROVIDER, where)
        if fields is None:
            return None
        missing: dict[str, list[str]] = {}
        name = (
            self.reader.text(fields["name"], f"{where}.name", missing) if "name" in fields else None
        )
        kind = (
            self.reader.choice(
                fields["type"], f"{where}.type", tuple(t.value for t in ProviderType)
            )
            if "type" in fields
            else None
        )
        business_id = (
            self.reader.checked_value(
                fields["business_id"], f"{where}.business_id", check_business_id, "bad-business-id"
            )
            if "business_id" in fields
            else None
        )
        web = (
            self.reader.checked_value(fields["web"], f"{where}.web", check_url, "bad-url")
            if "web" in fields
            else None
        )
        if name is None or kind is None:
            return None
        return Provider(name, ProviderType(kind), business_id, web)

    # Service -----------------------------------------------------------------------------

    def read_service(
        self, node: YNode, where: str, file_provider: Provider | None, file_has_provider: bool
    ) -> Service | None:
        """One service; None if it has any error."""
        errors_before = self.problems.error_count
        fields = self.reader.mapping(node, schema.SERVICE, where)
        if fields is None:
            return None
        r = self.reader
        service_id = self.read_id(fields["id"], f"{where}.id") if "id" in fields else None
        label = f"service '{service_id}'" if service_id else where
        # Field paths in messages are relative to the service: the position names the service.
        missing: dict[str, list[str]] = {}

        def text(key: str) -> Text | None:
            return r.text(fields[key], key, missing) if key in fields else None

        name, summary, how_to_get = text("name"), text("summary"), text("how_to_get")
        description, accessibility, alert = (
            text("description"),
            text("accessibility"),
            text("alert"),
        )
        keywords = (
            self.read_keywords(fields["keywords"], "keywords") if "keywords" in fields else {}
        )

        provider = file_provider
        if "provider" in fields:
            provider = self.read_provider(fields["provider"], "provider")
        elif not file_has_provider:
            self.problems.error(
                node.mark,
                "missing-field",
                f"{label} has no provider",
                "add 'provider:' to the file or to the service",
                field="provider",
            )

        level = r.integer(fields["level"], "level", 0, 5) if "level" in fields else None
        needs = self.read_codes(fields["needs"], "needs", "need") if "needs" in fields else None
        areas = self.read_areas(fields["areas"], "areas") if "areas" in fields else None
        target_groups = (
            self.read_codes(fields["target_groups"], "target_groups", "target group")
            if "target_groups" in fields
            else ()
        )
        service_classes = (
            self.read_codes(fields["service_classes"], "service_classes", "service class")
            if "service_classes" in fields
            else ()
        )
        age = self.read_age(fields["age"], "age") if "age" in fields else None
        languages = (
            self.read_languages(fields["languages"], "languages") if "languages" in fields else ()
        )
        channels = (
            self.read_channels(fields["channels"], "channels", languages)
            if "channels" in fields
            else None
        )
        cost = self.read_cost(fields["cost"], "cost", missing) if "cost" in fields else None
        flags = {
            key: r.boolean(fields[key], key) if key in fields else None
            for key in ("referral", "anonymous", "registration", "membership_required")
        }
        source = (
            r.checked_value(fields["source"], "source", check_url, "bad-url")
            if "source" in fields
            else None
        )
        checked = r.date(fields["checked"], "checked") if "checked" in fields else None
        review_by = r.date(fields["review_by"], "review_by") if "review_by" in fields else None
        review = r.string(fields["review"], "review") if "review" in fields else None
        status = (
            r.choice(fields["status"], "status", tuple(s.value for s in Status))
            if "status" in fields
            else Status.ACTIVE.value
        )

        imported = (
            self.read_imported(fields["imported"], "imported") if "imported" in fields else None
        )

        for lang, names in missing.items():
            self.problems.warning(
                node.mark,
                "missing-translation",
                f"{label} has no {_MISSING_TEXT[lang]} text in {', '.join(dict.fromkeys(names))}",
                "add it where the provider publishes it",
                field=label,
            )
        if level is not None and channels is not None:
            self.check_level(node, label, level, channels, flags["referral"])
        self.check_dates(fields, label, checked, review_by)

        if self.problems.error_count > errors_before or provider is None:
            return None  # a bad file-level provider was reported where it stands
        assert service_id and name and summary and how_to_get and source
        assert level is not None and needs is not None and areas and channels is not None
        assert cost and checked and status
        assert flags["referral"] is not None and flags["anonymous"] is not None
        assert flags["registration"] is not None
        return Service(
            id=service_id,
            name=name,
            summary=summary,
            how_to_get=how_to_get,
            provider=provider,
            level=level,
            needs=needs,
            areas=areas,
            channels=channels,
            cost=cost,
            referral=flags["referral"],
            anonymous=flags["anonymous"],
            registration=flags["registration"],
            source=source,
            checked=checked,
            origin=node.mark,
            description=description,
            keywords=keywords,
            target_groups=target_groups or (),
            service_classes=service_classes or (),
            age=age,
            languages=languages,
            membership_required=flags["membership_required"],
            accessibility=accessibility,
            review_by=review_by,
            review=review,
            status=Status(status),
            alert=alert,
            imported=imported,
        )

    def read_id(self, node: YNode, where: str) -> str | None:
        """A stable id: lower case words joined by -."""
        value = self.reader.string(node, where, "an id such as mieli-crisis-line")
        if value is None:
            return None
        if not (3 <= len(value) <= 80 and _ID.match(value)):
            self.problems.error(
                node.mark,
                "bad-id",
                f"'{value}' is not a valid id",
                "use 3–80 characters a-z, 0-9 and single dashes, e.g. mieli-crisis-line",
                field=where,
            )
            return None
        return value

    def read_imported(self, node: YNode, where: str) -> Imported | None:
        """{from, id, modified}: the source an importer took the entry from."""
        fields = self.reader.mapping(node, schema.IMPORTED, where)
        if fields is None:
            return None
        values = {k: self.reader.string(v, f"{where}.{k}") for k, v in fields.items()}
        source, upstream_id = values.get("from"), values.get("id")
        if source is None or upstream_id is None:
            return None
        return Imported(source, upstream_id, values.get("modified"))

    def read_keywords(self, node: YNode, where: str) -> dict[str, tuple[str, ...]]:
        """Search keywords per language."""
        fields = self.reader.mapping(node, schema.TEXT, where)
        return {
            lang: tuple(w for w, _ in self.reader.string_list(value, f"{where}.{lang}", "words"))
            for lang, value in (fields or {}).items()
        }

    def read_codes(self, node: YNode, where: str, what: str) -> tuple[str, ...] | None:
        """Need ids, target group or service class codes, checked against the taxonomy."""
        known = {
            "need": set(self.taxonomy.needs),
            "target group": set(self.taxonomy.target_groups),
            "service class": set(self.taxonomy.service_classes),
        }[what]
        values = self.reader.string_list(node, where, f"{what} codes")
        ok = True
        for value, item in values:
            if value not in known:
                ok = False
                hint = did_you_mean(value, known) or f"see catalog/taxonomy for the {what} codes"
                self.problems.error(
                    item.mark,
                    f"unknown-{what.replace(' ', '-')}",
                    f"'{value}' is not a known {what}",
                    hint,
                    field=where,
                )
        if what == "need" and not values:
            self.problems.error(
                node.mark,
                "empty-value",
                f"{where} is empty",
                "list at least one need id",
                field=where,
            )
            return None
        return tuple(dict.fromkeys(v for v, _ in values)) if ok else None

    def read_areas(self, node: YNode, where: str) -> Areas | None:
        """`nationwide`, `county` or a list of municipality codes."""
        if isinstance(node, YScalar) and node.text == "nationwide":
            return Areas("nationwide")
        if isinstance(node, YScalar) and node.text == "county":
            return Areas("county")
        if isinstance(node, YScalar) and not node.text.isdigit():
            hint = self.taxonomy.municipality_hint(node.text)
            self.problems.error(
                node.mark,
                "bad-value",
                f"'{node.text}' is not an area",
                f"write nationwide, county or a list of municipality codes; {hint}",
                field=where,
            )
            return None
        codes = self.reader.string_list(node, where, "municipality codes")
        ok = bool(codes)
        for code, item in codes:
            if code not in self.taxonomy.municipalities:
                ok = False
                self.problems.error(
                    item.mark,
                    "unknown-municipality",
                    f"'{code}' is not a municipality of the county",
                    self.taxonomy.municipality_hint(code),
                    field=where,
                )
        if not codes:
            self.problems.error(
                node.mark,
                "empty-value",
                f"{where} is empty",
                "list municipality codes",
                field=where,
            )
        return Areas("municipalities", tuple(dict.fromkeys(c for c, _ in codes))) if ok else None

    def read_age(self, node: YNode, where: str) -> AgeRange | None:
        """{min, max} in years."""
        fields = self.reader.mapping(node, schema.AGE, where)
        if fields is None:
            return None
        low = (
            self.reader.integer(fields["min"], f"{where}.min", 0, 120) if "min" in fields else None
        )
        high = (
            self.reader.integer(fields["max"], f"{where}.max", 0, 120) if "max" in fields else None
        )
        if low is not None and high is not None and low > high:
            self.problems.error(
                node.mark, "bad-value", f"{where}: min {low} is above max {high}", field=where
            )
            return None
        return AgeRange(low, high)

    def read_languages(self, node: YNode, where: str) -> tuple[str, ...]:
        """ISO 639 language codes."""
        result: list[str] = []
        for code, item in self.reader.string_list(node, where, "language codes"):
            if _known_language(code.lower()) and code == code.lower():
                result.append(code)
            else:
                self.problems.error(
                    item.mark,
                    "unknown-language",
                    f"'{code}' is not an ISO 639 language code",
                    "write fi, sv, en, ru, ar… (lower case)",
                    field=where,
                )
        return tuple(dict.fromkeys(result))

    def read_cost(self, node: YNode, where: str, missing: dict[str, list[str]]) -> Cost | None:
        """`free`, `fee`, `varies` or {type, text}."""
        choices = tuple(c.value for c in CostType)
        if isinstance(node, YScalar):
            value = self.reader.choice(node, where, choices)
            return Cost(CostType(value)) if value else None
        fields = self.reader.mapping(node, schema.COST, where)
        if fields is None or "type" not in fields:
            return None
        value = self.reader.choice(fields["type"], f"{where}.type", choices)
        text = (
            self.reader.text(fields["text"], f"{where}.text", missing) if "text" in fields else None
        )
        return Cost(CostType(value), text) if value else None

    # Channels ----------------------------------------------------------------------------

    def read_channels(
        self, node: YNode, where: str, default_languages: tuple[str, ...]
    ) -> tuple[Channel, ...] | None:
        """The list of channels; at least one."""
        items = self.reader.sequence(node, where, "channels")
        if items is None:
            return None
        if not items:
            self.problems.error(
                node.mark,
                "empty-value",
                f"{where} is empty",
                "add at least one channel",
                field=where,
            )
            return None
        channels = [
            self.read_channel(item, f"{where}[{i}]", default_languages)
            for i, item in enumerate(items)
        ]
        return tuple(c for c in channels if c is not None)

    def read_channel(
        self, node: YNode, where: str, default_languages: tuple[str, ...]
    ) -> Channel | None:
        """One channel: exactly one kind key and optional details."""
        fields = self.reader.mapping(node, schema.CHANNEL, where)
        if fields is None:
            return None
        kinds = [k for k in schema.CHANNEL_KINDS if k in fields]
        if len(kinds) != 1:
            if not kinds and isinstance(node, YMapping) and set(node.keys()) - set(fields):
                return None  # an unknown key (a misspelt kind) was reported already
            message = "has no kind" if not kinds else f"has several kinds ({', '.join(kinds)})"
            self.problems.error(
                node.mark,
                "channel-kind",
                f"{where} {message}",
                f"give each channel exactly one of {', '.join(schema.CHANNEL_KINDS)}; "
                "start another '- ' item for the next",
                field=where,
            )
            return None
        kind = ChannelKind(kinds[0])
        value_node = fields[kind.value]
        r = self.reader
        address: Address | None = None
        value: str | None
        display = ""
        if kind is ChannelKind.ADDRESS:
            address = self.read_address(value_node, f"{where}.address")
            value = str(address) if address else None
            display = value or ""
        else:
            check = {
                ChannelKind.PHONE: _catalogue_phone,
                ChannelKind.EMAIL: _catalogue_email,
            }.get(kind, check_url)
            code = {ChannelKind.PHONE: "bad-phone", ChannelKind.EMAIL: "bad-email"}.get(
                kind, "bad-url"
            )
            value = r.checked_value(value_node, f"{where}.{kind.value}", check, code)
            display = r.string(value_node, f"{where}.{kind.value}") or "" if value else ""
        missing: dict[str, list[str]] = {}
        label = r.text(fields["label"], f"{where}.label", missing) if "label" in fields else None
        note = r.text(fields["note"], f"{where}.note", missing) if "note" in fields else None
        languages = (
            self.read_languages(fields["languages"], f"{where}.languages")
            if "languages" in fields
            else default_languages
        )
        hours = None
        if "hours" in fields:
            hours_text = r.string(fields["hours"], f"{where}.hours", "opening hours")
            if hours_text is not None:
                try:
                    hours = parse_hours(hours_text)
                except HoursSyntaxError as exc:
                    self.problems.error(
                        fields["hours"].mark,
                        "bad-hours",
                        str(exc),
                        "see 'Opening hours' in catalog/README.md",
                        field=f"{where}.hours",
                    )
        exceptions: tuple[HoursException, ...] = ()
        if "hours_exceptions" in fields:
            items = (
                r.sequence(fields["hours_exceptions"], f"{where}.hours_exceptions", "exceptions")
                or []
            )
            read = [
                self.read_exception(item, f"{where}.hours_exceptions[{i}]")
                for i, item in enumerate(items)
            ]
            exceptions = tuple(e for e in read if e is not None)
        if value is None:
            return None
        return Channel(kind, value, display, address, label, languages, hours, exceptions, note)

    def read_address(self, node: YNode, where: str) -> Address | None:
        """{street, postal_code, city}."""
        fields = self.reader.mapping(node, schema.ADDRESS, where)
        if fields is None:
            return None
        values = {
            k: self.reader.string(v, f"{where}.{k}")
            for k, v in fields.items()
            if k in schema.ADDRESS.required
        }
        latitude = self.read_degrees(fields, where, "latitude", 59.0, 71.0)
        longitude = self.read_degrees(fields, where, "longitude", 19.0, 32.0)
        postal = values.get("postal_code")
        if postal is not None and not _POSTAL_CODE.match(postal):
            self.problems.error(
                fields["postal_code"].mark,
                "bad-postal-code",
                f"'{postal}' is not a Finnish postal code",
                "write five digits in quotes, e.g. '90100'",
                field=f"{where}.postal_code",
            )
            return None
        if any(values.get(k) is None for k in schema.ADDRESS.required):
            return None
        return Address(
            values["street"] or "", postal or "", values["city"] or "", latitude, longitude
        )

    def read_degrees(
        self, fields: dict[str, YNode], where: str, key: str, low: float, high: float
    ) -> float | None:
        """A WGS84 coordinate in degrees, within Finland's bounds."""
        if key not in fields:
            return None
        node = fields[key]
        value = self.reader.string(node, f"{where}.{key}", "degrees, e.g. 65.0121")
        if value is None:
            return None
        try:
            degrees = float(value)
        except ValueError:
            degrees = float("nan")
        if not low <= degrees <= high:  # NaN fails too
            self.problems.error(
                node.mark,
                "bad-coordinate",
                f"{where}.{key} '{value}' is not a {key} in Finland ({low}–{high})",
                "write WGS84 degrees with a decimal point, e.g. latitude 65.0121",
                field=f"{where}.{key}",
            )
            return None
        return degrees

    def read_exception(self, node: YNode, where: str) -> HoursException | None:
        """An exception: date or from/to, hours (closed or times), note."""
        fields = self.reader.mapping(node, schema.HOURS_EXCEPTION, where)
        if fields is None:
            return None
        r = self.reader
        start = end = None
        if "date" in fields:
            start = end = r.date(fields["date"], f"{where}.date")
            if "from" in fields or "to" in fields:
                self.problems.error(
                    node.mark,
                    "bad-value",
                    f"{where} has both date and from/to",
                    "use one",
                    field=where,
                )
                return None
        elif "from" in fields and "to" in fields:
            start, end = (
                r.date(fields["from"], f"{where}.from"),
                r.date(fields["to"], f"{where}.to"),
            )
            if start and end and start > end:
                self.problems.error(
                    node.mark, "bad-value", f"{where}: 'from' is after 'to'", field=where
                )
                return None
        else:
            self.problems.error(
                node.mark,
                "missing-field",
                f"{where} has no date",
                "add 'date:' or 'from:' and 'to:'",
                field=where,
            )
            return None
        missing: dict[str, list[str]] = {}
        note = r.text(fields["note"], f"{where}.note", missing) if "note" in fields else None
        hours_text = (
            r.string(fields["hours"], f"{where}.hours", "closed or times")
            if "hours" in fields
            else None
        )
        if hours_text is None or start is None or end is None:
            return None
        try:
            spans = () if hours_text == "closed" else parse_spans(hours_text, where)
        except HoursSyntaxError as exc:
            self.problems.error(
                fields["hours"].mark,
                "bad-hours",
                str(exc),
                "write closed or e.g. 10:00-14:00",
                field=where,
            )
            return None
        return HoursException(start, end, spans, note)

    # Rules across fields -----------------------------------------------------------------

    def check_level(
        self,
        node: YNode,
        label: str,
        level: int,
        channels: tuple[Channel, ...],
        referral: bool | None,
    ) -> None:
        """Level 0 is for emergency numbers only; low levels need no referral."""
        phones = {c.value for c in channels if c.kind is ChannelKind.PHONE}
        level_node = node.get("level") if isinstance(node, YMapping) else None
        mark = (level_node or node).mark
        if level == 0 and not phones & EMERGENCY_NUMBERS:
            self.problems.error(
                mark,
                "level-zero",
                f"{label} is at level 0 but has no emergency number "
                f"({', '.join(sorted(EMERGENCY_NUMBERS))})",
                "level 0 is for 112 only; crisis lines are level 2",
                field="level",
            )
        if level <= 3 and referral:
            self.problems.warning(
                mark,
                "level-referral",
                f"{label} is at level {level} but needs a referral",
                "levels 0–3 need no referral; a referral means level 5 (or 4)",
                field="level",
            )

    def check_dates(
        self, fields: dict[str, YNode], label: str, checked: date | None, review_by: date | None
    ) -> None:
        """`checked` not in the future nor too old; `review_by` not past."""
        if checked is not None:
            age = (self.today - checked).days
            if age < 0:
                self.problems.error(
                    fields["checked"].mark,
                    "future-date",
                    f"checked {checked} is in the future",
                    "write the date you checked the source",
                    field="checked",
                )
            elif age > CHECKED_MAX_AGE_DAYS:
                self.problems.warning(
                    fields["checked"].mark,
                    "checked-old",
                    f"{label} was checked {checked}, more than 12 months ago",
                    "check the facts against the source and update 'checked'",
                    field="checked",
                )
        if review_by is not None and review_by < self.today:
            self.problems.warning(
                fields["review_by"].mark,
                "review-overdue",
                f"{label} was due for review by {review_by}",
                "check the facts, then update 'checked' and 'review_by'",
                field="review_by",
            )
