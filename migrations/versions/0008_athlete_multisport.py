"""Athlete multisport days: the triathlete's swim days, bike days and long-ride day.

Each is NULL when the athlete has not set it (the rule set's default triathlon week applies);
the day lists are comma-separated weekday abbreviations, e.g. "mon,wed,fri".

Revision ID: 0008_athlete_multisport
Revises: 0007_delivery_claims
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008_athlete_multisport'
down_revision: str | None = '0007_delivery_claims'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('athletes') as batch_op:
        batch_op.add_column(sa.Column('swim_days', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('bike_days', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('long_ride_day', sa.String(length=3), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('athletes') as batch_op:
        batch_op.drop_column('long_ride_day')
        batch_op.drop_column('bike_days')
        batch_op.drop_column('swim_days')
