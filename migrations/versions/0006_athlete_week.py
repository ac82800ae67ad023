"""Athlete week: the long-run day, the number of training days a week, the season's start.

Revision ID: 0006_athlete_week
Revises: 0005_workout_power
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006_athlete_week'
down_revision: str | None = '0005_workout_power'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('athletes') as batch_op:
        batch_op.add_column(sa.Column('long_run_day', sa.String(length=3), nullable=True))
        batch_op.add_column(sa.Column('days_per_week', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('season_start', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('athletes') as batch_op:
        batch_op.drop_column('season_start')
        batch_op.drop_column('days_per_week')
        batch_op.drop_column('long_run_day')
