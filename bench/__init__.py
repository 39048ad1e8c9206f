"""Benchmark of the pipeline on a generated batch (``make bench``); see bench/run.py."""
