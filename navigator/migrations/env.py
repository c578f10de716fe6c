"""Alembic's entry point: runs the migrations on the connection `Database.migrate()` gives.

`navigator db migrate` (or any store opening the database) is the way to migrate; there is
no alembic.ini. To write a new migration, see docs/settings.md ("Database").
"""

from __future__ import annotations

from alembic import context

from navigator.db import METADATA

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("migrations run through navigator.db.Database.migrate(), on a connection")
context.configure(
    connection=connection,
    target_metadata=METADATA,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying
    compare_type=True,
)
with context.begin_transaction():  # inside the caller's transaction: nothing of its own
    context.run_migrations()
