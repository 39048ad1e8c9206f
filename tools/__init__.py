"""Scripts that (re)build samples and the regions table: run them as ``python -m tools.<name>``."""
