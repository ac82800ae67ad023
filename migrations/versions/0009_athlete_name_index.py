"""An index on the athletes' lowered names.

Athletes are looked up by name ignoring letter case, and every new athlete's name is checked
that way: without this index each check read the whole table, so building a club of
thousands grew with the square of its size.

Revision ID: 0009_athlete_name_index
Revises: 0008_athlete_multisport
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009_athlete_name_index'
down_revision: str | None = '0008_athlete_multisport'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_athletes_lower_name', 'athletes', [sa.text('lower(name)')])


def downgrade() -> None:
    op.drop_index('ix_athletes_lower_name', table_name='athletes')
