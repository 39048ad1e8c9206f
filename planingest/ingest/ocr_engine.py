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
    #: "onnxruntime" or "openvino" (rapidocr 3.x only; needs the ``openvino`` package)
    backend: str = "onnxruntime"
    #: the detector's input: longer side in pixels (``limit_type=max``); 0 keeps the engine's
    #: own rule (shorter side at least 736 px, whole image at most 2000 px)
    det_side: int = 1280
    #: recognition crops per inference call
    rec_batch: int = 6
    #: threads per ONNX Runtime / OpenVINO session (a batch runs one worker per core)
    threads: int = 1

    @property
    def label(self) -> str:
        det = f"det {self.det_side}px" if self.det_side else "det default"
        return f"{self.package} / {self.backend} / {det} / batch {self.rec_batch} / {self.threads} thread(s)"


DEFAULT = EngineSettings()
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
    engine_type = EngineType.OPENVINO if settings.backend == "openvino" else EngineType.ONNXRUNTIME
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

    def run(image: np.ndarray) -> list[Detection]:
        out = reader(image)
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


@lru_cache(maxsize=2)
def load_engine(settings: EngineSettings = DEFAULT) -> Engine:
    """The engine for these settings, loaded once per process (loading costs ~1 s)."""
    if settings.package == "rapidocr_onnxruntime":
        return _rapidocr_v1(settings)
    if settings.package == "rapidocr":
        return _rapidocr3(settings)
    raise ValueError(f"unknown OCR package {settings.package!r}")
