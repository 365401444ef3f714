"""The ``oaik`` command line: argparse, with each command's module imported only when it runs.

Each command lives in a module under ``oaik.commands`` that exposes, for a
command whose function is ``F``, ``F_arguments(parser)`` (adds its options to
an :class:`argparse.ArgumentParser`) and ``F(**options)`` (runs it; its
docstring is the command's --help). Only the module of the command named on
the command line is imported, so ``oaik --help`` stays instant. Errors meant
for the user (:class:`oaik.errors.OaikError`) are printed as one paragraph
with their exit code; exit codes: 0 ok, 1 a check found a problem, 2 usage
error or unreadable input.
"""

from __future__ import annotations

import argparse
import sys

from oaik import __version__

TYPE_CHECKING = False  # typing is not imported at run time: a warm query needs none of it
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, NoReturn

# command name -> (module, function, one-line help shown by ``oaik --help``)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "stats": ("oaik.commands.stats", "stats", "Count triples and instances per class of the graph."),
    "validate": (
        "oaik.commands.validate",
        "validate",
        "Validate the graph or a contribution with SHACL (and OWL reasoning).",
    ),
    "queries": ("oaik.commands.query", "queries", "List the canned SPARQL queries."),
    "query": ("oaik.commands.query", "query", "Run a canned SPARQL query by name."),
    "sparql": ("oaik.commands.query", "sparql", "Run your own SPARQL query."),
    "serve": ("oaik.commands.serve", "serve", "Serve the graph as a read-only SPARQL 1.1 endpoint."),
    "push": ("oaik.commands.push", "push", "Load the graph into a SPARQL 1.1 store (Graph Store Protocol)."),
    "export": ("oaik.commands.export", "export", "Export the graph (JSON-LD, Turtle, DCAT, SSSOM, ...)."),
    "links": ("oaik.commands.links", "links", "Report link coverage to other catalogues."),
    "site": (
        "oaik.commands.site",
        "site",
        "Build the static website (entity pages, figures, ontology docs, query page).",
    ),
    "import": (
        "oaik.commands.import_",
        "import_index",
        "Import an openness index (OSAI, MOT) from a local checkout.",
    ),
    "store": ("oaik.commands.store", "store", "Show or rebuild the persistent graph store."),
}

DESCRIPTION = "OAIK: the knowledge graph of open-source AI collaboration."
EXIT_CODES = (
    "Exit codes: 0 ok, 1 a check found a problem, 2 usage error or unreadable\n"
    "input, 70 internal error (a bug: please report it)."
)


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions as written (``oaik.commands.common.describe`` fills them); after an option's help, its
    default (unless None, empty or off), its range and whether it is required, as click showed them."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 30, width: int | None = None):
        if width is None:  # as shutil.get_terminal_size() finds it, without importing shutil (2 ms) on every run
            import os

            try:
                columns = int(os.environ.get("COLUMNS", "0"))
            except ValueError:
                columns = 0
            if columns <= 0:
                try:
                    columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
                except (AttributeError, ValueError, OSError):
                    columns = 80
            width = min(columns or 80, 80) - 2
        super().__init__(prog, indent_increment, max_help_position, width)

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        notes = []
        default = action.default
        if action.option_strings and default is not argparse.SUPPRESS and (default or type(default) in (int, float)):
            notes.append("default: %(default)s")  # not None, off, '' or []; 0 is shown
        shown = getattr(action.type, "shown", None)
        if shown:
            notes.append(shown)
        if action.required and action.option_strings:
            notes.append("required")
        return f"{text}  [{'; '.join(notes)}]".strip() if notes else action.help


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose description, if ``documented`` is given, is that function's docstring, read only
    when the help is shown; usage errors end with where to find help and, for a misspelt option, the option
    meant (exit code 2, on standard error)."""

    def __init__(self, *args: Any, documented: Callable[..., Any] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.documented = documented

    def format_help(self) -> str:
        if self.documented is not None and self.description is None:
            from oaik.commands.common import describe

            self.description = describe(self.documented)
        return super().format_help()

    def error(self, message: str) -> NoReturn:
        hint = ""
        if message.startswith("unrecognized arguments:"):
            import difflib

            known = [option for option in self._option_string_actions if option.startswith("--")]
            for word in message.split(":", 1)[1].split():
                close = difflib.get_close_matches(word.split("=", 1)[0], known, n=1) if word.startswith("-") else []
                if close:
                    hint = f" Did you mean {close[0]}?"
                    break
        if not message.endswith((".", "?")):
            message += "."
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}{hint} Run `{self.prog} --help` for help.\n")


def _parser(prog: str, **options: Any) -> Parser:
    return Parser(prog=prog, formatter_class=HelpFormatter, allow_abbrev=False, **options)


def _top_parser() -> Parser:
    import textwrap

    width = max(len(name) for name in COMMANDS)
    commands = "\n".join(
        textwrap.fill(COMMANDS[name][2], 78, initial_indent=f"  {name:<{width}}  ", subsequent_indent=" " * (width + 4))
        for name in sorted(COMMANDS)
    )
    parser = _parser(
        "oaik",
        description=f"{DESCRIPTION}\n\ncommands:\n{commands}",
        usage="oaik [-h] [--version] COMMAND [ARGS]...",
        epilog=f"Run `oaik COMMAND --help` for a command's options.\n\n{EXIT_CODES}",
    )
    parser.add_argument("--version", action="version", version=f"oaik, version {__version__}")
    parser.add_argument("command", metavar="COMMAND", nargs="?", choices=sorted(COMMANDS), help=argparse.SUPPRESS)
    return parser


def _run(args: list[str]) -> None:
    """Parse ``args`` and run the command they name."""
    if args and args[0] in COMMANDS:
        name, rest = args[0], args[1:]
    else:  # --help, --version, no command or an unknown one: the top-level parser says what to do
        top = _top_parser()
        if not args:
            top.print_help(sys.stderr)
            sys.exit(2)
        first = next((i for i, arg in enumerate(args) if not arg.startswith("-")), len(args) - 1)
        known, unknown = top.parse_known_args(args[: first + 1])  # prints --help or --version and exits
        if unknown:
            top.error(f"unrecognized arguments: {' '.join(unknown)}")
        if known.command is None:
            top.error("no command given: name one, e.g. `oaik stats`")
        name, rest = known.command, args[first + 1 :]
    import importlib

    module_name, function_name, _ = COMMANDS[name]
    module = importlib.import_module(module_name)
    function = getattr(module, function_name)
    parser = _parser(f"oaik {name}", documented=function)
    getattr(module, f"{function_name}_arguments")(parser)
    if parser._subparsers is None:
        options = parser.parse_intermixed_args(rest)  # options before, between or after the arguments
    else:  # a group of commands (oaik store): the sub-command's parser takes the rest
        options = parser.parse_args(rest)
        if options.subcommand is None:
            parser.print_help(sys.stderr)
            sys.exit(2)
    function(**vars(options))


def main(argv: list[str] | None = None) -> None:
    """Entry point: parse the command line, run the command and turn user errors into one-paragraph messages."""
    from oaik.errors import OaikError

    try:
        try:
            _run(sys.argv[1:] if argv is None else list(argv))
        except SystemExit:  # argparse's --help or usage error, a command's exit code
            sys.stdout.flush()  # a closed pipe shows here (exit 0 below), not at exit
            raise
        sys.stdout.flush()
    except OaikError as error:
        from oaik.printable import visible

        _fail(f"oaik: error: {visible(str(error), newlines=True)}", error.exit_code)
    except BrokenPipeError:  # the reader went away (`oaik ... | head`): not an error
        _silence_stdout()
        sys.exit(0)
    except KeyboardInterrupt:
        _fail("oaik: interrupted", 130)
    except Exception as error:  # a bug: one paragraph, the traceback only on request
        import os

        if os.environ.get("OAIK_DEBUG"):
            raise
        _fail(
            f"oaik: internal error: {type(error).__name__}: {error}. This is a bug in oaik, not in your input; "
            "please report it with the command you ran (run again with OAIK_DEBUG=1 to see the traceback).",
            70,
        )


def _fail(message: str, code: int) -> NoReturn:
    """Say ``message`` on standard error and exit with ``code``; what is left of standard output is written
    first, or dropped if its reader went away."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
    except (OSError, ValueError, AttributeError):
        pass
    sys.stderr.write(f"{message}\n")
    sys.stderr.flush()
    sys.exit(code)


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so that flushing what is left in its buffer at exit does not fail
    on the closed pipe again (Python would print "Exception ignored ..." and exit 120)."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # not a real file (a test's capture): nothing to flush at exit
        pass


if __name__ == "__main__":
    main()
