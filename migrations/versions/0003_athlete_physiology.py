"""Athlete physiology: optional sex, HRmax, resting HR, threshold HR, FTP, CSS and threshold pace.

Revision ID: 0003_athlete_physiology
Revises: 0002_deliveries
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003_athlete_physiology'
down_revision: str | None = '0002_deliveries'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = (
    ('sex', sa.String(length=6)),
    ('hr_max', sa.Integer()),
    ('hr_rest', sa.Integer()),
    ('threshold_hr', sa.Integer()),
    ('ftp_w', sa.Float()),
    ('css_s_per_100m', sa.Float()),
    ('threshold_pace_s_per_km', sa.Float()),
)


def upgrade() -> None:
    with op.batch_alter_table('athletes') as batch:
        for name, type_ in _COLUMNS:
            batch.add_column(sa.Column(name, type_, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('athletes') as batch:
        for name, _ in reversed(_COLUMNS):
            batch.drop_column(name)
