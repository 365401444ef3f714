"""Independent SPARQL engines for the tests: Apache Jena ARQ and Virtuoso (Debian packages).

Each engine runs on files in a temporary folder, on 127.0.0.1 only, and is
stopped afterwards; a helper returns None (the test then skips, saying why)
when the engine is not installed or cannot start. The Oxigraph server lives
in tests/servers.py.

* Jena: the jars of Debian's ``libapache-jena-java`` (4.5.0) in
  /usr/share/java. As packaged, its relocated Xerces misses its message files
  and fails at start-up with "internal error"; :func:`jena_classpath` copies
  the JDK's own copies (``java.xml.jmod``) into the temporary folder, laid out
  as ``xerces/...``. ``tests/jena/QueryBatch.java`` runs many queries in one
  JVM (the single-file source launcher needs a JDK: ``javac`` on PATH).
  Jena reads JSON-LD 1.1 with Titanium, which needs a Jakarta JSON-P
  implementation that Debian does not package (only the API,
  ``libjsonp2-java``); :func:`jakarta_json_provider` relocates the Glassfish
  reference implementation of ``libjsonp-java`` (javax.json 1.1.2) into the
  ``jakarta.json`` namespace with ``libjarjar-java``, in the temporary folder.
* Virtuoso: ``virtuoso-t`` of Debian's ``virtuoso-opensource`` with a
  virtuoso.ini written here (free ports on 127.0.0.1, database in the
  temporary folder); data is loaded with ``isql-vt`` and ``DB.DBA.TTLP`` into
  the named graph ``oaik push`` writes.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import shutil
import subprocess
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

from servers import HOST, free_port, stop

JAVA_DIR = Path("/usr/share/java")
QUERY_BATCH = Path(__file__).resolve().parent / "jena" / "QueryBatch.java"

#: The jars Jena ARQ and riot need, without the logging bridges that loop into each other.
JENA_JARS = [
    "jena-arq",
    "jena-core",
    "jena-base",
    "jena-iri",
    "jena-cmds",
    "jena-shacl",
    "jena-dboe-base",
    "jena-dboe-index",
    "jena-dboe-storage",
    "jena-dboe-trans-data",
    "jena-dboe-transaction",
    "jena-tdb",
    "jena-tdb2",
    "jena-shex",
    "jena-rdfconnection",
    "guava",
    "slf4j-api",
    "slf4j-simple",
    "commons-cli",
    "commons-codec",
    "commons-compress",
    "commons-io",
    "commons-lang3",
    "commons-csv",
    "dexx.collection",
    "gson",
    "jackson-core",
    "jackson-databind",
    "jackson-annotations",
    "jsonld-java",
    "titanium-json-ld",
    "jakarta.json-api",
    "httpclient",
    "httpclient-cache",
    "httpcore",
    "thrift",
    "protobuf",
    "caffeine",
    "commons-collections4",
]


def jena_version() -> str:
    found = sorted(glob.glob(str(JAVA_DIR / "jena-arq-*.jar")))
    return Path(found[-1]).stem.removeprefix("jena-arq-") if found else "unknown"


def jena_classpath(workdir: Path) -> tuple[str | None, str]:
    """(classpath, "") for Debian's Jena with the Xerces message files restored, or (None, why not)."""
    java = shutil.which("java")
    if java is None:
        return None, "Java is not installed (apt-get install default-jdk-headless)"
    missing = [name for name in JENA_JARS[:4] if not (JAVA_DIR / f"{name}.jar").is_file()]
    if missing:
        return None, f"Jena is not installed ({', '.join(missing)}.jar missing; apt-get install libapache-jena-java)"
    messages = workdir / "xerces-messages"
    if not messages.is_dir():
        jmods = sorted(glob.glob("/usr/lib/jvm/*/jmods/java.xml.jmod"))
        if not jmods:
            return (
                None,
                "the JDK's java.xml.jmod (for Jena's missing Xerces messages) is not installed (default-jdk-headless)",
            )
        prefix = "classes/com/sun/org/apache/xerces/internal/"
        with zipfile.ZipFile(jmods[-1]) as jmod:  # a jmod is a zip behind a 4-byte header; zipfile copes
            for name in jmod.namelist():
                if name.startswith(prefix) and name.endswith(".properties"):
                    target = messages / "xerces" / name[len(prefix) :]
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(jmod.read(name))
    jars = [str(JAVA_DIR / f"{name}.jar") for name in JENA_JARS if (JAVA_DIR / f"{name}.jar").is_file()]
    return os.pathsep.join([*jars, str(messages)]), ""


#: Debian's Glassfish JSON-P 1.1 implementation (javax namespace; libjsonp-java) and jarjar (libjarjar-java).
GLASSFISH_JSONP = JAVA_DIR / "javax.json.jar"
JARJAR = JAVA_DIR / "jarjar.jar"


def jakarta_json_provider(workdir: Path) -> tuple[Path | None, str]:
    """(jar, "") with a Jakarta JSON-P provider for Titanium built from Debian's jars, or (None, why not).

    jarjar rewrites the references of ``org.glassfish.json.*`` (javax.json 1.1.2) from ``javax.json`` to
    ``jakarta.json``; the API itself comes from ``jakarta.json-api.jar`` (2.1.1), whose methods that are new
    since 1.1 have default bodies, and Titanium calls none of them. The jar keeps only the implementation's
    classes and adds the ``META-INF/services`` entry the 2.x API looks its provider up with (its fallback
    is Parsson, not Glassfish).
    """
    jar = workdir / "jakarta-json-glassfish.jar"
    if jar.is_file():
        return jar, ""
    if shutil.which("java") is None:
        return None, "Java is not installed (apt-get install default-jdk-headless)"
    for needed, package in [(GLASSFISH_JSONP, "libjsonp-java"), (JARJAR, "libjarjar-java")]:
        if not needed.is_file():
            return None, f"{needed} is missing (apt-get install {package})"
    rules = workdir / "jarjar-rules.txt"
    rules.write_text("rule javax.json.** jakarta.json.@1\n")
    relocated = workdir / "jakarta-json-relocated.jar"
    done = subprocess.run(
        ["java", "-jar", str(JARJAR), "process", str(rules), str(GLASSFISH_JSONP), str(relocated)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        return None, f"jarjar could not relocate {GLASSFISH_JSONP} ({done.returncode}): {done.stderr[-500:]}"
    partial = jar.with_suffix(".partial")
    with zipfile.ZipFile(relocated) as source, zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            if name.startswith("org/glassfish/json/") and not name.endswith("/"):
                data = source.read(name)
                if b"javax/json" in data:
                    return None, f"jarjar left a javax.json reference in {name} of {GLASSFISH_JSONP}"
                target.writestr(name, data)
        target.writestr("META-INF/services/jakarta.json.spi.JsonProvider", "org.glassfish.json.JsonProviderImpl\n")
    partial.replace(jar)
    return jar, ""


def arq_batch(
    classpath: str, data: Path, queries: dict[str, str], workdir: Path, timeout: float = 300, per_query: int = 120
) -> dict:
    """Run named query texts with Jena ARQ over N-Triples ``data``; name -> JSON result, N-Triples or an error.

    Each query is stopped after ``per_query`` seconds (its error then says so); the JVM as a whole after
    ``timeout`` seconds more than all of them.
    """
    if shutil.which("javac") is None:
        raise RuntimeError("the JDK is not installed (javac is needed to run tests/jena/QueryBatch.java)")
    folder = workdir / "arq"
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "out").mkdir(parents=True)
    paths = []
    for name, text in queries.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    done = subprocess.run(
        ["java", "-cp", classpath, str(QUERY_BATCH), str(data), str(folder / "out"), *paths],
        capture_output=True,
        text=True,
        timeout=timeout + per_query * len(paths),
        env={**os.environ, "TIMEOUT_SECONDS": str(per_query)},
    )
    if done.returncode != 0:
        raise RuntimeError(f"Jena ARQ failed ({done.returncode}): {done.stderr[-2000:]}")
    results: dict = {}
    for name in queries:
        out = folder / "out"
        if (out / f"{name}.json").is_file():
            results[name] = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
        elif (out / f"{name}.nt").is_file():
            results[name] = (out / f"{name}.nt").read_text(encoding="utf-8")
        else:
            results[name] = RuntimeError((out / f"{name}.error").read_text(encoding="utf-8"))
    return results


# --- Virtuoso --------------------------------------------------------------------------------

VIRTUOSO_INI = """\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx

[Parameters]
ServerPort = {host}:{sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 4
CheckpointInterval = 0
CaseMode = 2
AllowOSCalls = 0
DirsAllowed = ., {db}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 1
MaxQueryMem = 256M

[HTTPServer]
ServerPort = {host}:{http_port}
ServerRoot = {db}
MaxClientConnections = 4
ServerThreads = 4
EnabledGzipContent = 0
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 120
DefaultGraph = https://w3id.org/oaik/graph
"""


def virtuoso_version() -> str:
    binary = shutil.which("virtuoso-t")
    if binary is None:
        return "not installed"
    done = subprocess.run([binary, "--help"], capture_output=True, text=True, timeout=30)
    line = next((line for line in (done.stdout + done.stderr).splitlines() if line.startswith("Version")), "")
    return line.split()[1] if line else "unknown"


def isql(port: int, statement: str, timeout: float = 300) -> str:
    """Run one SQL statement through ``isql-vt`` as dba (the fresh database's default password)."""
    done = subprocess.run(
        ["isql-vt", f"{HOST}:{port}", "dba", "dba", f"exec={statement}"],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
        raise RuntimeError(f"isql-vt {statement[:80]!r} failed: {(done.stdout + done.stderr)[-1500:]}")
    return done.stdout


@contextlib.contextmanager
def virtuoso(workdir: Path, startup: float = 120.0) -> Iterator[tuple[str, int]]:
    """Virtuoso on free 127.0.0.1 ports with its database in ``workdir``; yields (SPARQL endpoint URL, SQL port)."""
    binary = shutil.which("virtuoso-t")
    if binary is None or shutil.which("isql-vt") is None:
        raise FileNotFoundError("virtuoso-t / isql-vt are not installed (apt-get install virtuoso-opensource)")
    db = workdir / "virtuoso"
    db.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = db / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(db=db, host=HOST, sql_port=sql_port, http_port=http_port), encoding="utf-8")
    log = open(db / "stdout.log", "wb")  # noqa: SIM115 - closed when the server stops
    process = subprocess.Popen(
        [binary, "+foreground", "+configfile", str(ini)], cwd=db, stdout=log, stderr=subprocess.STDOUT
    )
    endpoint = f"http://{HOST}:{http_port}/sparql"
    try:
        deadline = time.monotonic() + startup
        while True:
            if process.poll() is not None:
                raise RuntimeError(
                    f"virtuoso-t exited with {process.returncode}: "
                    f"{(db / 'virtuoso.log').read_text(errors='replace')[-2000:] if (db / 'virtuoso.log').exists() else ''}"
                )
            try:
                with urllib.request.urlopen(f"{endpoint}?query=ASK%7B%7D", timeout=2) as response:
                    response.read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"virtuoso-t did not answer on {endpoint} within {startup:g} s") from None
                time.sleep(0.5)
        yield endpoint, sql_port
    finally:
        with contextlib.suppress(Exception):
            isql(sql_port, "shutdown;", timeout=30)
        stop(process, grace=20)
        log.close()


def virtuoso_load(sql_port: int, data: Path, graph: str) -> None:
    """Load an N-Triples file (inside the database folder, which DirsAllowed permits) into ``graph``."""
    isql(sql_port, f"DB.DBA.TTLP(file_to_string_output('{data}'), '', '{graph}', 0);")
    isql(sql_port, "checkpoint;")
