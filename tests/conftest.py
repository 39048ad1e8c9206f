"""Every test runs in English unless it asks for another language, whatever the machine's locale."""
from __future__ import annotations

import pytest

from planingest.core import i18n


@pytest.fixture(autouse=True)
def english_by_default(monkeypatch):
    monkeypatch.setenv("PLANINGEST_LANG", "en")
    i18n.set_lang("en")
    yield
    i18n._current = None  # noqa: SLF001 - a command of one test chose a language: the next test starts afresh
