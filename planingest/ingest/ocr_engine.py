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

import numpy as np

from planingest.core.errors import MissingToolError

Detection = tuple[list[list[float]], str, float]  # (4-point quad in pixels, text, score)
Engine = Callable[[np.ndarray], list[Detection]]


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

    @property
    def label(self) -> str:
        det = f"det {self.det_side}px" if self.det_side else "det default"
        return f"{self.package} / {self.backend} / {det} / batch {self.rec_batch} / {self.threads} thread(s)"


#: chosen by bench/ocr_engines.py (BENCHMARKS.md "OCR engines"): ≈1.9 CPU s a page, the best
#: cell accuracy measured, ≈820 MB peak for a reader process (OpenVINO's recognition buffers)
DEFAULT = EngineSettings()
#: under 500 MB peak (495 MB measured) at ≈2.3× the time, same accuracy (ONNX Runtime, one
#: recognition crop at a time): for workers whose memory limit is tight
LOW_MEMORY = EngineSettings(backend="onnxruntime", det_side=1120, rec_batch=1)
#: the whole raster handed to the engine stays under this many pixels on its longer side, so
#: recognition crops are cut from the full-resolution page while detection sees ``det_side``
MAX_SIDE_PX = 4000


def _import_error(package: str, exc: Exception) -> MissingToolError:
    return MissingToolError(f"scanned pages need OCR, but {package} cannot be imported: {exc}")


def _rapidocr3(settings: EngineSettings) -> Engine:
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
    }
    if settings.det_side:
        params.update({"Det.limit_side_len": settings.det_side, "Det.limit_type": "max"})
    reader = RapidOCR(params=params)
    if settings.det_side:
        # The runtimes size their buffers on first use.  Detection on a blank page-sized raster
        # first lets recognition reuse the detector's buffers; recognition first, then a
        # page, costs ~350 MB more peak (measured with OpenVINO; see BENCHMARKS.md).
        blank = np.full((settings.det_side, round(settings.det_side / 2 ** 0.5)), 255, dtype=np.uint8)
        reader(blank, use_rec=False)

    def run(image: np.ndarray) -> list[Detection]:
        out = reader(image, use_det=True, use_cls=False, use_rec=True)  # the warm-up's use_rec=False sticks
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
#: samples, varying from run to run) though it uses ≈0.8 GB; under an address-space limit
#: (RLIMIT_AS, what the batch worker's --memory-mb sets) below this it fails to allocate
OPENVINO_MIN_ADDRESS_SPACE_MB = 3072


def fitting(settings: EngineSettings) -> EngineSettings:
    """``settings``, or LOW_MEMORY when the process's address-space limit is too small for OpenVINO."""
    if settings.backend != "openvino":
        return settings
    import resource

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
