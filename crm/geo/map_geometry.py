"""Geometry for the maps: great-circle arcs that never wrap the map's edge, and label placement."""

import math

ROTATION = 150.0  # Pacific-centred: the map's edge is the mid-Atlantic, so no arc from Taipei crosses it


def edge_crossed(lons: list[float], rotation: float = ROTATION) -> bool:
    """Whether a line through these longitudes jumps across the edge of a map centred on `rotation`."""
    shifted = [((lon - rotation + 180) % 360) - 180 for lon in lons]
    return any(abs(a - b) > 180 for a, b in zip(shifted, shifted[1:], strict=False))


def _vec(lat: float, lon: float) -> tuple[float, float, float]:
    la, lo = math.radians(lat), math.radians(lon)
    return math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la)


def arc_path(a: tuple[float, float], b: tuple[float, float], *, steps: int = 32,
             rotation: float = ROTATION) -> tuple[list[float], list[float]]:
    """Latitudes and longitudes of the great-circle arc from a to b ((lat, lon) pairs).

    When the short arc would cross the map's edge (the meridian opposite `rotation`), the arc goes the
    other way round the same great circle, so no line wraps from one side of the map to the other.
    """
    va, vb = _vec(*a), _vec(*b)
    dot = max(-1.0, min(1.0, sum(x * y for x, y in zip(va, vb, strict=True))))
    angle = math.acos(dot)
    if angle < 1e-9:
        return [a[0], b[0]], [a[1], b[1]]
    ortho = [y - dot * x for x, y in zip(va, vb, strict=True)]
    norm = math.sqrt(sum(c * c for c in ortho)) or 1.0
    ortho = [c / norm for c in ortho]

    def walk(total: float) -> tuple[list[float], list[float]]:
        lats, lons = [], []
        for i in range(steps + 1):
            theta = total * i / steps
            x, y, z = (math.cos(theta) * p + math.sin(theta) * q for p, q in zip(va, ortho, strict=True))
            lats.append(math.degrees(math.asin(max(-1.0, min(1.0, z)))))
            lons.append(math.degrees(math.atan2(y, x)))
        return lats, lons

    lats, lons = walk(angle)
    if edge_crossed(lons, rotation):
        other_lats, other_lons = walk(angle - 2 * math.pi)
        if not edge_crossed(other_lons, rotation):
            return other_lats, other_lons
    return lats, lons


POSITIONS = ("top center", "bottom center", "middle right", "middle left", "top right", "bottom left",
             "top left", "bottom right")
PX_PER_DEGREE = 2.5  # a world map about 900 px wide
ITINERARY_PX_PER_DEGREE = 1.75  # the 420 px high itinerary map at scale 1


def _x(lon: float) -> float:
    return ((lon - ROTATION + 180) % 360) - 180


def label_box(lat: float, lon: float, text: str, position: str, radius: float,
               ppd: float = PX_PER_DEGREE) -> tuple[float, float, float, float]:
    """Rough box (x0, y0, x1, y1) in degrees that an 11 px label takes beside a marker of `radius` degrees,
    on a map drawn at `ppd` pixels per degree."""
    width = sum(11.5 if ord(ch) > 0x2E80 else 6.2 for ch in text) / ppd
    height = 11.5 / ppd
    gap = radius + 1.0 / ppd
    vertical, horizontal = position.split()
    x = _x(lon)
    x0 = {"center": x - width / 2, "right": x + gap, "left": x - gap - width}[horizontal]
    y0 = {"top": lat + gap, "middle": lat - height / 2, "bottom": lat - gap - height}[vertical]
    return x0, y0, x0 + width, y0 + height


def marker_box(lat: float, lon: float, radius: float) -> tuple[float, float, float, float]:
    return _x(lon) - radius, lat - radius, _x(lon) + radius, lat + radius


def _overlap_area(box, boxes) -> float:
    """Total area of `box` covered by `boxes` (0 when it is free)."""
    return sum(max(0.0, min(box[2], b[2]) - max(box[0], b[0])) * max(0.0, min(box[3], b[3]) - max(box[1], b[1]))
               for b in boxes)


def overlaps(box, boxes) -> bool:
    return any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in boxes)


def place_labels(points: list[tuple[float, float, str, float]], taken: list | None = None,
                 ppd: float = PX_PER_DEGREE) -> list[str]:
    """A text position per label (greedy, in the given order) so that labels do not cover other labels or
    markers; points are (lat, lon, text, marker radius in degrees)."""
    boxes = list(taken or [])
    chosen = []
    for lat, lon, text, radius in points:
        best = min(POSITIONS, key=lambda p: _overlap_area(label_box(lat, lon, text, p, radius, ppd), boxes))
        boxes.append(label_box(lat, lon, text, best, radius, ppd))
        chosen.append(best)
    return chosen
