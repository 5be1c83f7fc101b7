"""tags, owners, list preferences and saved views for every record kind

Tags (bilingual labels, a colour) link to records of any kind by (kind, record id); a record has at most one
owner (a colleague); each user keeps the columns and page size of each list, and named views (filters and
sort) of their own or shared with the office.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 21:08:39.829307

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0011'
down_revision: Union[str, None] = '0010'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('tag',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('label_en', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('label_zh', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('colour', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('listpreference',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('columns', sa.JSON(), nullable=True),
    sa.Column('page_size', sa.Integer(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id', 'kind')
    )
    op.create_table('recordowner',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kind', 'record_id')
    )
    with op.batch_alter_table('recordowner', schema=None) as batch_op:
        batch_op.create_index('ix_recordowner_kind_user', ['kind', 'user_id'], unique=False)

    op.create_table('savedview',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('shared', sa.Boolean(), nullable=False),
    sa.Column('params', sa.JSON(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('savedview', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_savedview_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_savedview_user_id'), ['user_id'], unique=False)

    op.create_table('taglink',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tag_id'], ['tag.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kind', 'record_id', 'tag_id')
    )
    with op.batch_alter_table('taglink', schema=None) as batch_op:
        batch_op.create_index('ix_taglink_kind_tag', ['kind', 'tag_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_taglink_tag_id'), ['tag_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('taglink', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_taglink_tag_id'))
        batch_op.drop_index('ix_taglink_kind_tag')

    op.drop_table('taglink')
    with op.batch_alter_table('savedview', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_savedview_user_id'))
        batch_op.drop_index(batch_op.f('ix_savedview_kind'))

    op.drop_table('savedview')
    with op.batch_alter_table('recordowner', schema=None) as batch_op:
        batch_op.drop_index('ix_recordowner_kind_user')

    op.drop_table('recordowner')
    op.drop_table('listpreference')
    op.drop_table('tag')
