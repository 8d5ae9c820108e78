"""Initial schema: every table listed in db/models.py's docstring.

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-25 09:18:34.258550
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Timestamps are naive UTC (db.models.UTCDateTime); JSON is JSONB on PostgreSQL.
JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:

    op.create_table(
        "bodies",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("body_zstd", sa.LargeBinary(), nullable=False),
        sa.Column("text_zstd", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_bodies")),
    )
    op.create_table(
        "clusters",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("name_ja", sa.String(length=300), nullable=True),
        sa.Column("sector", sa.String(length=40), nullable=False),
        sa.Column("prefecture", sa.String(length=80), nullable=True),
        sa.Column("urls", JSON_TYPE, nullable=False),
        sa.Column("baseline_2016", JSON_TYPE, nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("first_seen", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("retired_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clusters")),
    )
    op.create_table(
        "crawl_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("degraded", sa.Boolean(), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=True),
        sa.Column("host", sa.String(length=255), nullable=True),
        sa.Column("seeds_path", sa.Text(), nullable=True),
        sa.Column("only_ids", JSON_TYPE, nullable=True),
        sa.Column("sites_total", sa.Integer(), nullable=False),
        sa.Column("sites_ok", sa.Integer(), nullable=False),
        sa.Column("sites_failed", sa.Integer(), nullable=False),
        sa.Column("sites_moved", sa.Integer(), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("bytes", sa.BigInteger(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crawl_runs")),
    )
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_crawl_runs_started_at"), ["started_at"], unique=False)

    op.create_table(
        "digest_outbox",
        sa.Column("week", sa.String(length=8), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("message", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("week", name=op.f("pk_digest_outbox")),
    )
    op.create_table(
        "job_slots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job", sa.String(length=64), nullable=False),
        sa.Column("slot", sa.String(length=64), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_slots")),
        sa.UniqueConstraint("job", "slot", name=op.f("uq_job_slots_job")),
    )
    op.create_table(
        "locks",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("holder", sa.String(length=255), nullable=False),
        sa.Column("acquired_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_locks")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("name", name=op.f("uq_users_name")),
    )
    op.create_table(
        "cluster_states",
        sa.Column("cluster_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("status_reason", sa.Text(), nullable=True),
        sa.Column("status_since", sa.DateTime(), nullable=True),
        sa.Column("moved_to", sa.Text(), nullable=True),
        sa.Column("failing_streak", sa.Integer(), nullable=False),
        sa.Column("parked_streak", sa.Integer(), nullable=False),
        sa.Column("last_update", sa.Date(), nullable=True),
        sa.Column("last_update_evidence", JSON_TYPE, nullable=True),
        sa.Column("main_language", sa.String(length=8), nullable=True),
        sa.Column("english_site", sa.String(length=16), nullable=True),
        sa.Column("internationalisation", sa.String(length=24), nullable=True),
        sa.Column("eu_signals", JSON_TYPE, nullable=True),
        sa.Column("last_crawl", sa.DateTime(), nullable=True),
        sa.Column("last_run_id", sa.Integer(), nullable=True),
        sa.Column("evaluated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cluster_id"], ["clusters.id"], name=op.f("fk_cluster_states_cluster_id_clusters")
        ),
        sa.PrimaryKeyConstraint("cluster_id", name=op.f("pk_cluster_states")),
    )
    op.create_table(
        "flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cluster_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("evidence", JSON_TYPE, nullable=False),
        sa.Column("evidence_key", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("reviewer", sa.String(length=120), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["cluster_id"], ["clusters.id"], name=op.f("fk_flags_cluster_id_clusters")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["crawl_runs.id"],
            name=op.f("fk_flags_run_id_crawl_runs"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_flags")),
    )
    with op.batch_alter_table("flags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_flags_cluster_id"), ["cluster_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_flags_evidence_key"), ["evidence_key"], unique=False)
        batch_op.create_index("ix_flags_state_created", ["state", "created_at"], unique=False)

    op.create_table(
        "notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cluster_id", sa.String(length=64), nullable=False),
        sa.Column("author", sa.String(length=120), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cluster_id"], ["clusters.id"], name=op.f("fk_notes_cluster_id_clusters")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notes")),
    )
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notes_cluster_id"), ["cluster_id"], unique=False)

    op.create_table(
        "overrides",
        sa.Column("cluster_id", sa.String(length=64), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=120), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=120), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cluster_id"], ["clusters.id"], name=op.f("fk_overrides_cluster_id_clusters")
        ),
        sa.PrimaryKeyConstraint("cluster_id", "field", name=op.f("pk_overrides")),
    )
    op.create_table(
        "page_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("cluster_id", sa.String(length=64), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("final_url", sa.Text(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(), nullable=False),
        sa.Column("depth", sa.Integer(), nullable=False),
        sa.Column("redirects", JSON_TYPE, nullable=True),
        sa.Column("content_type", sa.String(length=200), nullable=True),
        sa.Column("encoding", sa.String(length=40), nullable=True),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.String(length=100), nullable=True),
        sa.Column("not_modified", sa.Boolean(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=True),
        sa.Column("text_hash", sa.String(length=64), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("analysis", JSON_TYPE, nullable=True),
        sa.ForeignKeyConstraint(
            ["cluster_id"], ["clusters.id"], name=op.f("fk_page_snapshots_cluster_id_clusters")
        ),
        sa.ForeignKeyConstraint(
            ["content_hash"], ["bodies.sha256"], name=op.f("fk_page_snapshots_content_hash_bodies")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["crawl_runs.id"],
            name=op.f("fk_page_snapshots_run_id_crawl_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_page_snapshots")),
    )
    with op.batch_alter_table("page_snapshots", schema=None) as batch_op:
        batch_op.create_index(
            "ix_page_snapshots_cluster_url", ["cluster_id", "url", "id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_page_snapshots_run_id"), ["run_id"], unique=False)

    op.create_table(
        "site_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("cluster_id", sa.String(length=64), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("requested_url", sa.Text(), nullable=False),
        sa.Column("final_url", sa.Text(), nullable=True),
        sa.Column("moved_to", sa.Text(), nullable=True),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("not_modified", sa.Integer(), nullable=False),
        sa.Column("bytes", sa.BigInteger(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("analysis", JSON_TYPE, nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cluster_id"], ["clusters.id"], name=op.f("fk_site_results_cluster_id_clusters")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["crawl_runs.id"],
            name=op.f("fk_site_results_run_id_crawl_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_results")),
        sa.UniqueConstraint("run_id", "cluster_id", name=op.f("uq_site_results_run_id")),
    )
    with op.batch_alter_table("site_results", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_site_results_cluster_id"), ["cluster_id"], unique=False
        )

    op.create_table(
        "status_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cluster_id", sa.String(length=64), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("failing_streak", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cluster_id"], ["clusters.id"], name=op.f("fk_status_history_cluster_id_clusters")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["crawl_runs.id"],
            name=op.f("fk_status_history_run_id_crawl_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_history")),
        sa.UniqueConstraint("cluster_id", "run_id", name=op.f("uq_status_history_cluster_id")),
    )
    with op.batch_alter_table("status_history", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_status_history_run_id"), ["run_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("status_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_status_history_run_id"))

    op.drop_table("status_history")
    with op.batch_alter_table("site_results", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_site_results_cluster_id"))

    op.drop_table("site_results")
    with op.batch_alter_table("page_snapshots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_page_snapshots_run_id"))
        batch_op.drop_index("ix_page_snapshots_cluster_url")

    op.drop_table("page_snapshots")
    op.drop_table("overrides")
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notes_cluster_id"))

    op.drop_table("notes")
    with op.batch_alter_table("flags", schema=None) as batch_op:
        batch_op.drop_index("ix_flags_state_created")
        batch_op.drop_index(batch_op.f("ix_flags_evidence_key"))
        batch_op.drop_index(batch_op.f("ix_flags_cluster_id"))

    op.drop_table("flags")
    op.drop_table("cluster_states")
    op.drop_table("users")
    op.drop_table("locks")
    op.drop_table("job_slots")
    op.drop_table("digest_outbox")
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_crawl_runs_started_at"))

    op.drop_table("crawl_runs")
    op.drop_table("clusters")
    op.drop_table("bodies")
