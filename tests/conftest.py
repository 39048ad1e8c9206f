"""Every test runs in English unless it asks for another language, whatever the machine's locale.

Session-wide too, so that module fixtures and the subprocesses tests start (``planingest run`` in a
child process) see ``PLANINGEST_LANG=en`` before any function fixture runs.
"""
from __future__ import annotations

import pytest

from planingest.core import i18n


@pytest.fixture(scope="session", autouse=True)
def english_session():
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PLANINGEST_LANG", "en")
        yield


@pytest.fixture(autouse=True)
def english_by_default(monkeypatch):
    monkeypatch.setenv("PLANINGEST_LANG", "en")
    i18n.set_lang("en")
    yield
    i18n._current = None  # noqa: SLF001 - a command of one test chose a language: the next test starts afresh
