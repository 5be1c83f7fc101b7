"""a postponed plan's new date, known to the day, the month or only the year

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 15:20:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0003'
down_revision: Union[str, None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

EVENT_TABLES = ('delegation', 'visit', 'conference', 'forum', 'exchangeprogramme', 'committeemeeting',
                'outreachletter')


def upgrade() -> None:
    for table in EVENT_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('postponed_to', sa.Date(), nullable=True))
            batch_op.add_column(sa.Column('postponed_to_precision', sqlmodel.sql.sqltypes.AutoString(),
                                          nullable=False, server_default=''))
    with op.batch_alter_table('statuschange', schema=None) as batch_op:
        batch_op.add_column(sa.Column('new_precision', sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                                      server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('statuschange', schema=None) as batch_op:
        batch_op.drop_column('new_precision')
    for table in EVENT_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('postponed_to_precision')
            batch_op.drop_column('postponed_to')
