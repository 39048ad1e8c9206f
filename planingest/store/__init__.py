"""The output folder on disk: atomic writes, the manifest, the run log, the lock (``folder``) and reading finished tables back (``tables``)."""
