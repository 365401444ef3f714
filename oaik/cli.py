"""The ``oaik`` command line: a thin click group whose commands load lazily.

Each command lives in its own module under ``oaik.commands`` and is imported
only when it runs, so ``oaik --help`` stays instant. Errors meant for the user
(:class:`oaik.errors.OaikError`) are printed as one paragraph with their exit
code; exit codes: 0 ok, 1 a check found a problem, 2 usage error or unreadable input.
"""

from __future__ import annotations

import importlib
import sys

import click

from oaik import __version__

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
    "import": ("oaik.commands.import_", "import_", "Import an openness index (OSAI, MOT) from a local checkout."),
    "store": ("oaik.commands.store", "store", "Show or rebuild the persistent graph store."),
}


class LazyGroup(click.Group):
    """A click group that imports a command's module only when it is used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name, (module, _, _) in COMMANDS.items() if _module_exists(module))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS or not _module_exists(COMMANDS[name][0]):
            return None
        module, function, _ = COMMANDS[name]
        return getattr(importlib.import_module(module), function)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def _module_exists(module: str) -> bool:
    from importlib.util import find_spec

    return find_spec(module) is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="oaik")
def cli() -> None:
    """OAIK: the knowledge graph of open-source AI collaboration.

    Exit codes: 0 ok, 1 a check found a problem, 2 usage error or unreadable
    input, 70 internal error (a bug: please report it).
    """


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the group and turn user errors into one-paragraph messages."""
    from oaik.errors import OaikError

    try:
        cli.main(args=argv, prog_name="oaik", standalone_mode=False)
    except OaikError as error:
        from oaik.printable import visible

        click.echo(f"oaik: error: {visible(str(error), newlines=True)}", err=True)
        sys.exit(error.exit_code)
    except click.exceptions.Abort:
        click.echo("oaik: aborted", err=True)
        sys.exit(130)
    except click.ClickException as error:
        error.show()
        sys.exit(2)
    except click.exceptions.Exit as exit_:
        sys.exit(exit_.exit_code)
    except BrokenPipeError:
        sys.exit(0)
    except KeyboardInterrupt:
        click.echo("oaik: interrupted", err=True)
        sys.exit(130)
    except Exception as error:  # a bug: one paragraph, the traceback only on request
        import os

        if os.environ.get("OAIK_DEBUG"):
            raise
        click.echo(
            f"oaik: internal error: {type(error).__name__}: {error}. This is a bug in oaik, not in your input; "
            "please report it with the command you ran (run again with OAIK_DEBUG=1 to see the traceback).",
            err=True,
        )
        sys.exit(70)


if __name__ == "__main__":
    main()
