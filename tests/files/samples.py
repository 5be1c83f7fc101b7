"""Small files made on the spot for the upload tests: photos (one with a GPS location), a PDF, Office documents,
and the files an upload must refuse."""

import io
import zipfile

from PIL import Image

CONTENT_TYPES = (b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                 b'wordprocessingml.document.main+xml"/></Types>')


def jpeg(color=(200, 30, 30), size=(640, 480), gps: bool = False, orientation: int = 1) -> bytes:
    im = Image.new("RGB", size, color)
    exif = Image.Exif()
    exif[0x0110] = "Liaison test camera"  # Model
    exif[0x0112] = orientation
    if gps:
        exif[0x8825] = {1: "N", 2: (25.0, 2.0, 0.0), 3: "E", 4: (121.0, 33.0, 0.0)}  # Taipei City Hall
    out = io.BytesIO()
    im.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


def png(color=(30, 120, 200, 255), size=(300, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, color).save(out, "PNG")
    return out.getvalue()


def pdf(text: str = "Memorandum of understanding") -> bytes:
    from fpdf import FPDF

    doc = FPDF()
    doc.add_page()
    doc.set_font("helvetica", size=24)
    doc.cell(text=text)
    return bytes(doc.output())


def docx() -> bytes:
    from docx import Document

    out = io.BytesIO()
    doc = Document()
    doc.add_paragraph("Programme of the visit")
    doc.save(out)
    return out.getvalue()


def exe() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200 + b"This program cannot be run in DOS mode"


def broken_jpeg() -> bytes:
    return jpeg()[:600]  # a JPEG cut short: the header is right, the picture does not decode


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("word/document.xml", b"\x00" * (60 * 1024 * 1024))
    return out.getvalue()


def html() -> bytes:
    return b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
