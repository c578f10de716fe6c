"""Contact requests with notes, counsellor accounts and sessions, and the audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Frozen copies of the types at this revision (never import them from navigator.db: a
# migration must build the same schema whatever the code looks like later).
TIME = sa.DateTime(timezone=True)
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Create the tables."""
    op.create_table(
        "contact_requests",
        sa.Column("reference", sa.String(16), primary_key=True),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("needs", JSON, nullable=False),
        sa.Column("municipality", sa.String(3)),
        sa.Column("services", JSON, nullable=False),
        sa.Column("channel", sa.String(8), nullable=False),
        sa.Column("address", sa.String(320), nullable=False),
        sa.Column("preferred_time", sa.String(200), nullable=False),
        sa.Column("free_text", sa.Text),
        sa.Column("status", sa.String(16), nullable=False),
    )
    for column in ("created_at", "municipality", "status"):
        op.create_index(f"ix_contact_requests_{column}", "contact_requests", [column])
    op.create_table(
        "contact_notes",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column(
            "reference",
            sa.String(16),
            sa.ForeignKey("contact_requests.reference", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("author", sa.String(64), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.create_index("ix_contact_notes_reference", "contact_notes", ["reference"])
    op.create_table(
        "users",
        sa.Column("username", sa.String(64), primary_key=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("last_login_at", TIME),
    )
    op.create_table(
        "sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("last_seen_at", TIME, nullable=False),
    )
    op.create_index("ix_sessions_username", "sessions", ["username"])
    op.create_table(
        "audit_log",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("at", TIME, nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("target", sa.String(64)),
        sa.Column("detail", JSON),
    )
    for column in ("at", "actor", "target"):
        op.create_index(f"ix_audit_log_{column}", "audit_log", [column])


def downgrade() -> None:
    """Drop the tables (and every request, note, account and audit entry in them)."""
    for table in ("audit_log", "sessions", "users", "contact_notes", "contact_requests"):
        op.drop_table(table)
