"""``python -m planingest ...``: the same as the ``planingest`` command."""
from planingest.cli.main import main_entry

if __name__ == "__main__":
    main_entry()
