"""Why a file is not imported: each refusal names a catalog message (which limit, which sheet, row, cell)."""

from crm.errors import LiaisonError


class UnreadableFile(LiaisonError):
    """The upload is not a CSV or Excel file we can read (the message names the problem and where)."""


class TooLarge(UnreadableFile):
    """The file is past one of the limits of crm.imports.limits (the message names it and the file's figure)."""

    def __init__(self, key: str, **params) -> None:
        super().__init__(key, **{k: f"{v:,}" if type(v) is int and v >= 10_000 else v for k, v in params.items()})
