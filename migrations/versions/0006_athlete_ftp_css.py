"""Athletes: optional FTP (watts) and CSS (seconds per 100 m) for bike and swim targets.

Revision ID: 0006_athlete_ftp_css
Revises: 0002_deliveries
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006_athlete_ftp_css'
down_revision: str | None = '0002_deliveries'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('athletes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ftp_w', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('css_s_per_100m', sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('athletes', schema=None) as batch_op:
        batch_op.drop_column('css_s_per_100m')
        batch_op.drop_column('ftp_w')
