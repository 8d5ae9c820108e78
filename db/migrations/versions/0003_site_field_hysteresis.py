"""cluster_states.pending_changes and home_title: site fields weaken only after two ok runs.

One ok run that missed a page (a timeout on /en/, the EU news page over budget) turned an
English site into "none", eu_recent into asia_america_only or the main language around, and
raised english_site_gone or internationalisation_changed, then the opposite flag the next
night. pending_changes holds, per field, the ok runs in a row that saw a weaker value (NULL:
nothing pending); home_title, who the home page says the site is, lets the monitor notice a
domain now serving someone else (content_replaced).

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
        batch.add_column(sa.Column("home_title", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cluster_states") as batch:
        batch.drop_column("home_title")
        batch.drop_column("pending_changes")
