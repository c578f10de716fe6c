"""Personal data is kept out of what is stored beside a conversation."""

from __future__ import annotations

import pytest

from benchmarks.common import read_jsonl
from benchmarks.redaction import CORPUS, KINDS, score
from navigator.privacy import (
    ADDRESS_MARK,
    EMAIL_MARK,
    HETU_MARK,
    IBAN_MARK,
    PHONE_MARK,
    find_personal_data,
    is_valid_hetu,
    is_valid_iban,
    redact,
)


@pytest.mark.parametrize(
    "text",
    [
        "soita mulle 040 123 4567",
        "numero on +358401234567 kiitos",
        "ring 050-765 4321",
        "0401234567",
        "call (040) 123-45-67 after six",
    ],
)
def test_phone_numbers_are_redacted(text: str) -> None:
    result = redact(text)
    assert PHONE_MARK in result
    assert not any(run in result for run in ("123", "4567", "765", "401234567"))


def test_email_addresses_are_redacted() -> None:
    assert redact("laita viestiä matti.meikalainen+apu@example.fi ok") == (
        f"laita viestiä {EMAIL_MARK} ok"
    )


@pytest.mark.parametrize(
    "text", ["olen 34-vuotias ja asun Oulussa", "velat painaa", "", "112 hätänumero"]
)
def test_ordinary_text_is_kept(text: str) -> None:
    assert redact(text) == text


# Each kind, with its own mark ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hetu 131052-308T, kiitos", f"hetu {HETU_MARK}, kiitos"),
        ("tili FI21 1234 5600 0007 85 ok", f"tili {IBAN_MARK} ok"),
        ("asun Kauppurienkatu 12 A 5 yksin", f"asun {ADDRESS_MARK} yksin"),
        ("Hallituskatu 36 B, 90100 Oulu", ADDRESS_MARK),
        ("asun Rautatienkadulla 7", f"asun {ADDRESS_MARK}"),
        ("oon Torikatu 5:ssä", f"oon {ADDRESS_MARK}"),
        ("jag bor på Storgatan 12", f"jag bor på {ADDRESS_MARK}"),
        ("I live at 12 Baker Street", f"I live at {ADDRESS_MARK}"),
        ("puh 040 123 4567", f"puh {PHONE_MARK}"),
    ],
)
def test_each_kind_gets_its_mark(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "soitin 116 117 ja sitten 112",
        "Sekasin 0800 02400 auttaa",
        "klo 9–15 ja klo 8.00-16.00",
        "vuonna 2019 ja 2015-2020",
        "olen 16-vuotias",
        "bussi 8, huone 12",
        "vuokra 1200 € ja velkaa 12 345,67 €",
        "viite NAV-2345-6789",
        "aika 12.3.2024 klo 10.30",
        "postinumero 90100",
        "valtatie 4 oli tukossa",
        "Isokatu on kaunis katu",
        "I walked 2 blocks down the road",
    ],
)
def test_hard_negatives_are_kept(text: str) -> None:
    assert redact(text) == text


# Check characters ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "131052-308T",  # the example of the Digital and Population Data Services Agency
        "010594Y9021",  # a century sign of 2023 (1900s)
        "010594F9032",  # and one for the 2000s
        "290200A1239",  # 29 February 2000 existed
        "131052-308t",  # typed in lower case
    ],
)
def test_valid_personal_identity_codes(code: str) -> None:
    assert is_valid_hetu(code)


@pytest.mark.parametrize(
    "code",
    [
        "131052-308U",  # wrong check character
        "290200-1239",  # 29 February 1900 did not exist (right check character)
        "300252-308A",  # nor did 30 February (right check character)
        "131052G308T",  # no such century sign
        "131052-30T",  # too short
    ],
)
def test_invalid_personal_identity_codes(code: str) -> None:
    assert not is_valid_hetu(code)


@pytest.mark.parametrize(
    "code",
    [
        "FI21 1234 5600 0007 85",  # the Finnish example of the IBAN registry
        "FI2112345600000785",
        "GB29 NWBK 6016 1331 9268 19",
        "DE89 3704 0044 0532 0130 00",
        "NO93 8601 1117 947",
    ],
)
def test_valid_ibans(code: str) -> None:
    assert is_valid_iban(code)


@pytest.mark.parametrize(
    "code",
    [
        "FI21 1234 5600 0007 86",  # wrong check
        "FI21 1234 5600 0007 8",  # wrong length for Finland
        "XX21 1234 5600 0007 85",  # no such country
        "FI2A 1234 5600 0007 85",
    ],
)
def test_invalid_ibans(code: str) -> None:
    assert not is_valid_iban(code)


def test_a_mistyped_code_is_redacted_unless_strict() -> None:
    # A real date and the right shape: the resident typed their code, one character wrong.
    assert redact("hetu 240386-2174") == f"hetu {HETU_MARK}"
    strict = find_personal_data("hetu 240386-2174", mistyped_codes=False)
    assert "hetu" not in [f.kind for f in strict]
    # No such day: not a personal identity code, however it ends.
    assert HETU_MARK not in redact("koodi 310286-2174")
    assert redact("tili FI21 1234 5600 0007 86") == f"tili {IBAN_MARK}"


# The labelled corpus -----------------------------------------------------------------------


def test_the_corpus_is_as_documented() -> None:
    rows = read_jsonl(CORPUS)
    positive = [row for row in rows if row["spans"]]
    assert len(positive) >= 120 and len(rows) - len(positive) >= 120
    assert {row["lang"] for row in rows} == {"fi", "sv", "en"}
    for row in positive:
        for span in row["spans"]:
            assert span["kind"] in KINDS
            assert row["text"].count(span["text"]) == 1, row


def test_recall_and_precision_on_the_corpus() -> None:
    figures = score(read_jsonl(CORPUS))
    assert figures["recall"] >= 0.98, figures["misses"]
    assert figures["precision"] >= 0.95, figures["false_positives"]
