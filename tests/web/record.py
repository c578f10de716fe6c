"""Record the real assistant's replies that the page-only browser tests play back.

    .venv/bin/python -m tests.web.record http://127.0.0.1:5005

needs a running assistant (`make bot`), and rewrites tests/web/recorded/*.json: the opening
notice and a reply with service cards and quick replies, in each language. Re-record when
the shape of the assistant's messages changes; the tests against the real assistant
(test_chat_assistant.py) catch that.
"""

from __future__ import annotations

import json
import sys
import uuid
from typing import Any

import httpx

from tests.web.conftest import RECORDED

SITUATION = {
    "fi": "olen tosi yksinäinen, asun Oulussa",
    "sv": "jag är väldigt ensam, jag bor i Uleåborg",
    "en": "I am very lonely, I live in Oulu",
}
MAX_TURNS = 4


def say(rasa: str, sender: str, message: str, lang: str) -> list[dict[str, Any]]:
    """One message through the REST channel."""
    body = {"sender": sender, "message": message, "metadata": {"language": lang}}
    response = httpx.post(f"{rasa}/webhooks/rest/webhook", json=body, timeout=60)
    response.raise_for_status()
    replies: list[dict[str, Any]] = response.json()
    return replies


def has_cards(replies: list[dict[str, Any]]) -> bool:
    """True if a reply carries a service card."""
    return any(isinstance(r.get("custom"), dict) for r in replies)


def record(rasa: str, lang: str) -> None:
    """The opening notice and the first reply with cards, skipping questions."""
    sender = f"record-{uuid.uuid4().hex[:12]}"
    write(f"opening_{lang}", say(rasa, sender, "/session_start", lang))
    replies = say(rasa, sender, SITUATION[lang], lang)
    for _ in range(MAX_TURNS):
        if has_cards(replies):
            write(f"cards_{lang}", replies)
            return
        replies = say(rasa, sender, "/deny", lang)  # "I'd rather not say"
    raise SystemExit(f"no cards in {lang} after {MAX_TURNS} turns: {replies}")


def write(name: str, replies: list[dict[str, Any]]) -> None:
    """Keep a reply, without the per-conversation recipient id."""
    for reply in replies:
        reply.pop("recipient_id", None)
    RECORDED.mkdir(exist_ok=True)
    text = json.dumps(replies, ensure_ascii=False, indent=1)
    (RECORDED / f"{name}.json").write_text(text + "\n", encoding="utf-8")


def main() -> None:
    """Record every language from the assistant at argv[1]."""
    rasa = (sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:5005").rstrip("/")
    for lang in ("fi", "sv", "en"):
        record(rasa, lang)


if __name__ == "__main__":
    main()
