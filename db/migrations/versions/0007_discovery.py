"""candidates, candidate_sightings and hubs: discovery of cluster organisations not yet listed.

candidates: one row per host that crawled pages link to and the registry does not hold, with its
score, guessed fields and evidence, and the curator's decision (open, accepted, rejected).
candidate_sightings: the pages that named it (who, where, anchor text, the sentence around it),
first and last night seen; a rejected candidate reopens only on a sighting from a new page.
hubs: pages curators registered as lists of cluster organisations.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "candidates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("name", sa.String(300), nullable=True),
        sa.Column("name_ja", sa.String(300), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("sector", sa.String(40), nullable=True),
        sa.Column("prefecture", sa.String(80), nullable=True),
        sa.Column("english_site", sa.String(16), nullable=True),
        sa.Column("languages", JSON_TYPE, nullable=True),
        sa.Column("evidence", JSON_TYPE, nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("cluster_id", sa.String(64), nullable=True),
        sa.Column("first_seen", sa.DateTime(), nullable=False),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
        sa.Column("judged_at", sa.DateTime(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by", sa.String(120), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidates")),
        sa.UniqueConstraint("host", name=op.f("uq_candidates_host")),
    )
    op.create_index(op.f("ix_candidates_state"), "candidates", ["state"], unique=False)
    op.create_table(
        "candidate_sightings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("cluster_id", sa.String(64), nullable=True),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("link", sa.Text(), nullable=False),
        sa.Column("anchor", sa.Text(), nullable=False),
        sa.Column("snippet", sa.Text(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("first_seen", sa.DateTime(), nullable=False),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidates.id"],
            name=op.f("fk_candidate_sightings_candidate_id_candidates"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidate_sightings")),
        sa.UniqueConstraint(
            "candidate_id", "url", name=op.f("uq_candidate_sightings_candidate_id")
        ),
    )
    op.create_index(
        op.f("ix_candidate_sightings_candidate_id"),
        "candidate_sightings",
        ["candidate_id"],
        unique=False,
    )
    op.create_table(
        "hubs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("added_by", sa.String(120), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hubs")),
        sa.UniqueConstraint("url", name=op.f("uq_hubs_url")),
    )


def downgrade() -> None:
    op.drop_table("hubs")
    op.drop_index(op.f("ix_candidate_sightings_candidate_id"), table_name="candidate_sightings")
    op.drop_table("candidate_sightings")
    op.drop_index(op.f("ix_candidates_state"), table_name="candidates")
    op.drop_table("candidates")
