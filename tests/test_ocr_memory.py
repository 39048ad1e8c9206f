"""The OCR engine's memory policy (planingest/ingest/ocr_memory.py), with stand-in sessions (issue 14)."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planingest.ingest import heap, ocr_memory
from planingest.ingest.ocr_memory import Session, Turns, pad_width


@given(n=st.integers(1, 3), width=st.integers(1, 700), step=st.sampled_from([1, 32, 160, 320]))
def test_a_padded_batch_keeps_its_pixels_and_gets_a_width_in_steps(n, width, step):
    batch = np.random.default_rng(width).random((n, 3, 4, width), dtype=np.float32) + 1
    padded = pad_width(batch, step)
    assert padded.shape[:3] == batch.shape[:3]
    assert padded.shape[3] % step == 0 and width <= padded.shape[3] < width + step
    assert np.array_equal(padded[..., :width], batch)
    assert not padded[..., width:].any()  # zeros: what the recogniser pads a batch's narrower lines with


def test_a_batch_already_in_steps_is_not_copied():
    batch = np.ones((1, 3, 48, 640), dtype=np.float32)
    assert pad_width(batch, 320) is batch


class _Inner:
    """Stands in for rapidocr's OpenVINO session: records the shapes it ran and its releases."""

    def __init__(self, name: str, log: list) -> None:
        self.name, self.log = name, log
        self.session = self  # rapidocr's infer request: get_compiled_model().release_memory()
        self.character = "stays reachable"

    def __call__(self, batch):
        self.log.append((self.name, "run", batch.shape[-1]))
        return batch

    def get_compiled_model(self):
        return self

    def release_memory(self) -> None:
        self.log.append((self.name, "release"))


@pytest.fixture
def sessions(monkeypatch):
    monkeypatch.setattr(ocr_memory, "release_free_memory", lambda: None)
    log: list = []
    turns = Turns()
    det = Session(_Inner("det", log), turns)
    rec = Session(_Inner("rec", log), turns, width_step=320)
    return det, rec, turns, log


def test_each_model_frees_its_buffers_when_the_other_takes_its_turn(sessions):
    det, rec, turns, log = sessions
    page = np.zeros((1, 3, 64, 64), dtype=np.float32)
    line = np.zeros((1, 3, 48, 400), dtype=np.float32)
    det(page)
    rec(line)
    rec(line)
    turns.end()
    det(page)
    assert log == [("det", "run", 64), ("det", "release"), ("rec", "run", 640), ("rec", "run", 640),
                   ("rec", "release"), ("det", "run", 64)]


def test_a_wrapped_session_still_answers_what_rapidocr_asks_it(sessions):
    _, rec, _, _ = sessions
    assert rec.character == "stays reachable"


def test_trimming_the_heap_is_harmless_to_call():
    heap.release_free_memory()  # map_large_buffers is left alone: it would change this process for good


@pytest.mark.slow  # loads the OCR engine
def test_openvino_never_pins_its_threads_to_a_core(monkeypatch):
    """Pinned, every OCR worker's threads land on the same first core: two workers got 1.2 cores between them."""
    openvino = pytest.importorskip("openvino")
    from planingest.ingest import ocr_engine

    compiled = []
    original = openvino.Core.compile_model

    def compile_model(self, *args, **kwargs):
        model = original(self, *args, **kwargs)
        compiled.append(model)
        return model

    monkeypatch.setattr(openvino.Core, "compile_model", compile_model)
    ocr_engine._load.cache_clear()
    try:
        engine = ocr_engine._load(ocr_engine.DEFAULT)
        engine(np.full((1400, 1000), 255, dtype=np.uint8))  # a page of another size: the detector compiles again
    finally:
        ocr_engine._load.cache_clear()
    assert len(compiled) >= 3  # detector, recogniser, the detector again for the page's size
    assert [model.get_property("ENABLE_CPU_PINNING") for model in compiled] == [False] * len(compiled)
