"""cluster_states.pending_changes: a site field weakens only after two ok runs saw it weaker.

One ok run that missed a page (a timeout on /en/, the EU news page over budget) turned an
English site into "none", eu_recent into asia_america_only or the main language around, and
raised english_site_gone or internationalisation_changed, then the opposite flag the next
night. The column holds, per field, the ok runs in a row that saw a weaker value; NULL is
nothing pending.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 21:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("cluster_states") as batch:
        batch.add_column(sa.Column("pending_changes", JSON_TYPE, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cluster_states") as batch:
        batch.drop_column("pending_changes")
