"""Safety triage: SAFETY.md's examples in fi/sv/en, the labelled set, negation, distance, input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from navigator.safety import (
    COMBOS,
    CONCEPTS,
    MAX_TEXT_CHARS,
    RULES,
    TOPICS,
    SafetyLevel,
    Triage,
    triage,
)

CASES = Path(__file__).parents[1] / "navigator" / "safety" / "examples.jsonl"
E, C, N = SafetyLevel.EMERGENCY, SafetyLevel.CRISIS, SafetyLevel.NONE


def _cases() -> list[dict[str, str]]:
    with CASES.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


# -- SAFETY.md's examples, each in Finnish, Swedish and English --------------------------------

EMERGENCY_EXAMPLES = [
    # unconscious
    ("fi", "Isä on tajuton lattialla"),
    ("sv", "Pappa ligger medvetslös på golvet"),
    ("en", "My dad is unconscious on the floor"),
    # not breathing
    ("fi", "Vauva ei hengitä"),
    ("sv", "Bebisen andas inte"),
    ("en", "The baby is not breathing"),
    # chest pain with sweating
    ("fi", "Minulla on rintakipua ja hikoilen"),
    ("sv", "Jag har ont i bröstet och svettas"),
    ("en", "I have chest pain and I'm sweating"),
    # stroke signs
    ("fi", "Äidin suupieli roikkuu ja puhe sammaltaa"),
    ("sv", "Mammas mungipa hänger och hon sluddrar"),
    ("en", "Mum's face is drooping and her speech is slurred"),
    ("fi", "Isän toinen käsi on äkkiä heikko"),
    ("en", "His arm is suddenly weak"),
    # heavy bleeding
    ("fi", "Haavasta vuotaa runsaasti verta"),
    ("sv", "Det blöder kraftigt från såret"),
    ("en", "The wound is bleeding heavily"),
    # overdose or poisoning just taken
    ("fi", "Otin äsken yliannostuksen"),
    ("sv", "Jag tog nyss en överdos"),
    ("en", "I just took an overdose"),
    # suicide attempt under way
    ("fi", "Aion tappaa itseni nyt"),
    ("sv", "Jag ska ta livet av mig nu"),
    ("en", "I am going to kill myself right now"),
    # violence happening now
    ("fi", "Hän lyö minua nyt"),
    ("sv", "Han slår mig nu"),
    ("en", "He is hitting me right now"),
    ("en", "Someone is breaking in and has a knife"),
    ("fi", "Joku murtautuu sisään ja hänellä on puukko"),
    ("sv", "Någon bryter sig in och har en kniv"),
    # a child swallowed something dangerous
    ("fi", "Lapsi nielaisi nappipariston"),
    ("sv", "Barnet svalde ett batteri"),
    ("en", "My child swallowed a battery"),
]

CRISIS_EXAMPLES = [
    # suicidal thoughts without an act under way
    ("fi", "Ajattelen itsemurhaa"),
    ("sv", "Jag tänker på självmord"),
    ("en", "I keep thinking about suicide"),
    # wish to die
    ("fi", "Haluan kuolla"),
    ("sv", "Jag vill dö"),
    ("en", "I want to die"),
    ("fi", "En halua elää"),
    ("sv", "Jag vill inte leva"),
    ("en", "I don't want to live"),
    # sudden loss or trauma
    ("fi", "Mieheni kuoli eilen yllättäen"),
    ("sv", "Min man dog plötsligt igår"),
    ("en", "My husband died suddenly yesterday"),
    # violence at home, not happening right now
    ("fi", "Mieheni lyö minua"),
    ("sv", "Min man slår mig"),
    ("en", "My husband hits me"),
    # sexual violence
    ("fi", "Minut raiskattiin"),
    ("sv", "Jag blev våldtagen"),
    ("en", "I was raped"),
    # acute mental crisis
    ("fi", "Minulla on paniikkikohtaus"),
    ("sv", "Jag har en panikattack"),
    ("en", "I'm having a panic attack"),
    ("fi", "Kuulen ääniä jotka käskee"),
    ("sv", "Jag hör röster"),
    ("en", "I hear voices"),
    # an attempt at a distance is a crisis, not an emergency
    ("fi", "Viime vuonna yritin itsemurhaa"),
    ("sv", "Förra året försökte jag ta livet av mig"),
    ("en", "Last year I attempted suicide"),
]

FIGURATIVE = [
    ("fi", "Kuolen nauruun"),
    ("fi", "Tapan aikaa"),
    ("en", "My phone died"),
    ("en", "Killing time"),
    ("sv", "Jag dör av skratt"),
    ("en", "This traffic is killing me"),
    ("sv", "Min telefon dog"),
    ("fi", "Puhelimen akku kuoli"),
]


@pytest.mark.parametrize(("lang", "text"), EMERGENCY_EXAMPLES)
def test_safety_md_emergency_examples(lang: str, text: str) -> None:
    assert triage(text).level is E, (lang, text, triage(text))


@pytest.mark.parametrize(("lang", "text"), CRISIS_EXAMPLES)
def test_safety_md_crisis_examples(lang: str, text: str) -> None:
    assert triage(text).level is C, (lang, text, triage(text))


@pytest.mark.parametrize(("lang", "text"), FIGURATIVE)
def test_figurative_speech_is_not_a_signal(lang: str, text: str) -> None:
    assert triage(text).level is N, (lang, text, triage(text))


# -- The brief's colloquial, inflected and misspelt forms ------------------------------------


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("itsarii mietin", C),
        ("tappaa itteni", C),
        ("haluun kuolla", C),
        ("ei jaksa elää", C),
        ("itsemurah", C),
        ("itsemurhaa ajatelllut", C),
        ("sucidal thoughts", C),
        ("självmord tankar", C),
        ("otin kaikki pillerit", E),
        ("vedin överit", E),
        ("I took all my pills", E),
        ("jag har tagit alla tabletter", E),
    ],
)
def test_colloquial_inflected_and_misspelt(text: str, level: SafetyLevel) -> None:
    assert triage(text).level is level, (text, triage(text))


# -- Negation and distance ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("en halua kuolla", N),
        ("jag vill inte dö", N),
        ("I don't want to die", N),
        ("en halua elää", C),
        ("jag vill inte leva", C),
        ("I do not want to live anymore", C),
        ("en ole koskaan ajatellut itsemurhaa", N),
        ("I'm not suicidal", N),
        # Negation of another verb does not reach the signal.
        ("en voi lopettaa viiltelyä", C),
        ("I can't stop cutting myself", C),
        ("en tiedä miksi ajattelen itsemurhaa", C),
        # A negated sentence never hides a real signal in another.
        ("en halua kuolla, mutta en halua elääkään", C),
        ("I don't want to die but I want to kill myself", C),
        # Negation is the signal itself.
        ("hengitys ei kulje", E),
        ("she can't breathe", E),
    ],
)
def test_negation(text: str, level: SafetyLevel) -> None:
    assert triage(text).level is level, (text, triage(text))


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("viime vuonna yritin itsemurhaa", C),
        ("yritin itsemurhaa tänään", E),
        ("vedin överit kaksi vuotta sitten", C),
        ("vedin överit äsken", E),
        ("I overdosed years ago", C),
        ("I overdosed an hour ago", E),
        ("jag tog en överdos förra året", C),
        # Distance never lowers a crisis: sexual violence long ago is still a crisis.
        ("minut raiskattiin viisi vuotta sitten", C),
        ("I was raped as a child", C),
        # Violence at home is a crisis; happening now is an emergency.
        ("isä lyö äitiä", C),
        ("isä lyö äitiä nyt", E),
        ("my dad hits my mom", C),
        ("my dad is hitting my mom right now", E),
        # Thoughts are a crisis; an act now is an emergency.
        ("aion tappaa itseni", C),
        ("aion tappaa itseni tänä yönä", E),
        # An old loss is grief, not a sudden loss.
        ("mummo kuoli kaksi vuotta sitten ja olen yksinäinen", N),
    ],
)
def test_distance_and_now(text: str, level: SafetyLevel) -> None:
    assert triage(text).level is level, (text, triage(text))


def test_one_signal_wins_over_a_negated_one() -> None:
    result = triage("En halua kuolla. Mutta mies lyö minua nyt.")
    assert result.level is E
    assert result.topics == ("violence",)


# -- Topics ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "otin kaikki pillerit",
        "vedin överit",
        "lapsi joi pesuainetta",
        "my toddler swallowed bleach",
        "mitt barn har ätit tabletter",
        "I overdosed",
    ],
)
def test_poisoning_topic(text: str) -> None:
    result = triage(text)
    assert result.level is E
    assert "poisoning" in result.topics


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("mieheni lyö minua", C),
        ("hän lyö minua nyt", E),
        ("kotona on väkivaltaa", C),
        ("exä uhkaa tappaa minut", C),
        ("someone is breaking in and has a knife", E),
        ("min pojkvän slår mig", C),
    ],
)
def test_violence_topic(text: str, level: SafetyLevel) -> None:
    result = triage(text)
    assert result.level is level
    assert "violence" in result.topics


@pytest.mark.parametrize(
    ("text", "level", "topic"),
    [
        # A small child swallowed something dangerous: an emergency about poisoning.
        ("viisivuotias nielaisi pienen magneetin", E, "poisoning"),
        ("my 3yo ate berries in the woods and is drooling", E, "poisoning"),
        ("vår 2-åring har svalt ett knappcellsbatteri", E, "poisoning"),
        # Overdose of a common painkiller, or pills on top of alcohol.
        ("söin puolikkaan purkin panadolia vartti sitten", E, "poisoning"),
        ("I downed a bottle of wine and swallowed a handful of sleeping pills", E, "poisoning"),
        # Coercive control, stalking and threats are violence in a close relationship.
        ("poikaystävä tarkistaa puhelimeni joka ilta ja vie palkkani", C, "violence"),
        ("my ex is following me everywhere", C, "violence"),
        ("mitt ex hotar mig hela tiden", C, "violence"),
        # Sexual abuse in childhood.
        ("enoni käytti minua hyväksi lapsena", C, "sexual_violence"),
        ("I was sexually abused by a relative when I was a kid", C, "sexual_violence"),
        # A parent reporting a child's self-harm.
        ("teini-ikäinen tyttäreni viiltelee käsiään", C, "self_harm"),
        ("my son has been cutting himself", C, "self_harm"),
        ("dottern skär sig i armarna", C, "self_harm"),
    ],
)
def test_new_signals_have_their_topic(text: str, level: SafetyLevel, topic: str) -> None:
    result = triage(text)
    assert result.level is level, (text, result)
    assert topic in result.topics, (text, result)


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # Typos in the key words of an act under way, also in inflected Finnish forms.
        ("otin kaikki tablettt", E),
        ("nielin kaikki unilääkkeeni ja pilerit", E),
        ("swalowed all my pils", E),
        ("jag tog alla tabeltter", E),
        # Jumping, preparations, farewell with an act announced.
        ("seisoskelen kerrostalon katolla ja hyppään", E),
        ("jag står på spåret och tänker hoppa framför tåget", E),
        ("hirttosilmukka roikkuu kattokoukussa", E),
        ("hyvästit kaikille, teen sen tänä iltana", E),
        # Jumping for play, goodbyes and everyday plans stay ordinary.
        ("lapset hyppäävät laiturilta järveen", N),
        ("hyvästi ja kiitos avusta", N),
        ("I'll do it tonight, thanks", N),
        # Passive death wishes.
        ("toivoisin etten heräisi huomenna", C),
        ("det vore skönt att somna och aldrig vakna", C),
        ("dying sounds like a relief to me", C),
        # Everyday panic is not a crisis; panic with bodily symptoms is.
        ("olen paniikissa tenttien takia", N),
        ("I'm panicking about my tax return", N),
        ("olen paniikissa, sydän hakkaa ja tärisen", C),
        # Recent sudden loss is a crisis; a peaceful death of an old relative is not.
        ("siskoni kuoli yllättäen viime viikonloppuna", C),
        ("mummi kuoli vanhuuteen viime talvena", N),
        ("my husband lost his job last week", N),
        # Figurative drowning and killing.
        ("I'm drowning in paperwork", N),
        ("förkylningen tar livet av mig", N),
        # A denial of being suicidal followed by the real need.
        ("en mä oo itsetuhonen, mut tarviin apua vuokraan", N),
        # A medical event long ago with ongoing rehabilitation.
        ("äiti sai aivohalvauksen viime syksynä ja käy fysioterapiassa", N),
    ],
)
def test_new_generalisations(text: str, level: SafetyLevel) -> None:
    assert triage(text).level is level, (text, triage(text))


def test_topics_and_signals_are_well_formed() -> None:
    result = triage("Haluan kuolla ja mies lyö minua. Minut raiskattiin.")
    assert set(result.topics) <= set(TOPICS)
    assert list(result.topics) == [t for t in TOPICS if t in result.topics]
    assert {"suicide", "violence", "sexual_violence"} <= set(result.topics)
    rule_ids = {rule.id for rule in RULES} | {"suicide_with_means"} | {c.id for c in COMBOS}
    assert set(result.signals) <= rule_ids
    assert triage("Tarvitsen apua velkoihin") == Triage(N, (), ())


def test_rules_refer_to_real_concepts_and_topics() -> None:
    for rule in RULES:
        for name in (*rule.needs, *rule.unless, *rule.unless_next, *rule.unless_before):
            assert name in CONCEPTS, (rule.id, name)
        assert set(rule.topics) <= set(TOPICS), rule.id
    for combo in COMBOS:
        for group in combo.groups:
            for item in group:
                assert set(item.split("+")) <= set(CONCEPTS), (combo.id, item)
        assert set(combo.topics) <= set(TOPICS), combo.id
    for name, spec in CONCEPTS.items():
        assert set(spec.get("includes", "").split()) <= set(CONCEPTS), name
    ids = [rule.id for rule in RULES] + [combo.id for combo in COMBOS]
    assert len(set(ids)) == len(ids)


# -- The labelled set ------------------------------------------------------------------------


def test_labelled_set_is_big_and_balanced() -> None:
    cases = _cases()
    by_label = {
        label: [c for c in cases if c["safety"] == label]
        for label in ("none", "crisis", "emergency")
    }
    assert len(cases) >= 300
    assert len(by_label["emergency"]) >= 60
    assert len(by_label["crisis"]) >= 90
    assert len(by_label["none"]) >= 120
    for label, items in by_label.items():
        langs = {c["lang"] for c in items}
        assert langs == {"fi", "sv", "en"}, label
        fi = sum(c["lang"] == "fi" for c in items)
        assert fi > len(items) / 3, label  # Finnish the most
    assert len({c["text"] for c in cases}) == len(cases)


def test_emergency_recall_is_one() -> None:
    missed = [
        c["text"]
        for c in _cases()
        if c["safety"] == "emergency" and triage(c["text"]).level is not E
    ]
    assert missed == []


def test_crisis_recall_is_one() -> None:
    missed = [
        c["text"] for c in _cases() if c["safety"] == "crisis" and triage(c["text"]).level is N
    ]
    assert missed == []


def test_false_alarms_at_most_five_percent() -> None:
    ordinary = [c["text"] for c in _cases() if c["safety"] == "none"]
    alarms = [text for text in ordinary if triage(text).level is not N]
    assert len(alarms) <= 0.05 * len(ordinary), alarms


# -- Robustness and speed --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\x00\x01\x02\x1b[31m",
        "a" * 100_000,
        "😀🔥💀" * 1000,
        "<script>alert('x')</script><b>apua</b>",
        "\ud800 lone surrogate",
        "ääää" * 30_000,
        "1-vuotias 2019 99999999999999999999 --- ... !!! ???",
        "\n\n\n;;;:::",
        "en et ei no not inte",
    ],
)
def test_bad_input_never_raises(text: str) -> None:
    result = triage(text)
    assert isinstance(result, Triage)
    assert result.level in (N, C, E)


def test_non_string_input_never_raises() -> None:
    for value in (None, b"\xff\xfe itsemurha", 12, ["x"]):
        assert isinstance(triage(value), Triage)  # type: ignore[arg-type]


def test_signal_late_in_a_long_message_within_the_cap_is_found() -> None:
    filler = "Minulla on ollut vaikeaa töissä ja kotona. " * 100
    text = filler + "Otin kaikki pillerit."
    assert len(text) < MAX_TEXT_CHARS
    assert triage(text).level is E
    assert triage("x" * MAX_TEXT_CHARS + " otin kaikki pillerit").level is N  # beyond the cap


def test_html_does_not_hide_a_signal() -> None:
    assert triage("<p>haluan <b>kuolla</b></p>").level is C


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("my dad collapsed and isnt breathing", SafetyLevel.EMERGENCY),  # no apostrophe
        ("i just want to disappear for good", SafetyLevel.CRISIS),
        ("haluaisin vaan kadota", SafetyLevel.CRISIS),
        ("jag vill bara försvinna", SafetyLevel.CRISIS),
        ("en halua kadota mihinkään", SafetyLevel.NONE),
        # short replies in a dialogue are not danger signals
        ("ja", SafetyLevel.NONE),
        ("ja tack", SafetyLevel.NONE),
        ("jag vill att någon kontaktar mig", SafetyLevel.NONE),
        ("en haluukaan että soitetaan", SafetyLevel.NONE),
    ],
)
def test_signals_found_in_the_assistants_conversations(text: str, level: SafetyLevel) -> None:
    assert triage(text).level is level


# One word with other senses ("ei hätää", "emergency dentist"), and a bare plea for help with
# nothing else in it ("help me find a dentist" must not read as danger): the rules leave them
# to the assistant's classifier, whose `emergency` the dialogue answers with crisis help
# (tests/bot/test_nlu.py checks that it reads these as `emergency`).
LEFT_TO_THE_CLASSIFIER = {"hätä", "apuva", "emergency", "help!", "HELP ME", "hjälp!"}


def test_every_emergency_example_of_the_assistant_is_a_danger_signal() -> None:
    import yaml

    from tests.conftest import REPO

    missed = set()
    for lang in ("fi", "en", "sv"):
        data = yaml.safe_load((REPO / "nlu" / lang / "nlu.yml").read_text(encoding="utf-8"))
        for item in data["nlu"]:
            if item.get("intent") != "emergency":
                continue
            for line in item["examples"].splitlines():
                text = line.strip()[2:]
                if text and triage(text).level is SafetyLevel.NONE:
                    missed.add(text)
    assert missed == LEFT_TO_THE_CLASSIFIER
