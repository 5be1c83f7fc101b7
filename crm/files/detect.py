"""What an uploaded file is, from its content (never its name alone), and whether the office accepts it.

Accepted: photos and pictures (JPEG, PNG, WebP, GIF: decoded by Pillow, with a cap on pixels against
decompression bombs), PDF, Word / Excel / PowerPoint documents (docx, xlsx, pptx: a zip whose bounded
`[Content_Types].xml` names the document's main part, with bounded entries against zip bombs) and plain text
(UTF-8, no HTML). The name's extension must agree with the content. Anything else is refused
(`crm.errors.FileRefused`, naming the file and the reason in the user's language); the checks read the spooled
file, never a whole file in memory beyond what Pillow needs to decode an image.
"""

import re
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

import filetype
from PIL import Image

from crm.errors import FileRefused

MAX_PIXELS = 50_000_000  # an image larger than this (about 8000 x 6000) is refused undecoded
ZIP_MAX_ENTRIES = 5_000
ZIP_MAX_TOTAL = 500 * 1024 * 1024  # unpacked bytes of an Office document
ZIP_MAX_RATIO = 200  # an entry packed more tightly than this is a bomb, not a document
CONTENT_TYPES_MAX = 1024 * 1024
TEXT_EXTENSIONS = ("txt", "csv", "md", "tsv")
IMAGE_TYPES = {"image/jpeg": ("jpg", "jpeg"), "image/png": ("png",), "image/webp": ("webp",), "image/gif": ("gif",)}
OFFICE_TYPES = {  # main part content type -> (mime, extension)
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml":
        ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml":
        ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml":
        ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
}
PIL_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!")
HTML_START = re.compile(rb"^\s*<(!doctype\s+html|html|head|body|script|svg|\?xml|iframe)", re.IGNORECASE)
HTML_ANYWHERE = re.compile(rb"<\s*(script|iframe|object|embed)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Detected:
    mime: str
    category: str  # image | pdf | office | text


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def detect(path: Path, name: str) -> Detected:
    """The type of the spooled file `path` uploaded as `name`; raises `FileRefused` for anything not accepted."""
    with open(path, "rb") as fh:
        head = fh.read(8192)
    if not head:
        raise FileRefused("empty", name)
    ext = extension(name)
    if head.startswith(EXECUTABLE_MAGIC):
        raise FileRefused("executable", name)
    kind = filetype.guess(head)
    mime = kind.mime if kind is not None else ""
    if mime in IMAGE_TYPES:
        found = Detected(_check_image(path, name, mime), "image")
        _agree(name, ext, IMAGE_TYPES[found.mime], found.mime)
        return found
    if head.startswith(b"%PDF-"):
        _check_pdf(path, name)
        _agree(name, ext, ("pdf",), "PDF")
        return Detected("application/pdf", "pdf")
    if head.startswith(b"PK\x03\x04"):
        office_mime, office_ext = _check_office(path, name)
        _agree(name, ext, (office_ext,), office_ext.upper())
        return Detected(office_mime, "office")
    if kind is not None:  # something filetype knows and we do not take: an archive, a video, an executable...
        if kind.mime in ("application/x-msdownload", "application/x-executable", "application/x-mach-binary"):
            raise FileRefused("executable", name)
        raise FileRefused("type_not_allowed", name, what=kind.mime)
    _check_text(path, name, head)
    _agree(name, ext, TEXT_EXTENSIONS, "text")
    return Detected("text/csv" if ext == "csv" else "text/plain", "text")


def _agree(name: str, ext: str, allowed: tuple[str, ...], actual: str) -> None:
    if ext not in allowed:
        raise FileRefused("mismatch", name, ext=ext or "-", actual=actual)


def _check_image(path: Path, name: str, mime: str) -> str:
    """Decode the whole image (Pillow verify, then load) within the pixel cap; its format as Pillow reads it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                if im.width * im.height > MAX_PIXELS:
                    raise FileRefused("image_too_big", name, pixels=f"{im.width} x {im.height}")
                im.verify()
            with Image.open(path) as im:
                im.load()
                found = PIL_FORMATS.get(im.format or "")
    except FileRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise FileRefused("image_too_big", name, pixels="?") from None
    except Exception:  # noqa: BLE001 - Pillow raises many kinds of errors for a broken image
        raise FileRefused("broken_image", name) from None
    if found is None or found != mime:
        raise FileRefused("broken_image", name)
    return found


def _check_pdf(path: Path, name: str) -> None:
    size = path.stat().st_size
    with open(path, "rb") as fh:
        fh.seek(max(0, size - 2048))
        tail = fh.read()
    if b"%%EOF" not in tail:
        raise FileRefused("broken", name, what="PDF")


def _check_office(path: Path, name: str) -> tuple[str, str]:
    """A docx / xlsx / pptx: its entries bounded (no zip bomb), its bounded content types naming the main part."""
    try:
        with zipfile.ZipFile(path) as zf:
            entries = zf.infolist()
            if len(entries) > ZIP_MAX_ENTRIES:
                raise FileRefused("zip_bomb", name)
            total = 0
            for entry in entries:
                total += entry.file_size
                if total > ZIP_MAX_TOTAL or entry.file_size > ZIP_MAX_RATIO * max(entry.compress_size, 1024):
                    raise FileRefused("zip_bomb", name)
            try:
                info = zf.getinfo("[Content_Types].xml")
            except KeyError:
                raise FileRefused("type_not_allowed", name, what="zip") from None
            if info.file_size > CONTENT_TYPES_MAX:
                raise FileRefused("zip_bomb", name)
            with zf.open(info) as fh:
                types = fh.read(CONTENT_TYPES_MAX + 1)
    except FileRefused:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
        raise FileRefused("broken", name, what="zip") from None
    if len(types) > CONTENT_TYPES_MAX:
        raise FileRefused("zip_bomb", name)
    if b"macroEnabled" in types:
        raise FileRefused("type_not_allowed", name, what="macro")
    for main, found in OFFICE_TYPES.items():
        if main in types:
            return found
    raise FileRefused("type_not_allowed", name, what="zip")


def _check_text(path: Path, name: str, head: bytes) -> None:
    """Plain UTF-8 text without NUL bytes, and not a web page (HTML runs scripts when opened)."""
    if HTML_START.match(head.removeprefix(b"\xef\xbb\xbf")):
        raise FileRefused("html", name)
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")()
    tail = b""
    with open(path, "rb") as fh:
        while chunk := fh.read(256 * 1024):
            if b"\x00" in chunk:
                raise FileRefused("type_not_allowed", name, what="binary")
            if HTML_ANYWHERE.search(tail + chunk):
                raise FileRefused("html", name)
            tail = chunk[-16:]
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                raise FileRefused("type_not_allowed", name, what="binary") from None
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise FileRefused("type_not_allowed", name, what="binary") from None
