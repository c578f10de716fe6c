"""The catalogue's taxonomy: needs (with synonyms), municipalities and the PTV code lists."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from navigator.catalog import schema
from navigator.catalog.model import LANGS, Text
from navigator.catalog.problems import Problems, did_you_mean
from navigator.catalog.reader import Reader
from navigator.catalog.yamlfile import Mark, YMapping, YNode, load
from navigator.errors import CatalogFileError
from navigator.settings import MIN_NEED_SYNONYMS

#: The stable need ids (ARCHITECTURE.md); the catalogue and every interface use these.
NEED_IDS: tuple[str, ...] = (
    "mental_health",
    "crisis_support",
    "substance_use",
    "gambling",
    "parenting",
    "child_development",
    "pregnancy_infant",
    "youth_support",
    "relationships",
    "violence",
    "memory_disorders",
    "ageing_at_home",
    "caregiving",
    "illness_symptoms",
    "dental",
    "rehabilitation",
    "disability",
    "money_debt",
    "food_aid",
    "housing",
    "employment",
    "loneliness",
    "immigrants",
    "sexual_health",
)

NEEDS_FILE = "taxonomy/needs.yaml"
AREAS_FILE = "taxonomy/areas.yaml"
TARGET_GROUPS_FILE = "taxonomy/codelists/ptv_target_groups.yaml"
SERVICE_CLASSES_FILE = "taxonomy/codelists/ptv_service_classes.yaml"


@dataclass(frozen=True)
class Need:
    """A need: label, one-line description and the everyday words that signal it."""

    id: str
    label: Text
    description: Text
    synonyms: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Code:
    """An entry of a code list (municipality, target group, service class)."""

    code: str
    name: Text
    parent: str | None = None


@dataclass
class Taxonomy:
    """Everything services refer to by code."""

    needs: dict[str, Need] = field(default_factory=dict)
    county: Text = field(default_factory=lambda: Text("Pohjois-Pohjanmaan hyvinvointialue"))
    municipalities: dict[str, Code] = field(default_factory=dict)
    target_groups: dict[str, Code] = field(default_factory=dict)
    service_classes: dict[str, Code] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)

    def municipality_hint(self, value: str) -> str:
        """A hint for an unknown municipality code: the code of a name, or a near code."""
        folded = value.strip().casefold()
        for code in self.municipalities.values():
            if folded in {n.casefold() for n in code.name.values()}:
                return f"{value} is a name; use its code '{code.code}'"
        by_name = {c.name.fi: c.code for c in self.municipalities.values()}
        guess = did_you_mean(value, by_name)
        if guess:
            name = guess.split("'")[1]
            return f"did you mean {name} ('{by_name[name]}')?"
        return "codes are listed in catalog/taxonomy/areas.yaml"


def _load(root: Path, relative: str, problems: Problems) -> YNode | None:
    path = root / relative
    try:
        return load(path, str(path)).root
    except FileNotFoundError:
        problems.error(
            Mark(str(path), 1, 1),
            "missing-file",
            f"the taxonomy file {relative} is missing",
            "restore it from git",
        )
    except CatalogFileError as exc:
        problems.error(Mark(exc.path, exc.line, exc.column), exc.code, exc.message)
    return None


def _read_codes(
    reader: Reader, node: YNode | None, key: str, where: str
) -> tuple[dict[str, Code], YMapping | None]:
    codes: dict[str, Code] = {}
    if not isinstance(node, YMapping):
        return codes, None
    items = reader.sequence(node.get(key) or node, f"{where}.{key}", "codes")
    for item in items or []:
        if not isinstance(item, YMapping):
            continue
        values = {k.text: v for k, v in item.items}
        code = reader.string(values["code"], f"{where}.code") if "code" in values else None
        if not code:
            continue
        names = {
            lang: reader.string(values[lang], f"{where}.{lang}") for lang in LANGS if lang in values
        }
        parent = reader.string(values["parent"], f"{where}.parent") if "parent" in values else None
        codes[code] = Code(
            code, Text(names.get("fi") or code, names.get("sv"), names.get("en")), parent
        )
    return codes, node


def _read_need(reader: Reader, node: YNode, index: int, taxonomy: Taxonomy) -> None:
    where = f"needs[{index}]"
    fields = reader.mapping(node, schema.NEED, where)
    if fields is None or "id" not in fields:
        return
    need_id = reader.string(fields["id"], f"{where}.id")
    if need_id is None:
        return
    if need_id not in NEED_IDS:
        reader.problems.error(
            fields["id"].mark,
            "unknown-need",
            f"'{need_id}' is not one of the fixed need ids",
            did_you_mean(need_id, NEED_IDS) or "the ids are listed in ARCHITECTURE.md",
            field=f"{where}.id",
        )
        return
    if need_id in taxonomy.needs:
        reader.problems.error(
            fields["id"].mark, "duplicate-id", f"need '{need_id}' is defined twice", field=where
        )
        return
    missing: dict[str, list[str]] = {}
    label = reader.text(fields["label"], f"{where}.label", missing) if "label" in fields else None
    description = (
        reader.text(fields["description"], f"{where}.description", missing)
        if "description" in fields
        else None
    )
    for lang, names in missing.items():
        reader.problems.warning(
            node.mark,
            "missing-translation",
            f"need '{need_id}' has no {lang} text in {', '.join(names)}",
            field=where,
        )
    synonyms: dict[str, tuple[str, ...]] = {}
    syn_fields = (
        reader.mapping(fields["synonyms"], schema.SYNONYMS, f"{where}.synonyms")
        if "synonyms" in fields
        else None
    )
    for lang, syn_node in (syn_fields or {}).items():
        words = reader.string_list(syn_node, f"{where}.synonyms.{lang}", "words")
        seen: set[str] = set()
        for word, word_node in words:
            if word.casefold() in seen:
                reader.problems.warning(
                    word_node.mark,
                    "duplicate-synonym",
                    f"'{word}' is listed twice for {need_id} ({lang})",
                    field=f"{where}.synonyms.{lang}",
                )
            seen.add(word.casefold())
        synonyms[lang] = tuple(dict.fromkeys(w for w, _ in words))
        minimum = MIN_NEED_SYNONYMS.get(lang, 0)
        if len(synonyms[lang]) < minimum:
            reader.problems.warning(
                syn_node.mark,
                "few-synonyms",
                f"need '{need_id}' has {len(synonyms[lang])} {lang} synonyms",
                f"add everyday words residents use, at least {minimum}",
                field=f"{where}.synonyms.{lang}",
            )
    if label and description:
        taxonomy.needs[need_id] = Need(need_id, label, description, synonyms)


def load_taxonomy(root: Path, problems: Problems) -> Taxonomy:
    """Load and check the taxonomy files under the catalogue root."""
    reader = Reader(problems)
    taxonomy = Taxonomy(files=[root / f for f in (NEEDS_FILE, AREAS_FILE)])

    needs_node = _load(root, NEEDS_FILE, problems)
    if needs_node is not None:
        fields = reader.mapping(needs_node, schema.NEEDS_FILE, "needs file")
        items = (
            reader.sequence(fields["needs"], "needs", "needs")
            if fields and "needs" in fields
            else None
        )
        for index, item in enumerate(items or []):
            _read_need(reader, item, index, taxonomy)
        if items is not None:
            absent = [n for n in NEED_IDS if n not in taxonomy.needs]
            if absent:
                problems.error(
                    needs_node.mark,
                    "missing-need",
                    f"the needs file has no entry for {', '.join(absent)}",
                    "every fixed need id needs labels, a description and synonyms",
                )

    areas_node = _load(root, AREAS_FILE, problems)
    taxonomy.municipalities, areas_map = _read_codes(reader, areas_node, "municipalities", "areas")
    county = areas_map.get("wellbeing_services_county") if areas_map else None
    if isinstance(county, YMapping):
        values = {k.text: v.text for k, v in county.items if hasattr(v, "text")}
        taxonomy.county = Text(
            values.get("fi", taxonomy.county.fi), values.get("sv"), values.get("en")
        )

    taxonomy.target_groups, _ = _read_codes(
        reader, _load(root, TARGET_GROUPS_FILE, problems), "target_groups", "target_groups"
    )
    taxonomy.service_classes, _ = _read_codes(
        reader, _load(root, SERVICE_CLASSES_FILE, problems), "service_classes", "service_classes"
    )
    return taxonomy
