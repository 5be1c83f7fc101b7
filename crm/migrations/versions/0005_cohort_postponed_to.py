"""a postponed cohort's new date, known to the day, the month or only the year

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 06:30:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0005'
down_revision: Union[str, None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('cohort', schema=None) as batch_op:
        batch_op.add_column(sa.Column('postponed_to', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('postponed_to_precision', sqlmodel.sql.sqltypes.AutoString(),
                                      nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('cohort', schema=None) as batch_op:
        batch_op.drop_column('postponed_to_precision')
        batch_op.drop_column('postponed_to')
