"""Suggested needs and level for imported entries: rules an editor then reviews.

Upstream catalogues know service classes and charges, not Navigator's needs or threshold
ladder, so both are guessed here and every imported entry says so in `review:`.
"""

from __future__ import annotations

from collections.abc import Iterable

from navigator.catalog.model import ChannelKind, CostType

#: PTV service class (ptvserclass2) → need ids. A class without its own row uses its
#: parent's (P4.2 → P4). Classes with no row (building permits, hunting) suggest nothing.
NEEDS_BY_SERVICE_CLASS: dict[str, tuple[str, ...]] = {
    "P1": ("housing",),
    "P3": ("parenting",),
    "P3.1": ("relationships",),
    "P3.2": ("pregnancy_infant",),
    "P3.4": ("child_development",),
    "P3.5": ("relationships", "parenting"),
    "P3.6": ("parenting",),
    "P3.7": ("parenting", "relationships"),
    "P3.8": ("parenting", "child_development"),
    "P3.9": ("money_debt", "parenting"),
    "P4.1": ("housing",),
    "P4.2": ("ageing_at_home",),
    "P4.3": ("ageing_at_home",),
    "P4.4": ("disability",),
    "P4.5": ("disability",),
    "P4.6": ("parenting",),
    "P4.7": ("disability",),
    "P4.8": ("employment",),
    "P4.9": ("youth_support",),
    "P4.10": ("money_debt",),
    "P4.11": ("immigrants",),
    "P4.12": ("loneliness",),
    "P5": ("illness_symptoms",),
    "P5.2": ("pregnancy_infant",),
    "P5.5": ("illness_symptoms",),
    "P5.7": ("mental_health", "substance_use"),
    "P5.9": ("youth_support",),
    "P5.10": ("dental",),
    "P5.13": ("rehabilitation",),
    "P5.14": ("caregiving",),
    "P5.16": ("loneliness",),
    "P6": ("employment",),
    "P6.1": ("child_development",),
    "P6.2": ("child_development",),
    "P6.3": ("child_development",),
    "P6.4": ("youth_support",),
    "P10": ("employment",),
    "P10.4": ("employment", "rehabilitation"),
    "P13.3": ("disability", "money_debt"),
    "P19.3": ("crisis_support",),
    "P21.1": ("money_debt",),
    "P22": ("immigrants",),
}


def suggest_needs(classes: Iterable[str], parents: dict[str, str | None]) -> tuple[str, ...]:
    """Need ids for the service classes (each class's own row, else its parent's)."""
    needs: list[str] = []
    for code in classes:
        row = NEEDS_BY_SERVICE_CLASS.get(code)
        parent = parents.get(code)
        if row is None and parent is not None:
            row = NEEDS_BY_SERVICE_CLASS.get(parent)
        needs.extend(row or ())
    return tuple(dict.fromkeys(needs))


def suggest_level(kinds: Iterable[ChannelKind], cost: CostType) -> int:
    """The threshold level from how a service is reached and what it costs.

    Fees mean an appointment service (4). A free service reached only on the web is
    self-help or information (1); by phone or chat without a place to visit, a helpline (2);
    with a place to visit, a low-threshold open service (3). Levels 0 and 5 need facts an
    import does not have (an emergency number; a referral), so they are never suggested.
    """
    present = set(kinds)
    if cost is CostType.FEE:
        return 4
    if ChannelKind.ADDRESS in present:
        return 3
    if present & {ChannelKind.PHONE, ChannelKind.CHAT, ChannelKind.EMAIL}:
        return 2
    return 1


#: Lähellä.fi themes → need ids (the themes are listed in catalog/README.md).
NEEDS_BY_LAHELLA_THEME: dict[str, tuple[str, ...]] = {
    "mental-health": ("mental_health",),
    "crisis": ("crisis_support",),
    "substance-use": ("substance_use",),
    "gambling": ("gambling",),
    "families": ("parenting",),
    "children": ("child_development",),
    "pregnancy": ("pregnancy_infant",),
    "youth": ("youth_support",),
    "relationships": ("relationships",),
    "violence": ("violence",),
    "memory": ("memory_disorders",),
    "ageing": ("ageing_at_home",),
    "caregivers": ("caregiving",),
    "health": ("illness_symptoms",),
    "rehabilitation": ("rehabilitation",),
    "disability": ("disability",),
    "money": ("money_debt",),
    "food-aid": ("food_aid",),
    "housing": ("housing",),
    "work": ("employment",),
    "loneliness": ("loneliness",),
    "immigrants": ("immigrants",),
    "sexuality": ("sexual_health",),
}

#: Lähellä.fi formats that make a free activity with a place an open meeting place (3),
#: not a peer group (2).
OPEN_DOOR_FORMATS = frozenset({"meeting-place", "drop-in"})


def suggest_ngo_level(kinds: Iterable[ChannelKind], cost: CostType, formats: Iterable[str]) -> int:
    """The threshold level of an NGO or parish activity (Lähellä.fi).

    Peer groups, clubs and helplines are 2 even when they meet somewhere (the ladder puts
    NGO peer support at 2); an open meeting place or drop-in with a place to visit is 3;
    information on the web only is 1; a fee makes it 4.
    """
    present = set(kinds)
    if cost is CostType.FEE:
        return 4
    if ChannelKind.ADDRESS in present and OPEN_DOOR_FORMATS & set(formats):
        return 3
    if present <= {ChannelKind.WEB, ChannelKind.ESERVICE}:
        return 1
    return 2
