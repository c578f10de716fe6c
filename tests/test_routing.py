"""route(): safety first, then the low-threshold ladder, on the shipped catalogue."""

from __future__ import annotations

import json

import pytest

from navigator.catalog.loader import load_catalog
from navigator.routing import (
    AGE_GROUPS,
    CRISIS_BY_TOPIC,
    CRISIS_LINES,
    CRISIS_REGIONAL,
    EMERGENCY_BY_TOPIC,
    EMERGENCY_FIRST,
    Router,
    detect_age,
)
from navigator.safety import SafetyLevel
from navigator.settings import MAX_MESSAGE_CHARS, MAX_RECOMMENDATIONS
from tests.conftest import REPO


@pytest.fixture(scope="module")
def router() -> Router:
    return Router(load_catalog(REPO / "catalog"))


def test_every_safety_line_id_is_in_the_catalogue(router: Router) -> None:
    ids = [*EMERGENCY_FIRST, *CRISIS_LINES, *CRISIS_REGIONAL]
    ids += [i for group in (*EMERGENCY_BY_TOPIC.values(), *CRISIS_BY_TOPIC.values()) for i in group]
    missing = [i for i in ids if i not in router.catalog.by_id]
    assert missing == []


@pytest.mark.parametrize(
    "text",
    ["Isä ei hengitä!", "my friend took all the pills and won't wake up", "han andas inte"],
)
def test_emergency_answers_start_with_112(router: Router, text: str) -> None:
    answer = router.route(text)
    assert answer.safety is SafetyLevel.EMERGENCY
    assert answer.recommendations[0].service.id == "emergency-112"
    assert answer.as_json()["safety_message"]


def test_poisoning_puts_the_poison_line_after_112(router: Router) -> None:
    answer = router.route("lapsi nieli pesuainetta")
    assert [r.service.id for r in answer.recommendations[:2]] == [
        "emergency-112",
        "myrkytystietokeskus",
    ]


@pytest.mark.parametrize(
    ("text", "lang"),
    [("en halua elää enää", "fi"), ("I want to die", "en"), ("jag vill inte leva längre", "sv")],
)
def test_crisis_answers_start_with_crisis_services(router: Router, text: str, lang: str) -> None:
    answer = router.route(text)
    assert answer.safety is SafetyLevel.CRISIS
    assert answer.language == lang
    first = answer.recommendations[0]
    assert first.role == "crisis"
    assert first.service.id in {*CRISIS_LINES, *CRISIS_REGIONAL}
    assert answer.as_json()["safety_message"] in {
        "Jos olet vaarassa nyt, soita 112.",
        "Om du är i fara nu, ring 112.",
        "If you are in danger now, call 112.",
    }


def test_violence_at_home_brings_nollalinja_and_keeps_the_needs(router: Router) -> None:
    answer = router.route("mies löi minua eilen kotona, pelkään häntä")
    assert answer.safety is SafetyLevel.CRISIS
    ids = [r.service.id for r in answer.recommendations]
    assert ids[0] == "nollalinja"
    assert "violence" in [n.need for n in answer.needs]


def test_ladder_lowest_level_first_within_two_steps(router: Router) -> None:
    answer = router.route("mulla on paljon velkoja ja rahat loppu", municipality="Kempele")
    assert answer.safety is SafetyLevel.NONE
    assert answer.needs[0].need == "money_debt"
    levels = [r.service.level for r in answer.recommendations]
    assert levels == sorted(levels)
    assert levels[-1] - levels[0] <= 2
    assert 1 <= len(levels) <= MAX_RECOMMENDATIONS
    assert all(r.service.areas.serves("244") for r in answer.recommendations)
    assert all(r.reason for r in answer.recommendations)


def test_municipality_age_and_language_from_the_text(router: Router) -> None:
    answer = router.route("olen 16-vuotias ja asun Olussa, kiusataan koulussa")
    assert answer.profile.municipality == "564"
    assert answer.profile.age == 16
    assert answer.language == "fi"
    assert all(r.service.age is None or r.service.age.contains(16) for r in answer.recommendations)


def test_reason_is_plain_language(router: Router) -> None:
    answer = router.route("tarvitsen velkaneuvontaa", lang="en")
    reason = answer.recommendations[0].reason
    assert "free" in reason or "no referral" in reason
    assert "serves" in reason


def test_out_of_scope_gets_no_invented_services(router: Router) -> None:
    for text in ["mikä on huomenna sää", "asdfghjkl", "who won the hockey game", "🙂🙂"]:
        answer = router.route(text)
        assert answer.out_of_scope, text
        assert answer.recommendations == []


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\x00\x01\x02",
        "<script>alert('x')</script>",
        "🙂" * 500,
        "a" * 100_000,
        "mix of suomi och svenska and English velat skulder debts",
        "\ud800",
    ],
)
def test_bad_input_gives_a_valid_answer(router: Router, text: str) -> None:
    answer = router.route(text)
    json.dumps(answer.as_json())
    if len(text) > MAX_MESSAGE_CHARS:
        assert any("cut" in note for note in answer.notes)


def test_a_signal_past_the_cut_is_still_triaged(router: Router) -> None:
    answer = router.route("x " * MAX_MESSAGE_CHARS + " en halua elää")
    assert answer.safety is SafetyLevel.CRISIS


def test_unknown_municipality_is_noted_not_fatal(router: Router) -> None:
    answer = router.route("velat", municipality="Atlantis")
    assert answer.profile.municipality is None
    assert any("Atlantis" in note for note in answer.notes)


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("olen 16-vuotias", 16),
        ("poika 15v", 15),
        ("I'm 17", 17),
        ("jag är 16 år", 16),
        ("moi", None),
    ],
)
def test_detect_age(text: str, age: int | None) -> None:
    assert detect_age(text) == age


@pytest.mark.parametrize(
    "text", ["tarvitsen apua", "apua!", "I need help", "jag behöver hjälp", "mulla on ongelma"]
)
def test_a_request_for_help_without_a_need_is_not_out_of_scope(router: Router, text: str) -> None:
    answer = router.route(text)
    assert not answer.out_of_scope
    assert answer.clarify
    assert answer.as_json()["clarify"] is True


def test_a_non_text_message_is_answered_not_raised(router: Router) -> None:
    answer = router.route(None)  # type: ignore[arg-type]  # as a JSON null might arrive
    assert answer.out_of_scope and answer.safety is SafetyLevel.NONE


def test_a_strong_second_need_gets_a_service_of_its_own(router: Router) -> None:
    answer = router.route("mun äijä juo joka päivä ja rahat loppu", municipality="Raahe")
    assert [n.need for n in answer.needs[:2]] == ["money_debt", "substance_use"]
    assert any("substance_use" in r.needs for r in answer.recommendations)


def test_the_childrens_line_is_offered_only_to_the_young(router: Router) -> None:
    adult = [r.service.id for r in router.route("en halua elää enää", age=40).recommendations]
    young = [r.service.id for r in router.route("en halua elää enää", age=14).recommendations]
    assert "mll-children-youth-phone" not in adult
    assert "mll-children-youth-phone" in young


def test_chosen_needs_come_first_and_unknown_ones_are_noted(router: Router) -> None:
    answer = router.route("", lang="fi", needs=["money_debt", "no_such_need"])
    assert [n.need for n in answer.needs][:1] == ["money_debt"]
    assert any("no_such_need" in note for note in answer.notes)
    assert answer.recommendations and all(
        "money_debt" in r.service.needs for r in answer.recommendations
    )


def test_exclude_and_limit_give_the_next_services(router: Router) -> None:
    first = router.route("velat painaa", lang="fi", municipality="564", limit=3)
    shown = [r.service.id for r in first.recommendations]
    assert len(shown) == 3
    more = router.route("velat painaa", lang="fi", municipality="564", exclude=shown, limit=3)
    assert more.recommendations
    assert not {r.service.id for r in more.recommendations} & set(shown)


def test_excluded_safety_services_are_not_repeated(router: Router) -> None:
    first = router.route("en halua elää enää", lang="fi")
    shown = [r.service.id for r in first.recommendations if r.role == "crisis"]
    again = router.route("en halua elää enää", lang="fi", exclude=shown)
    assert not {r.service.id for r in again.recommendations} & set(shown)


def test_open_questions_ask_only_what_changes_the_answer(router: Router) -> None:
    # Debt advice differs by municipality: ask where the resident lives.
    reading = router.read("velat painaa enkä saa nukuttua", lang="fi")
    assert "municipality" in router.open_questions(reading)
    # Told already: not asked again.
    told = router.read("velat painaa enkä saa nukuttua", lang="fi", municipality="564")
    assert "municipality" not in router.open_questions(told)
    # Nothing to route on yet: ask what it is about, and nothing else.
    assert router.open_questions(router.read("tarvitsen apua", lang="fi")) == ("need",)
    # A danger signal is answered at once, never with a question first.
    assert router.open_questions(router.read("haluan kuolla", lang="fi")) == ()


def test_a_question_is_asked_only_if_some_answer_changes_the_services(router: Router) -> None:
    reading = router.read("velat painaa", lang="fi", municipality="564")
    shown = [r.service.id for r in router.answer(reading, limit=3).recommendations]
    asks_age = "age" in router.open_questions(reading)
    differs = any(
        [
            r.service.id
            for r in router.answer(
                router.read("velat painaa", lang="fi", municipality="564", age=age), limit=3
            ).recommendations
        ]
        != shown
        for age in AGE_GROUPS.values()
    )
    assert asks_age == differs


def test_recommend_named_services(router: Router) -> None:
    profile = router.read("", lang="en").profile
    recs = router.recommend(["mieli-crisis-line", "no-such-service"], profile)
    assert [r.service.id for r in recs] == ["mieli-crisis-line"]
    assert recs[0].reason
