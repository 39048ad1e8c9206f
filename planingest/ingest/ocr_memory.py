"""Keeping an OpenVINO OCR engine's resident memory near what one page needs (issue 14).

Measured on the scanned samples (BENCHMARKS.md "OCR engines"), three things made a
reader process on OpenVINO peak at ≈800 MB though a page needs far less:

- **Both models' buffers at once.**  OpenVINO keeps each compiled model's
  intermediate buffers at the largest input it has seen, for the life of the
  model.  Detection and recognition alternate and never run at once, so the
  models *take turns* (:class:`Turns`): before one runs, the other's buffers are
  released (``CompiledModel.release_memory``) and the allocator trimmed; at the
  end of a page both are.  The peak is the larger model's, not their sum.
- **One set of kernels per input shape.**  Recognition batches are as wide as
  their widest line, so nearly every batch is a new shape, and OpenVINO compiles
  and caches kernels and buffers for each.  Padding batches on the right to a
  multiple of a step (:func:`pad_width`; the recogniser already pads narrower
  crops in a batch the same way, with zeros after normalisation) leaves a handful
  of shapes.  The text read is the same (checked by the bench's cell CER and rows).
- **Dynamic shapes cost the detector memory.**  Compiled for any input size,
  the detector plans its buffers per call; compiled for the page's size (all
  pages of an A4 scan have the same), OpenVINO plans them once and shares them
  between layers: ≈45 MB less at the peak.  :class:`Session` with ``static``
  compiles the model again for a new input size (a landscape page after portrait
  ones) and keeps one size at a time.
- **The allocator keeping page rasters.**  glibc raises its mmap threshold after
  the first large free, so later page rasters and runtime buffers come from the
  heap and stay resident after they are freed.  A fixed threshold
  (:func:`planingest.ingest.heap.map_large_buffers`) gives each its own mapping,
  returned when freed.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from planingest.ingest.heap import release_free_memory

if TYPE_CHECKING:
    import numpy as np


class Turns:
    """Which of an engine's models ran last; the other's buffers are freed before it runs."""

    def __init__(self) -> None:
        self.last: Session | None = None

    def start(self, session: Session) -> None:
        if self.last is not None and self.last is not session:
            self.last.release()
        self.last = session

    def end(self) -> None:
        """The page is done: the last model's buffers go too (the next page is rendered meanwhile)."""
        if self.last is not None:
            self.last.release()
        self.last = None


def pad_width(batch: np.ndarray, step: int) -> np.ndarray:
    """A (n, channels, height, width) batch padded with zeros on the right to a multiple of ``step``."""
    import numpy as np

    width = batch.shape[-1]
    wanted = -(-width // step) * step
    if wanted == width:
        return batch
    pad = [(0, 0)] * (batch.ndim - 1) + [(0, wanted - width)]
    return np.pad(batch, pad)


class Session:
    """A rapidocr OpenVINO session with the memory policy around it; the rest is delegated."""

    def __init__(self, session: Any, turns: Turns | None, width_step: int = 0, static: bool = False,
                 threads: int = 1) -> None:
        self._session, self._turns, self._width_step = session, turns, width_step
        self._static, self._threads, self._shape = static, threads, None

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        if self._turns is not None:
            self._turns.start(self)
        if self._width_step:
            batch = pad_width(batch, self._width_step)
        if self._static and tuple(batch.shape) != self._shape:
            self._compile_for(tuple(batch.shape))
        return self._session(batch)

    def _compile_for(self, shape: tuple[int, ...]) -> None:
        """Compile the model again for inputs of exactly ``shape`` (the previous compilation goes)."""
        import openvino

        model = self._session.model  # the read model rapidocr keeps; reshaping it keeps its metadata
        model.reshape(list(shape))
        self._session.session = None  # the previous compiled model and its buffers go first
        release_free_memory()
        # as rapidocr's CPUConfig in ocr_engine (unpinned threads: several OCR workers share the cores)
        config = {"INFERENCE_NUM_THREADS": str(self._threads), "NUM_STREAMS": "1", "ENABLE_CPU_PINNING": "NO"}
        self._session.session = openvino.Core().compile_model(model, "CPU", config).create_infer_request()
        self._shape = shape

    def release(self) -> None:
        """Free this model's intermediate buffers (its compiled kernels stay) and trim the heap."""
        self._session.session.get_compiled_model().release_memory()
        release_free_memory()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)


def wrap(detector: Any, recogniser: Any, take_turns: bool, width_step: int, static_detector: bool = False,
         threads: int = 1) -> Turns | None:
    """Put the policy around a rapidocr reader's detector and recogniser sessions (both loaded);
    returns the turns to end after each page (None when the models do not take turns)."""
    turns = Turns() if take_turns else None
    detector.session = Session(detector.session, turns, static=static_detector, threads=threads)
    recogniser.session = Session(recogniser.session, turns, width_step)
    if turns is not None:
        for model in (detector, recogniser):
            model.session.release()  # the warm-ups ran before the wrapping: their buffers go now
    return turns
