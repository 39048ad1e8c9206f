"""A batch run: collect and hash files, read them in isolated worker processes, cache, normalise, write."""
