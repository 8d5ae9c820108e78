"""An index on page_confirmations.snapshot_id.

The curator's cluster page counts each page's 304 confirmations and shows the newest one (a
page unchanged for months is still visited every night); without the index that scanned every
confirmation of every site. It also serves the ON DELETE CASCADE from page_snapshots.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 22:15:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        op.f("ix_page_confirmations_snapshot_id"),
        "page_confirmations",
        ["snapshot_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_page_confirmations_snapshot_id"), table_name="page_confirmations")
