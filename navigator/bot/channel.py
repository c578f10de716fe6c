"""The assistant's REST channel: Rasa's, except for what happens when a turn fails.

Rasa's own REST channel answers 200 with whatever was said before the failure (often
nothing) when a turn fails, say because Redis or PostgreSQL is down, and logs the
resident's message text with the error. This one answers 503 when a store did not answer,
so the web app tells the resident to try again (and still gives 112 and crisis help for a
message that may signal danger); a failure caused by the message itself is answered as
Rasa answers it. Either way only the kind of failure is logged. The URL stays
/webhooks/rest/webhook.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.lock_store import LockError
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

log = logging.getLogger(__name__)


class NavigatorRestInput(RestInput):
    """POST /webhooks/rest/webhook {"sender", "message", "metadata"} → the bot's messages,
    or 503 {"error": "unavailable"} if the turn failed (nothing of it is kept then)."""

    @classmethod
    def name(cls) -> str:
        """The URL prefix: the same as Rasa's REST channel."""
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        """The health and message routes, as Rasa's REST channel has them."""
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            collector = CollectingOutputChannel()
            message = UserMessage(
                self._extract_message(request),
                collector,
                await self._extract_sender(request),
                input_channel=self._extract_input_channel(request),
                metadata=self.get_metadata(request),
            )
            try:
                await on_new_message(message)
            except Exception as exc:
                # Never the message text: only what kind of failure it was.
                if _store_down(exc):
                    log.error("a chat turn failed (%s); try again", type(exc).__name__)
                    return response.json({"error": "unavailable"}, status=503)
                # Something in the message itself (a forged payload nested thousands deep):
                # what was said before the failure, as Rasa's own channel answers.
                log.warning("a chat turn failed on its message (%s)", type(exc).__name__)
            return response.json(collector.messages)

        return webhook


def _store_down(error: Exception) -> bool:
    """True if the turn failed because a store did not answer: the lock store (Redis), the
    tracker store (PostgreSQL); asking again later helps then."""
    from redis.exceptions import RedisError  # type: ignore[import-untyped]
    from sqlalchemy.exc import SQLAlchemyError

    from navigator.bot.privacy import ConversationStoreUnavailable

    stores = (LockError, RedisError, SQLAlchemyError, ConversationStoreUnavailable)
    return isinstance(error, stores)
