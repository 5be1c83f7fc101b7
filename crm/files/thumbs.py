"""Small pictures of files: photos re-encoded by Pillow (turned as the camera meant, without EXIF: no GPS location,
no camera details), and a PDF's first page drawn by `pdftoppm` (poppler-utils). Made once per content.

A PDF preview needs `pdftoppm` on the server; without it (or for a PDF it cannot draw) a PDF simply has no preview.
"""

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from PIL import Image, ImageOps

SIZE = 960  # the longest side of a thumbnail, in pixels (the gallery shows it smaller, the preview as it is)
PDF_TIMEOUT = 30  # seconds pdftoppm may take for one first page


def _encode(im: Image.Image) -> tuple[bytes, int, int]:
    """A JPEG of `im` shrunk to `SIZE`: alpha flattened on white; no metadata is written (Pillow writes none
    unless asked)."""
    im = ImageOps.exif_transpose(im)
    if im.mode in ("RGBA", "LA", "P"):
        im = im.convert("RGBA")
        flat = Image.new("RGB", im.size, "white")
        flat.paste(im, mask=im.getchannel("A"))
        im = flat
    elif im.mode != "RGB":
        im = im.convert("RGB")
    im.thumbnail((SIZE, SIZE))
    out = io.BytesIO()
    im.save(out, "JPEG", quality=82, optimize=True)
    return out.getvalue(), im.width, im.height


def image_thumb(path: Path) -> tuple[bytes, int, int]:
    """The thumbnail of an image already checked by crm.files.detect (first frame of an animation)."""
    with Image.open(path) as im:
        im.seek(0)
        return _encode(im)


def pdf_thumb(path: Path) -> tuple[bytes, int, int] | None:
    """A picture of the PDF's first page, or None when pdftoppm is missing or cannot draw it."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        return None
    with tempfile.TemporaryDirectory(prefix="liaison-pdf-") as tmp:
        out = Path(tmp) / "page"
        try:
            subprocess.run([tool, "-f", "1", "-l", "1", "-png", "-singlefile", "-scale-to", str(SIZE), str(path),
                            str(out)], check=True, capture_output=True, timeout=PDF_TIMEOUT)
            with Image.open(out.with_suffix(".png")) as im:
                return _encode(im)
        except (subprocess.SubprocessError, OSError):
            return None


def thumbnail(path: Path, category: str) -> tuple[bytes, int, int] | None:
    """The thumbnail of a spooled upload of this category (image or pdf), else None."""
    if category == "image":
        return image_thumb(path)
    if category == "pdf":
        return pdf_thumb(path)
    return None
