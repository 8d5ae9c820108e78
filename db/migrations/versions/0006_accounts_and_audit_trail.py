"""users.session_version, users.role and the audit_events table.

session_version: the session cookie is signed but kept by the browser, so a copy taken before
logout stayed valid until it expired. Each cookie now carries the version it was issued under;
logout and a password change bump the counter, so every earlier copy is refused at once.

role: viewer, curator or admin. Accounts made before roles existed could review and override, so
they become curators (not admins: nothing they did needed more).

audit_events: every change a person makes, append-only, with who, when, old and new value.

clusters.origin, curated and retired_by: the registry lives in the database and the seeds file
is its import. `origin` says whether a cluster came from the seeds or a curator; `curated` names
the fields a curator set (an import never overwrites them: it reports a conflict); `retired_by`
tells a curator's retirement from the seeds file no longer listing the cluster.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("clusters") as batch:
        batch.add_column(sa.Column("origin", sa.String(16), nullable=False, server_default="seeds"))
        batch.add_column(sa.Column("curated", JSON_TYPE, nullable=True))
        batch.add_column(sa.Column("retired_by", sa.String(120), nullable=True))
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(120), nullable=False),
        sa.Column("entity", sa.String(16), nullable=False),
        sa.Column("entity_id", sa.Text(), nullable=False),
        sa.Column("cluster_id", sa.String(64), nullable=True),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("old", JSON_TYPE, nullable=True),
        sa.Column("new", JSON_TYPE, nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    op.create_index(op.f("ix_audit_events_at"), "audit_events", ["at"], unique=False)
    op.create_index(
        op.f("ix_audit_events_cluster_id"), "audit_events", ["cluster_id"], unique=False
    )
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("session_version", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("role", sa.String(16), nullable=False, server_default="curator"))


def downgrade() -> None:
    with op.batch_alter_table("clusters") as batch:
        batch.drop_column("retired_by")
        batch.drop_column("curated")
        batch.drop_column("origin")
    op.drop_index(op.f("ix_audit_events_cluster_id"), table_name="audit_events")
    op.drop_index(op.f("ix_audit_events_at"), table_name="audit_events")
    op.drop_table("audit_events")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("role")
        batch.drop_column("session_version")
