"""Header and override columns as unbounded text; locks record their holding process.

On PostgreSQL a Last-Modified header over 100 characters raised StringDataRightTruncation and
the site was never written; a 121-character moved_to override was a traceback. Values that come
from servers or from curators are now TEXT (SQLite never enforced the widths, so only
PostgreSQL changes in practice). Locks gain host, pid and process_start, so a lock whose holder
died is free at once instead of after its lease expires (monitor.locks).

Batch mode (SQLite recreates the tables); db/migrations/env.py turns foreign keys off around it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column, the old bounded type): widened to TEXT on upgrade, narrowed back on downgrade.
WIDENED = (
    ("page_snapshots", "content_type", sa.String(200)),
    ("page_snapshots", "encoding", sa.String(40)),
    ("page_snapshots", "last_modified", sa.String(100)),
    ("overrides", "value", sa.String(120)),
)


def upgrade() -> None:
    for table, column, old in WIDENED:
        with op.batch_alter_table(table) as batch:
            batch.alter_column(column, existing_type=old, type_=sa.Text())
    with op.batch_alter_table("locks") as batch:
        batch.add_column(sa.Column("host", sa.String(255), nullable=True))
        batch.add_column(sa.Column("pid", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("process_start", sa.String(80), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("locks") as batch:
        batch.drop_column("process_start")
        batch.drop_column("pid")
        batch.drop_column("host")
    for table, column, old in WIDENED:
        # Longer values would not fit the old width: cut them, as the old code never did.
        length = old.length
        op.execute(
            sa.text(
                f"UPDATE {table} SET {column} = substr({column}, 1, {length}) "
                f"WHERE length({column}) > {length}"
            )
        )
        with op.batch_alter_table(table) as batch:
            batch.alter_column(column, existing_type=sa.Text(), type_=old)
