"""Small tables for st.dataframe as Arrow tables of text: no pandas round trip on every rerun."""

from collections.abc import Sequence

import pyarrow as pa


def text_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> pa.Table:
    """Columns `headers` (unique names; a repeated one keeps its last column, as a dict would) of text cells."""
    columns = {header: index for index, header in enumerate(headers)}
    return pa.table({header: pa.array([row[index] for row in rows], pa.string()) for header, index in columns.items()})


def columns_table(columns: dict[str, list]) -> pa.Table:
    """A table of named columns, each of one type (text, whole numbers with gaps…) as pyarrow infers it."""
    return pa.table({name: pa.array(values) for name, values in columns.items()})
