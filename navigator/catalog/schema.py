"""The catalogue's YAML keys, in one place: the reader checks against them and a test checks
that the editor's guide (`catalog/README.md`) documents every one."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fields:
    """The keys allowed in one kind of mapping, and which of them are required."""

    what: str  # "a service", "a channel": used in messages
    required: tuple[str, ...]
    optional: tuple[str, ...]

    @property
    def all(self) -> tuple[str, ...]:
        """Every allowed key."""
        return self.required + self.optional


FILE = Fields("a catalogue file", ("services",), ("provider",))

PROVIDER = Fields("a provider", ("name", "type"), ("business_id", "web"))

SERVICE = Fields(
    "a service",
    (
        "id",
        "name",
        "summary",
        "how_to_get",
        "level",
        "needs",
        "areas",
        "channels",
        "cost",
        "referral",
        "anonymous",
        "registration",
        "source",
        "checked",
    ),
    (
        "description",
        "keywords",
        "provider",
        "target_groups",
        "service_classes",
        "age",
        "languages",
        "membership_required",
        "accessibility",
        "review_by",
        "review",
        "status",
        "alert",
        "imported",
    ),
)

CHANNEL_KINDS = ("phone", "chat", "web", "eservice", "email", "address")

CHANNEL = Fields(
    "a channel",
    (),
    (*CHANNEL_KINDS, "label", "languages", "hours", "hours_exceptions", "note"),
)

ADDRESS = Fields("an address", ("street", "postal_code", "city"), ("latitude", "longitude"))

#: Where an imported entry came from; written by `navigator catalog import`.
IMPORTED = Fields("an import record", ("from", "id"), ("modified",))

HOURS_EXCEPTION = Fields("an opening-hours exception", ("hours",), ("date", "from", "to", "note"))

AGE = Fields("an age range", (), ("min", "max"))

COST = Fields("a cost", ("type",), ("text",))

TEXT = Fields("a text", (), ("fi", "sv", "en"))  # missing fi has its own message

# Taxonomy files.
NEEDS_FILE = Fields("the needs file", ("needs",), ())
NEED = Fields("a need", ("id", "label", "description", "synonyms"), ())
SYNONYMS = Fields("synonyms", ("fi", "sv", "en"), ())

#: Every structure an editor writes in service files, for the guide's completeness test.
EDITOR_STRUCTURES = (
    FILE,
    PROVIDER,
    SERVICE,
    CHANNEL,
    ADDRESS,
    HOURS_EXCEPTION,
    AGE,
    COST,
    IMPORTED,
)
