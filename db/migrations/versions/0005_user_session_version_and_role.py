"""users.session_version and users.role.

session_version: the session cookie is signed but kept by the browser, so a copy taken before
logout stayed valid until it expired. Each cookie now carries the version it was issued under;
logout and a password change bump the counter, so every earlier copy is refused at once.

role: viewer, curator or admin. Accounts made before roles existed could review and override, so
they become curators (not admins: nothing they did needed more).

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


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("session_version", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("role", sa.String(16), nullable=False, server_default="curator"))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("role")
        batch.drop_column("session_version")
