"""Image preparation before OCR: red seals out, uneven light flattened, skew removed, EXIF upright.

Government scans carry red official seals (公章) stamped over the signature block
and often over the last table; phone photos are tilted, lit unevenly and stored
sideways with an EXIF orientation tag.  Each step here is a small numpy function
on a greyscale or RGB array so the PDF path (``ocr.render``) and the image path
(JPEG/PNG/TIFF) prepare rasters the same way:

* :func:`suppress_red` — pixels that are clearly red (red channel well above both
  green and blue) become their red-channel value, which is near white for seal ink
  on paper and stays dark where black text is printed over the seal, so text under
  a seal is still read while the seal's ring, star and lettering vanish;
* :func:`find_page` / :func:`unwarp_page` — a photo shows the sheet on a darker desk: the
  sheet's four corners (the bright region's extreme points) are mapped back to a
  rectangle (a light perspective correction that also takes out most of the tilt),
  and whatever lies outside the sheet becomes paper;
* :func:`flatten_background` — divides by the paper's own brightness (block maxima)
  when it varies across the page (a photo's shadow), else leaves the page alone;
* :func:`estimate_skew` / :func:`deskew` — the angle at which the ink's row profile
  is sharpest (text lines and rulings are horizontal), searched over ±MAX_SKEW_DEG;
* :func:`exif_upright` — a Pillow image turned by its EXIF orientation.
"""
from __future__ import annotations

import numpy as np

#: red channel this far above both green and blue: seal ink, not black or grey text
RED_MARGIN = 60
#: a seal's edge (blur, JPEG colour blocks) is red too faint for RED_MARGIN this many pixels out from its ink
SEAL_EDGE_PX = 2
#: paper brightness varying by more than this (grey levels) across the page calls for flattening
UNEVEN_LIGHT = 40
#: flattening block (pixels): larger than a character, so a block's maximum is paper
BLOCK_PX = 64
#: skew searched within ±MAX_SKEW_DEG; below MIN_SKEW_DEG a page is left as it is (resampling blurs)
MAX_SKEW_DEG = 8.0
MIN_SKEW_DEG = 0.3
_SKEW_SAMPLE_SIDE = 1000  # skew is estimated on a raster this large (longer side, pixels)
_SKEW_POINTS = 60_000  # at most this many ink pixels enter the estimate
INK = 128
#: page finding: blocks this size; the desk round a photographed sheet is at least this share
#: of the image and this many grey levels darker than the sheet
PAGE_BLOCK_PX = 16
MIN_SURROUND = 0.03
MIN_PAGE_CONTRAST = 60


def to_grey(image: np.ndarray) -> np.ndarray:
    """Luminance (ITU-R 601) of an RGB(A) array; a 2-D array is returned as it is."""
    if image.ndim == 2:
        return image.astype(np.uint8, copy=False)
    rgb = image[:, :, :3].astype(np.float32)
    return np.clip(rgb @ np.array([0.299, 0.587, 0.114], dtype=np.float32), 0, 255).astype(np.uint8)


def red_mask(rgb: np.ndarray) -> np.ndarray:
    """Pixels of red ink (seals, red-letter headers): red well above both green and blue."""
    r = rgb[:, :, 0].astype(np.int16)
    return r - np.maximum(rgb[:, :, 1], rgb[:, :, 2]).astype(np.int16) > RED_MARGIN


def suppress_red(image: np.ndarray) -> np.ndarray:
    """Greyscale page with red ink turned to paper; black text printed over it stays black.

    Under the seal the red channel shows the paper and the black text, but seal ink is
    not as bright as paper in red (≈ 0.85 of it): taken as it is, the seal's ring and
    letters stay a light grey drawing, and its blurred, JPEG-blocked edge (red too faint
    for RED_MARGIN) a darker outline; together they hid a small ``≥21`` under the ring
    from the detector (scanned suichang summary). So on the seal and SEAL_EDGE_PX round
    it the red channel is divided by the seal ink's own red level (its median): ink
    becomes paper, text keeps its contrast.
    """
    grey = to_grey(image)
    if image.ndim == 2:
        return grey
    mask = red_mask(image)
    if mask.any():
        grey = grey.copy()
        level = max(float(np.median(image[:, :, 0][mask])), 1.0)
        zone = _grown(mask, SEAL_EDGE_PX)
        red = image[:, :, 0][zone].astype(np.float32)
        grey[zone] = np.clip(red * (255.0 / level), 0, 255).astype(np.uint8)
    return grey


def _grown(mask: np.ndarray, reach: int) -> np.ndarray:
    """``mask`` grown by ``reach`` pixels in every direction (a square neighbourhood)."""
    grown = mask.copy()
    height, width = mask.shape
    for dy in range(-reach, reach + 1):
        for dx in range(-reach, reach + 1):
            if dy or dx:
                grown[max(dy, 0):height + min(dy, 0), max(dx, 0):width + min(dx, 0)] |= \
                    mask[max(-dy, 0):height + min(-dy, 0), max(-dx, 0):width + min(-dx, 0)]
    return grown


def _block_max(grey: np.ndarray, block: int) -> np.ndarray:
    h, w = grey.shape
    bh, bw = -(-h // block), -(-w // block)
    padded = np.full((bh * block, bw * block), 0, dtype=grey.dtype)
    padded[:h, :w] = grey
    maxima = padded.reshape(bh, block, bw, block).max(axis=(1, 3))
    # a block inside a large dark area (a bold title, a photo) borrows its neighbours' paper
    ext = np.pad(maxima, 1, mode="edge")
    return np.max([ext[i:i + bh, j:j + bw] for i in range(3) for j in range(3)], axis=0)


def flatten_background(grey: np.ndarray) -> np.ndarray:
    """Divide by the local paper brightness when it is uneven (photos); an even scan is unchanged."""
    if min(grey.shape) < 2 * BLOCK_PX:
        return grey
    paper = _block_max(grey, BLOCK_PX).astype(np.float32)
    inner = paper[1:-1, 1:-1] if min(paper.shape) > 2 else paper
    if float(inner.max() - inner.min()) <= UNEVEN_LIGHT:
        return grey
    from PIL import Image

    # block maxima stand for their blocks' centres: interpolated between them, no steps at block edges
    bh, bw = paper.shape
    full = np.asarray(Image.fromarray(paper.astype(np.float32)).resize((bw * BLOCK_PX, bh * BLOCK_PX),
                                                             Image.Resampling.BILINEAR))[:grey.shape[0], :grey.shape[1]]
    out = grey.astype(np.float32) * (255.0 / np.maximum(full, 1.0))
    return np.clip(out, 0, 255).astype(np.uint8)


def _profile_sharpness(ys: np.ndarray, xs: np.ndarray, angle_deg: float, bins: int) -> float:
    """Sum of squared row counts of the ink rotated by ``angle``: highest when lines are level."""
    a = np.deg2rad(angle_deg)
    rows = ys * np.cos(a) - xs * np.sin(a)
    counts = np.bincount(np.clip((rows - rows.min()).astype(np.int64), 0, bins - 1), minlength=bins)
    return float(np.dot(counts, counts))


def estimate_skew(grey: np.ndarray) -> float:
    """Degrees the page's text lines are turned (positive: counter-clockwise); 0.0 when unsure."""
    step = max(1, int(np.ceil(max(grey.shape) / _SKEW_SAMPLE_SIDE)))
    small = grey[::step, ::step]
    ys, xs = np.nonzero(small < INK)
    if len(ys) < 200:
        return 0.0
    if len(ys) > _SKEW_POINTS:
        pick = np.linspace(0, len(ys) - 1, _SKEW_POINTS).astype(np.int64)
        ys, xs = ys[pick], xs[pick]
    ys, xs = ys.astype(np.float64), xs.astype(np.float64)
    bins = int(np.hypot(*small.shape)) + 2
    best = 0.0
    for span, stride in ((MAX_SKEW_DEG, 0.5), (0.5, 0.1), (0.1, 0.025)):
        candidates = best + np.arange(-span, span + stride / 2, stride)
        scores = [_profile_sharpness(ys, xs, a, bins) for a in candidates]
        best = float(candidates[int(np.argmax(scores))])
    return round(-best, 3)


def deskew(grey: np.ndarray) -> tuple[np.ndarray, float]:
    """The page turned level, and the angle it was turned by (0.0: left as it was)."""
    angle = estimate_skew(grey)
    if abs(angle) < MIN_SKEW_DEG or abs(angle) >= MAX_SKEW_DEG:
        return grey, 0.0
    from PIL import Image

    turned = Image.fromarray(grey).rotate(-angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    return np.asarray(turned), angle


def _otsu(values: np.ndarray) -> float:
    """The grey level that best splits ``values`` into two classes (Otsu's method)."""
    hist = np.bincount(values.astype(np.int64).ravel(), minlength=256).astype(np.float64)
    total = hist.sum()
    weight = np.cumsum(hist)
    mean = np.cumsum(hist * np.arange(256))
    between = (mean[-1] * weight / total - mean) ** 2 / np.maximum(weight * (total - weight), 1e-9)
    return float(np.argmax(between))


def find_page(grey: np.ndarray) -> np.ndarray | None:
    """The four corners (x, y: top-left, top-right, bottom-right, bottom-left) of a sheet
    photographed on a darker surface; None for a scan (paper to the edges)."""
    b = PAGE_BLOCK_PX
    h, w = grey.shape
    if h < 8 * b or w < 8 * b:
        return None
    blocks = grey[:h - h % b, :w - w % b].reshape(h // b, b, w // b, b).max(axis=(1, 3))
    cut = _otsu(blocks)
    paper = blocks > cut
    if paper.mean() > 1 - MIN_SURROUND or paper.mean() < 0.3:
        return None
    if float(blocks[paper].mean() - blocks[~paper].mean()) < MIN_PAGE_CONTRAST:
        return None
    border = np.concatenate([paper[0], paper[-1], paper[:, 0], paper[:, -1]])
    if border.mean() > 0.5:  # the dark part is inside the sheet (a photo, a black box), not round it
        return None
    ys, xs = np.nonzero(paper)
    xs, ys = (xs + 0.5) * b, (ys + 0.5) * b
    corners = [np.argmin(xs + ys), np.argmax(xs - ys), np.argmax(xs + ys), np.argmin(xs - ys)]
    return np.array([[xs[i], ys[i]] for i in corners], dtype=np.float64)


def _homography(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """The 8 coefficients mapping ``dst`` points onto ``src`` points (Pillow's PERSPECTIVE data)."""
    rows, rhs = [], []
    for (x, y), (u, v) in zip(dst, src):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs.extend([u, v])
    return np.linalg.solve(np.array(rows, dtype=np.float64), np.array(rhs, dtype=np.float64))


def unwarp_page(grey: np.ndarray) -> np.ndarray:
    """The photographed sheet cut out and mapped onto an upright rectangle; a scan as it is."""
    quad = find_page(grey)
    if quad is None:
        return grey
    from PIL import Image

    width = int(round(max(np.linalg.norm(quad[1] - quad[0]), np.linalg.norm(quad[2] - quad[3]))))
    height = int(round(max(np.linalg.norm(quad[3] - quad[0]), np.linalg.norm(quad[2] - quad[1]))))
    inset = PAGE_BLOCK_PX  # the sheet's edge blocks mix desk and paper: leave them out
    width, height = width - 2 * inset, height - 2 * inset
    if width < 100 or height < 100:
        return grey
    target = np.array([[-inset, -inset], [width + inset, -inset], [width + inset, height + inset],
                       [-inset, height + inset]], dtype=np.float64)
    coeffs = _homography(quad, target)
    out = Image.fromarray(grey).transform((width, height), Image.Transform.PERSPECTIVE, tuple(coeffs),
                                           resample=Image.Resampling.BICUBIC, fillcolor=255)
    return np.asarray(out)


def prepare(image: np.ndarray) -> np.ndarray:
    """A raster (RGB or greyscale) ready for OCR and ruling detection: seals out, a photographed
    sheet cut from its surroundings, light even, level."""
    grey = flatten_background(unwarp_page(suppress_red(image)))
    grey, _ = deskew(grey)
    return np.ascontiguousarray(grey)


def exif_upright(image):
    """A Pillow image turned the way its EXIF orientation tag says it was held (phone photos)."""
    from PIL import ImageOps

    return ImageOps.exif_transpose(image)
