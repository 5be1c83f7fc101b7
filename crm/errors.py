"""Errors the domain raises: each carries a catalog key so the UI can say it in the user's language."""

from crm.i18n import t


class LiaisonError(Exception):
    """Base: `key` and `params` name a message in the catalog."""

    def __init__(self, key: str, **params) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self, lang: str = "en") -> str:
        return t(self.key, lang, **self.params)

    def __str__(self) -> str:
        return self.message("en")


class PermissionDenied(LiaisonError):
    """The acting user's role may not do this."""


class FileRefused(LiaisonError):
    """An upload not stored: `files.err.<reason>` with the file's `name` (and what else the reason says)."""

    def __init__(self, reason: str, name: str, **params) -> None:
        super().__init__(f"files.err.{reason}", name=name, **params)
        self.reason = reason


class NotFound(LiaisonError):
    """No such record."""


class ValidationFailed(LiaisonError):
    """Input refused; `errors` maps a field name to (catalog key, params). A bulk write sets `row_index` (which
    payload) and an import `line` (which line of the file) before passing it on."""

    line: int | None = None
    row_index: int = 0

    def __init__(self, errors: dict[str, tuple[str, dict]]) -> None:
        self.errors = errors
        first_field, (key, params) = next(iter(errors.items()))
        super().__init__("err.validation", detail="")
        self.first_field = first_field

    def field_messages(self, lang: str = "en") -> dict[str, str]:
        return {name: t(key, lang, **params) for name, (key, params) in self.errors.items()}

    def message(self, lang: str = "en") -> str:
        detail = "; ".join(f"{name}: {text}" for name, text in self.field_messages(lang).items())
        return t("err.validation", lang, detail=detail)


class StaleRecord(LiaisonError):
    """Someone else saved the record after the caller loaded it; `theirs` is the current state."""

    def __init__(self, user: str, at: str, version: int, theirs: dict | None) -> None:
        super().__init__("err.stale", user=user, at=at, version=version)
        self.theirs = theirs or {}
        self.version = version
