"""The OCR engine behind ``planingest.ingest.ocr``: which package, which runtime, which settings.

Only engines whose wheel carries its models are used, so OCR never downloads at
run time: ``rapidocr`` 3.x (PP-OCRv6 small detection and recognition models in the
wheel, run by ONNX Runtime or, when installed, OpenVINO) and the older
``rapidocr-onnxruntime`` 1.4 (PP-OCRv4).  The model files are named by path, so a
wheel missing them fails loudly instead of fetching them.

Settings are a frozen :class:`EngineSettings`; ``bench/ocr_engines.py`` measures
them side by side and ``DEFAULT`` is the one it chose (see BENCHMARKS.md).  Every
engine returns the same thing: ``[(quad, text, score), ...]`` in the raster's pixels.
"""
from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from planingest.core.errors import MissingToolError
from planingest.ingest import ocr_memory
from planingest.ingest.heap import map_large_buffers

if TYPE_CHECKING:  # numpy is imported with the engine: the batch worker imports this module at start-up
    import numpy as np

Detection = tuple[list[list[float]], str, float]  # (4-point quad in pixels, text, score)
Engine = Callable[["np.ndarray"], list[Detection]]


@dataclass(frozen=True)
class EngineSettings:
    #: "rapidocr" (3.x, PP-OCRv6 small) or "rapidocr_onnxruntime" (1.4, PP-OCRv4)
    package: str = "rapidocr"
    #: "openvino" or "onnxruntime" (rapidocr 3.x; without the ``openvino`` package, onnxruntime)
    backend: str = "openvino"
    #: the detector's input: longer side in pixels (``limit_type=max``); 0 keeps the engine's
    #: own rule (shorter side at least 736 px, whole image at most 2000 px)
    det_side: int = 1120
    #: recognition crops per inference call
    rec_batch: int = 6
    #: threads per ONNX Runtime / OpenVINO session (a batch runs one worker per core)
    threads: int = 1
    #: OpenVINO memory policy (``ocr_memory``): detection and recognition take turns, each model's
    #: buffers freed when the other's turn comes, so the peak is the larger of the two, not their sum
    take_turns: bool = False
    #: OpenVINO: recognition batches padded to a multiple of this width (few input shapes, so few
    #: kernels and buffers kept); 0: as wide as their widest line
    rec_width_step: int = 0
    #: allocations of at least this many KB get their own mapping, returned when freed (glibc's
    #: ``M_MMAP_THRESHOLD``, fixed for the process when the engine loads); 0: glibc's sliding default
    mmap_threshold_kb: int = 0
    #: OpenVINO: the detector compiled for the page's exact input size (recompiled when it changes)
    static_det: bool = False

    @property
    def label(self) -> str:
        det = f"det {self.det_side}px" if self.det_side else "det default"
        extra = "".join([" / turns" if self.take_turns else "",
                         f" / rec width step {self.rec_width_step}" if self.rec_width_step else "",
                         f" / mmap ≥ {self.mmap_threshold_kb} KB" if self.mmap_threshold_kb else "",
                         " / static det" if self.static_det else ""])
        return f"{self.package} / {self.backend} / {det} / batch {self.rec_batch} / {self.threads} thread(s){extra}"


#: chosen by bench/ocr_engines.py (BENCHMARKS.md "OCR engines"): OpenVINO with its memory policy
#: (``ocr_memory``: models take turns, recognition widths in steps of 320 px, one line at a time,
#: large buffers mapped, the detector compiled for the page's size): ≈1.6 CPU s a page, the best
#: cell accuracy measured, ≈430 MB peak for a reader process (without the policy: ≈800 MB)
DEFAULT = EngineSettings(rec_batch=1, take_turns=True, rec_width_step=320, mmap_threshold_kb=1024, static_det=True)
#: ≈390 MB peak at ≈2.8× the time, same accuracy (ONNX Runtime, one recognition crop at a time,
#: large buffers mapped): for workers whose memory limit is tighter than OPENVINO_MIN_RESIDENT_MB
LOW_MEMORY = EngineSettings(backend="onnxruntime", det_side=1120, rec_batch=1, mmap_threshold_kb=1024)
#: the whole raster handed to the engine stays under this many pixels on its longer side, so
#: recognition crops are cut from the full-resolution page while detection sees ``det_side``
MAX_SIDE_PX = 4000


#: never pin OpenVINO's threads to cores: a batch runs one OCR process per core and the OS must spread them
OPENVINO_CPU_PINNING = False


def _import_error(package: str, exc: Exception) -> MissingToolError:
    return MissingToolError(f"scanned pages need OCR, but {package} cannot be imported: {exc}")


def _rapidocr3(settings: EngineSettings) -> Engine:
    import numpy as np

    if settings.mmap_threshold_kb:
        map_large_buffers(settings.mmap_threshold_kb)
    try:
        import rapidocr
        from rapidocr import EngineType, RapidOCR
    except ImportError as exc:  # the dependency is declared; this is a broken install
        raise _import_error("rapidocr", exc) from exc
    models = Path(rapidocr.__file__).parent / "models"
    det, rec = models / "PP-OCRv6_det_small.onnx", models / "PP-OCRv6_rec_small.onnx"
    for path in (det, rec):
        if not path.is_file():
            raise MissingToolError(f"rapidocr's wheel lacks its model {path.name}; reinstall rapidocr")
    # without OpenVINO the same models run on ONNX Runtime: same text, slower
    openvino = settings.backend == "openvino" and importlib.util.find_spec("openvino") is not None
    engine_type = EngineType.OPENVINO if openvino else EngineType.ONNXRUNTIME
    params = {
        "Global.use_cls": False,
        "Global.log_level": "critical",
        "Global.max_side_len": MAX_SIDE_PX,
        "Det.engine_type": engine_type,
        "Det.model_path": str(det),
        "Rec.engine_type": engine_type,
        "Rec.model_path": str(rec),
        "Rec.rec_batch_num": settings.rec_batch,
        # no memory arena: ONNX Runtime would otherwise keep the largest page's buffers for good
        "EngineConfig.onnxruntime.enable_cpu_mem_arena": False,
        "EngineConfig.onnxruntime.intra_op_num_threads": settings.threads,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        "EngineConfig.openvino.inference_num_threads": settings.threads,
        "EngineConfig.openvino.num_streams": 1,
        # OpenVINO pins its inference threads to cores by default, and every worker process picks the same
        # first core: two OCR workers then share one core while the other idles (measured: 1.2 cores used)
        "EngineConfig.openvino.enable_cpu_pinning": OPENVINO_CPU_PINNING,
    }
    if settings.det_side:
        params.update({"Det.limit_side_len": settings.det_side, "Det.limit_type": "max"})
    reader = RapidOCR(params=params)
    turns = None
    if openvino and (settings.take_turns or settings.rec_width_step or settings.static_det):
        # both models are loaded on first use: load them on tiny blanks (small buffers) and wrap them
        reader(np.full((64, 64), 255, dtype=np.uint8), use_rec=False)
        reader(np.full((48, 320), 255, dtype=np.uint8), use_det=False, use_cls=False, use_rec=True)
        turns = ocr_memory.wrap(reader.text_det, reader.text_rec, settings.take_turns, settings.rec_width_step,
                                settings.static_det, settings.threads)
    if settings.det_side:
        # The runtimes size their buffers on first use.  Detection on a blank page-sized raster
        # first lets recognition reuse the detector's buffers; recognition first, then a
        # page, costs ~350 MB more peak (measured with OpenVINO; see BENCHMARKS.md).  With a
        # static detector this compiles it for an A4 page's size.
        blank = np.full((settings.det_side, round(settings.det_side / 2 ** 0.5)), 255, dtype=np.uint8)
        reader(blank, use_rec=False)
    if turns is not None:
        turns.end()

    def run(image: np.ndarray) -> list[Detection]:
        out = reader(image, use_det=True, use_cls=False, use_rec=True)  # the warm-up's use_rec=False sticks
        if turns is not None:
            turns.end()
        if not out.txts:
            return []
        return [(np.asarray(q).tolist(), str(t), float(s)) for q, t, s in zip(out.boxes, out.txts, out.scores)]

    return run


def _rapidocr_v1(settings: EngineSettings) -> Engine:
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as exc:
        raise _import_error("rapidocr-onnxruntime", exc) from exc
    kwargs = {"intra_op_num_threads": settings.threads, "inter_op_num_threads": 1,
              "rec_batch_num": settings.rec_batch}
    if settings.det_side:
        kwargs.update({"det_limit_side_len": settings.det_side, "det_limit_type": "max",
                       "max_side_len": MAX_SIDE_PX})
    reader = RapidOCR(**kwargs)

    def run(image: np.ndarray) -> list[Detection]:
        result, _ = reader(image, use_cls=False)
        return [(list(q), str(t), float(s)) for q, t, s in result or []]

    return run


#: OpenVINO reserves 2.1–2.4 GB of address space for these models (VmPeak measured on the
#: samples, varying from run to run) though it uses far less; under an address-space limit
#: (RLIMIT_AS) below this it fails to allocate.  The batch worker's backstop leaves room for it.
OPENVINO_MIN_ADDRESS_SPACE_MB = 3072
#: the resident limit (the batch's --memory-mb) under which OpenVINO is not used: DEFAULT's measured
#: peak in a batch worker (≈450 MB, BENCHMARKS.md "OCR engines") plus room for the rest of a large
#: document.  Below it LOW_MEMORY (≈390 MB) is the better bet, at ≈2.8× the time
OPENVINO_MIN_RESIDENT_MB = 640
#: this process's resident-memory limit in MB, when something enforces one (the batch worker sets
#: it: the parent kills a worker over it); None outside the batch
RESIDENT_LIMIT_MB: int | None = None


def fitting(settings: EngineSettings) -> EngineSettings:
    """``settings``, or LOW_MEMORY when the process's limits are too small for OpenVINO.

    Two limits count: the resident limit the batch enforces (``RESIDENT_LIMIT_MB``), and
    an address-space limit (``RLIMIT_AS``), which OpenVINO needs room in beyond what it uses.
    """
    if settings.backend != "openvino":
        return settings
    import resource

    if RESIDENT_LIMIT_MB is not None and RESIDENT_LIMIT_MB < OPENVINO_MIN_RESIDENT_MB:
        return LOW_MEMORY
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft != resource.RLIM_INFINITY and soft < OPENVINO_MIN_ADDRESS_SPACE_MB * 1024 * 1024:
        return LOW_MEMORY
    return settings


def load_engine(settings: EngineSettings = DEFAULT) -> Engine:
    """The engine for these settings (or the ones that fit the process's limits), loaded once."""
    return _load(fitting(settings))


@lru_cache(maxsize=2)
def _load(settings: EngineSettings) -> Engine:
    if settings.package == "rapidocr_onnxruntime":
        return _rapidocr_v1(settings)
    if settings.package == "rapidocr":
        return _rapidocr3(settings)
    raise ValueError(f"unknown OCR package {settings.package!r}")
