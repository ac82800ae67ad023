"""Workouts: average power (rides), for load from power against FTP.

Revision ID: 0005_workout_power
Revises: 0004_checkins
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005_workout_power'
down_revision: str | None = '0004_checkins'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('workouts') as batch:
        batch.add_column(sa.Column('avg_power_w', sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('workouts') as batch:
        batch.drop_column('avg_power_w')
