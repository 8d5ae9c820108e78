"""A 304 Not Modified becomes a narrow page_confirmations row instead of a full snapshot row.

A full snapshot row per unchanged page grew the database by ~11% a night on an unchanged web
(target: 5%); a confirmation (run, confirmed snapshot, time) is ~1%. Existing 304 snapshot rows
are turned into confirmations of the snapshot they confirmed, and back on downgrade.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 11:02:31
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The latest full snapshot of the same page before a 304 row: the one it confirmed.
CONFIRMED = """
    (SELECT max(p.id) FROM page_snapshots p
     WHERE p.cluster_id = s.cluster_id AND p.url = s.url AND p.not_modified = :no AND p.id < s.id)
"""


def upgrade() -> None:
    op.create_table(
        "page_confirmations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["crawl_runs.id"],
            name=op.f("fk_page_confirmations_run_id_crawl_runs"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["snapshot_id"], ["page_snapshots.id"],
            name=op.f("fk_page_confirmations_snapshot_id_page_snapshots"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_page_confirmations")),
    )  # fmt: skip
    op.create_index(
        op.f("ix_page_confirmations_run_id"), "page_confirmations", ["run_id"], unique=False
    )
    op.execute(
        sa.text(
            "INSERT INTO page_confirmations (run_id, snapshot_id, fetched_at) "
            f"SELECT s.run_id, {CONFIRMED}, s.fetched_at FROM page_snapshots s "
            f"WHERE s.not_modified = :yes AND {CONFIRMED} IS NOT NULL"
        ).bindparams(yes=True, no=False)
    )
    op.execute(
        sa.text(
            "DELETE FROM page_snapshots WHERE id IN (SELECT s.id FROM page_snapshots s "
            f"WHERE s.not_modified = :yes AND {CONFIRMED} IS NOT NULL)"
        ).bindparams(yes=True, no=False)
    )
    with op.batch_alter_table("page_snapshots", schema=None) as batch_op:
        batch_op.drop_column("not_modified")


def downgrade() -> None:
    with op.batch_alter_table("page_snapshots", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("not_modified", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.execute(
        sa.text(
            "INSERT INTO page_snapshots (run_id, cluster_id, url, final_url, status, fetched_at, "
            "depth, content_type, encoding, etag, last_modified, not_modified, content_hash, "
            "text_hash, size) "
            "SELECT c.run_id, s.cluster_id, s.url, s.final_url, 304, c.fetched_at, s.depth, "
            "s.content_type, s.encoding, s.etag, s.last_modified, :yes, s.content_hash, "
            "s.text_hash, 0 FROM page_confirmations c JOIN page_snapshots s ON s.id = c.snapshot_id"
        ).bindparams(yes=True)
    )
    op.drop_index(op.f("ix_page_confirmations_run_id"), table_name="page_confirmations")
    op.drop_table("page_confirmations")
