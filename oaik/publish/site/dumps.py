"""The whole-graph downloads (Turtle, N-Triples, JSON-LD): made here, or in a process forked as the build starts.

They are serialised from the graph's files, not from the store the pages read
(:mod:`oaik.publish.export`), so a forked process can make them while this one
loads the graph and renders pages: compacting the JSON-LD dump is the largest
single task of a build, and loading the graph leaves the second core idle.
"""

from __future__ import annotations

import multiprocessing
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from oaik.publish.site.signals import quiet_worker

#: (export format, file name under downloads/, label) of each dump.
DUMPS = (("turtle", "oaik.ttl", "Turtle"), ("ntriples", "oaik.nt", "N-Triples"), ("jsonld", "oaik.jsonld", "JSON-LD"))


def graph_dumps() -> list[bytes]:
    """The bytes of each dump, in the order of :data:`DUMPS` (the graph's files read once for all three)."""
    from oaik.publish.export import export_graph, graph_parts

    parts = graph_parts()
    return [export_graph(fmt, parts=parts) for fmt, _, _ in DUMPS]


class Dumps:
    """The dumps of one build: made when asked for, unless :meth:`start` forked a process making them beforehand."""

    def __init__(self) -> None:
        self._process: BaseProcess | None = None
        self._receiver: Connection | None = None

    def start(self) -> None:
        """Fork a process that makes the dumps now and hands them over when :meth:`result` asks."""
        context = multiprocessing.get_context("fork")
        self._receiver, sender = context.Pipe(duplex=False)
        self._process = context.Process(target=_send, args=(sender,), name="oaik-site-dumps", daemon=True)
        self._process.start()
        sender.close()

    def result(self) -> list[bytes]:
        """The dumps (:func:`graph_dumps`); made here if no process was started or it failed (its error raised here)."""
        if self._receiver is not None:
            try:
                return self._receiver.recv()
            except EOFError:
                pass  # the process ended without them: they are made again here, where an error is reported
            finally:
                self.stop()
        return graph_dumps()

    def stop(self) -> None:
        """End the process, if one is running (the build is stopping, or is done with it)."""
        if self._process is not None:
            self._process.terminate()
            self._process.join()
            self._process = None
        if self._receiver is not None:
            self._receiver.close()
            self._receiver = None


def _send(sender: Connection) -> None:
    """In the forked process: make the dumps and send them (nothing when that fails; the parent tries again)."""
    quiet_worker()
    try:
        dumps = graph_dumps()
    except BaseException:
        return
    sender.send(dumps)
