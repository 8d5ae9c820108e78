"""cluster_states.english_site_lower_runs: an English site is downgraded only after two runs.

One ok run that missed the English pages (a timeout on /en/, a page over budget) turned an
active or static English site into "none" and raised english_site_gone, then
english_site_appeared the next night. The column counts the ok runs in a row that saw a lower
grade; existing rows start at 0 (nothing pending).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 21:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cluster_states") as batch:
        batch.add_column(
            sa.Column("english_site_lower_runs", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("cluster_states") as batch:
        batch.drop_column("english_site_lower_runs")
