"""Command line: a thin argparse layer over :func:`planingest.run.batch.run_batch`.

Each subcommand is a ``register_*`` function adding its parser and setting
``handler``; adding one (review, accept, report, export) is a register function
and a line in ``COMMANDS``.  ``main(argv)`` returns the exit status instead of
exiting, so tests call it directly:

- 0: every document ingested (skipped, partial and empty are not failures);
- 1: at least one document failed (the others are still written);
- 2: usage or configuration error, nothing written.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from planingest.cli.lang import Parser, add_lang_option, choose_lang
from planingest.core.errors import CatalogueError, UsageError
from planingest.core.i18n import _
from planingest.core.shown import shown
from planingest.core.version import __version__
from planingest.run.discover import display_path

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("{text!r} is not a whole number").format(text=text)) from None
    if value < 1:
        raise argparse.ArgumentTypeError(_("{text!r} must be at least 1").format(text=text))
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("{text!r} is not a number").format(text=text)) from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(_("{text!r} must be a positive number of seconds").format(text=text))
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("{text!r} is not a number").format(text=text)) from None
    if not 0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(_("{text!r} must be zero or a positive number of seconds").format(text=text))
    return value


def _stderr_line(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# run
# --------------------------------------------------------------------------


def register_run(subparsers) -> None:
    p = subparsers.add_parser(
        "run", help=_("ingest documents into tables"),
        description=_("Read every file under PATH (recursively) and write the tables to --out. "
                      "Unchanged documents are taken from the cache in OUT/.state."),
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help=_("files or folders to ingest"))
    p.add_argument("--out", required=True, metavar="DIR", help=_("output folder (created if missing)"))
    p.add_argument("--workers", type=_positive_int, default=None, metavar="N",
                   help=_("documents read in parallel (default: number of CPUs)"))
    p.add_argument("--force", action="store_true", help=_("read every document again, ignoring the cache"))
    p.add_argument("--timeout", type=_positive_float, default=120.0, metavar="S",
                   help=_("give up on a document after S seconds (default 120)"))
    p.add_argument("--ocr-page-timeout", type=_seconds, default=20.0, metavar="S",
                   help=_("seconds each page that needs OCR adds to --timeout for its document (default 20)"))
    p.add_argument("--recycle-mb", type=_positive_int, default=1024, metavar="M",
                   help=_("replace a reading process whose memory passed M MB after a document (default 1024)"))
    p.add_argument("--memory-mb", type=_positive_int, default=2048, metavar="M",
                   help=_("memory limit of the process reading one document, in MB (default 2048)"))
    p.add_argument("--catalogue", metavar="DIR", default=None,
                   help=_("folder of vocabulary CSVs (default: $PLANINGEST_CATALOGUE or the built-in planingest/catalogue/data/)"))
    p.add_argument("--wait", type=_seconds, default=0.0, metavar="S",
                   help=_("if another run is writing to --out, wait up to S seconds for it (default 0)"))
    p.add_argument("--max-file-mb", type=_positive_float, default=512.0, metavar="M",
                   help=_("fail files larger than M MB without reading (or hashing) them (default 512)"))
    p.add_argument("--follow-symlinks", action="store_true",
                   help=_("follow symbolic links that point outside the input folders (default: skip them)"))
    p.add_argument("--quiet", action="store_true", help=_("no line per document; only the failed ones and the summary"))
    p.add_argument("--executor", choices=("local", "ray"), default="local",
                   help=_("where documents are read: worker processes on this machine (default) or tasks on a "
                          "Ray cluster (needs pip install 'planingest[ray]'; inputs on a folder every node mounts)"))
    p.add_argument("--ray-address", metavar="ADDR", default=None,
                   help=_("with --executor ray: the cluster to join ('auto' on one of its nodes, 'HOST:6379', "
                          "'ray://HOST:10001'; default: $RAY_ADDRESS, else a Ray started on this machine for the run)"))
    p.set_defaults(handler=cmd_run)


def cmd_run(args: argparse.Namespace) -> int:
    from planingest.catalogue import catalogue_dir
    from planingest.normalize.vocabulary import load_vocabulary
    from planingest.run.batch import run_batch
    from planingest.run.executors import make_executor

    executor = make_executor(args.executor, workers=args.workers, address=args.ray_address)
    folder = catalogue_dir(args.catalogue)
    vocab = load_vocabulary(folder)  # once, in the parent, before any work: a bad edit stops here
    summary = run_batch(
        args.paths, args.out, workers=args.workers, force=args.force, timeout_s=args.timeout,
        memory_mb=args.memory_mb, progress=None if args.quiet else _stderr_line,
        vocab=vocab, catalogue_dir=folder, wait_s=args.wait, max_file_mb=args.max_file_mb,
        follow_symlinks=args.follow_symlinks, executor=executor, ocr_page_timeout_s=args.ocr_page_timeout,
        recycle_mb=args.recycle_mb,
    )
    if args.quiet:  # quiet is no line per document, but never a failure unnamed
        for path, error in summary.failures:
            _stderr_line(_("failed {path}: {error}").format(path=path, error=shown(error)))
    _stderr_line(f"planingest: {summary.line()}")
    return EXIT_FAILED if summary.exit_code else EXIT_OK


# --------------------------------------------------------------------------
# entry points
# --------------------------------------------------------------------------

def _more_commands() -> tuple[Callable, ...]:
    """The commands that work on a finished output folder, each in its own module."""
    from planingest.cli.accept import register_accept
    from planingest.cli.export import register_export
    from planingest.cli.report import register_report
    from planingest.cli.review import register_review

    return (register_review, register_accept, register_report, register_export)


COMMANDS: tuple[Callable, ...] = (register_run, *_more_commands())


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="planingest",
        description=_("Turn ecological-civilisation demonstration-zone plan documents into clean tables."),
    )
    add_lang_option(parser)
    parser.add_argument("--version", action="version", version=f"planingest {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True, parser_class=Parser)
    for register in COMMANDS:
        register(subparsers)
    for sub in subparsers.choices.values():
        add_lang_option(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    choose_lang(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed usage (status 2) or help/version (0)
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    try:
        return args.handler(args)
    except (UsageError, CatalogueError) as exc:
        _stderr_line(_("planingest: error: {error}").format(error=exc))
        return EXIT_USAGE
    except OSError as exc:  # the output folder changed under us (permissions, a file for a folder, …)
        where = f" {display_path(exc.filename)}" if exc.filename else ""
        _stderr_line(_("planingest: error:{where}: {error}").format(where=where, error=exc.strerror or exc))
        return EXIT_USAGE
    except KeyboardInterrupt:
        _stderr_line(_("planingest: interrupted; documents read so far are cached and will not be read again"))
        return EXIT_INTERRUPTED


def main_entry() -> None:
    """Console script ``planingest``."""
    sys.exit(main())


if __name__ == "__main__":
    main_entry()
