"""A CJK font for PDFs: the one named in settings, else the first found in known places.

The known places end with `fonts/` beside the app, where scripts/install-offline puts the fonts it bundles
(the Noto CJK collection and DejaVu Sans) on a machine that has none.

Looked up once per process. Noto Sans CJK collections hold several faces: index 3 is
Traditional Chinese (TC). Raises `NoCjkFont` (a translated message) when none exists.
"""

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from crm import config
from crm.errors import LiaisonError

# (path, collection index of the Traditional Chinese face; 0 for a single font)
KNOWN_FONTS: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 3),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 3),
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", 3),
    ("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc", 3),
    ("/usr/share/fonts/opentype/noto/NotoSansCJKtc-Regular.otf", 0),
    ("/usr/share/fonts/truetype/noto/NotoSansTC-Regular.ttf", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    ("/System/Library/Fonts/PingFang.ttc", 2),
    ("C:/Windows/Fonts/msjh.ttc", 0),
    ("C:/Windows/Fonts/msjh.ttf", 0),
    ("C:/Windows/Fonts/mingliu.ttc", 0),
    ("C:/Windows/Fonts/kaiu.ttf", 0),
    (str(config.BUNDLED_FONTS / "NotoSansCJK-Regular.ttc"), 3),
)
WINDOWS_DIRS = ("WINDIR", "SystemRoot")
# Latin fallback for letters a CJK face lacks (ř, ő, ł...): used when found, never required
LATIN_FALLBACKS = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                   "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
                   "C:/Windows/Fonts/arial.ttf", "/System/Library/Fonts/Supplemental/Arial.ttf",
                   str(config.BUNDLED_FONTS / "DejaVuSans.ttf"))


class NoCjkFont(LiaisonError):
    """No usable Chinese font: the PDF is not made."""


@dataclass(frozen=True)
class CjkFont:
    path: str
    index: int


def _windows_candidates() -> list[tuple[str, int]]:
    out = []
    for var in WINDOWS_DIRS:
        root = os.environ.get(var)
        if root:
            out += [(str(Path(root) / "Fonts" / name), 0) for name in ("msjh.ttc", "msjh.ttf", "mingliu.ttc")]
    return out


def _index_for(path: str) -> int:
    """The TC face of a known collection named in settings, else 0 (settings may say `path#index`)."""
    name = Path(path).name.lower()
    if name.startswith(("notosanscjk", "notoserifcjk")) and name.endswith(".ttc"):
        return 3
    return 0


@lru_cache(maxsize=1)
def find_cjk_font() -> CjkFont:
    """The font to embed in PDFs; `NoCjkFont` when none is readable."""
    named = config.cjk_font_path()
    if named:
        path, _, index = named.partition("#")
        if not Path(path).is_file():
            raise NoCjkFont("doc.bad_font", path=path, reason="file not found")
        return CjkFont(path, int(index) if index.isdigit() else _index_for(path))
    for candidate, face in (*KNOWN_FONTS, *_windows_candidates()):
        if Path(candidate).is_file():
            return CjkFont(candidate, face)
    raise NoCjkFont("doc.no_cjk_font")


def reset() -> None:
    """Forget the cached choice (tests, or after the setting changed)."""
    find_cjk_font.cache_clear()


@lru_cache(maxsize=4)
def _parsed(path: str, index: int):
    """The font parsed by fpdf2 once per process (metrics, character map, widths)."""
    from fpdf import FPDF

    try:
        pdf = FPDF()
        pdf.add_font("cjk", "", path, collection_font_number=index)
    except Exception as exc:  # any unreadable font becomes one clear message
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise NoCjkFont("doc.bad_font", path=path, reason=reason) from exc
    return pdf.fonts["cjk"]


@lru_cache(maxsize=1)
def latin_fallback() -> str | None:
    return next((p for p in LATIN_FALLBACKS if Path(p).is_file()), None)


def _attach(pdf, family: str, path: str, index: int) -> None:
    import copy

    from fontTools import ttLib
    from fpdf.fonts import SubsetMap

    proto = _parsed(path, index)
    mine = copy.copy(proto)
    mine.ttfont = ttLib.TTFont(path, recalcTimestamp=False, fontNumber=index, lazy=True)
    mine.i = len(pdf.fonts) + 1
    mine.fontkey = family
    mine.cw = copy.copy(proto.cw)
    mine.missing_glyphs = []
    mine.biggest_size_pt = 0
    mine._hbfont = None
    mine.subset = SubsetMap(mine)
    pdf.fonts[family] = mine
    if mine.is_cff and mine.is_cid_keyed:
        pdf._set_min_pdf_version("1.6")


def add_cjk_font(pdf, family: str = "cjk") -> None:
    """Give `pdf` the CJK font as `family`, re-using the parse done once per process.

    fpdf2 subsets the font's fontTools object in place when it writes a PDF, so each document
    gets its own lazily opened fontTools handle (cheap); the parsed metrics are shared.
    """
    font = find_cjk_font()
    _attach(pdf, family, font.path, font.index)
    fallback = latin_fallback()
    if fallback:
        try:
            _attach(pdf, family + "latin", fallback, 0)
        except NoCjkFont:  # an unreadable fallback only costs a few accented letters
            return
        pdf.set_fallback_fonts([family + "latin"], exact_match=False)
