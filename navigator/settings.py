"""Named limits and defaults, in one place so that each is documented and tunable."""

from __future__ import annotations

#: Largest catalogue YAML file read, in bytes; larger files are rejected unread.
MAX_CATALOG_FILE_BYTES = 1024 * 1024

#: Deepest nesting of mappings and lists in a catalogue file.
MAX_CATALOG_NESTING = 20

#: `checked` older than this many days is warned about (12 months).
CHECKED_MAX_AGE_DAYS = 365

#: Seconds between two looks at the catalogue folder for edits (live reload); an edit is
#: loaded once the folder has stayed the same for one more look (editors save in bursts).
CATALOG_POLL_SECONDS = 0.5

#: The environment variable that turns live catalogue reload on ("1") or off ("0") for the
#: process-wide router; `navigator serve` sets it to 1 for its processes unless it is set.
CATALOG_RELOAD_ENV = "NAVIGATOR_CATALOG_RELOAD"

#: Minimum synonyms per need and language before the validator warns.
MIN_NEED_SYNONYMS = {"fi": 10, "sv": 5, "en": 5}

#: Longest resident message routed; longer text is cut here, with a note in the answer.
MAX_MESSAGE_CHARS = 2_000

#: Longest search query looked at.
MAX_QUERY_CHARS = 500

#: Most hits one search returns.
SEARCH_LIMIT_MAX = 100

#: Most services one routing answer recommends.
MAX_RECOMMENDATIONS = 5

#: Services the chat shows at once (cards), safety services aside; "more options" shows more.
CHAT_CARDS = 3

#: Most questions the chat asks before recommending (municipality, age, what it is about).
MAX_QUESTIONS = 2

#: Where the privacy notice is published; the chat's first message links to it.
PRIVACY_URL = "/privacy"

#: The embedded database of contact requests; the environment variable
#: NAVIGATOR_DATABASE_URL (an SQLAlchemy URL, e.g. PostgreSQL) replaces it.
DATABASE_URL = "sqlite:///navigator.db"

#: Seconds an SQLite connection waits for another process's write before giving up.
DATABASE_BUSY_TIMEOUT_SECONDS = 15

#: Seconds to wait for a PostgreSQL server to accept a connection.
DATABASE_CONNECT_TIMEOUT_SECONDS = 10

#: Hours a conversation is kept after its last message: the embedded (in-memory) tracker
#: store forgets it by itself; `navigator conversations purge` deletes it from PostgreSQL.
CONVERSATION_RETENTION_HOURS = 24

#: Minutes a contact detail typed into an unfinished contact form stays readable (sealed).
CONTACT_DRAFT_MINUTES = 30

#: The time zone of opening hours in the catalogue (the servers may run in UTC).
TIMEZONE = "Europe/Helsinki"

#: Days a contact request is kept before `purge` deletes it.
CONTACT_RETENTION_DAYS = 90

#: Longest text of the resident's own words passed with a contact request.
CONTACT_FREE_TEXT_MAX_CHARS = 1_000

#: Longest note a counsellor can add to a contact request.
CONTACT_NOTE_MAX_CHARS = 2_000

#: Most rows one listing of contact requests or audit entries returns.
LIST_LIMIT_MAX = 500

#: Shortest and longest counsellor password accepted.
PASSWORD_MIN_CHARS = 12
PASSWORD_MAX_CHARS = 1_024
