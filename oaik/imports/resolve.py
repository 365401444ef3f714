"""Match index entries to OAIK's curated models and organisations, never by a guess.

Rules, in order (each names a concept of the ``matchrule`` scheme):

1. ``curated`` -- a curator's decision in ``data/imports/curation/decisions.tsv``
   (the entry is the OAIK entity, or a release ``part-of`` an OAIK series);
2. ``hugging-face-url`` / ``repository-url`` / ``website`` -- the index gives an
   address an OAIK entity already links to;
3. ``exact-name`` -- the normalised name equals a label of exactly one entity.

A rule that finds several entities is ambiguous: the entry becomes a new
entity and the candidates go to the curation report. Only curated data is
matched against (``data/`` without ``data/imports/``), so the result does not
depend on which index was imported first.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from oaik.errors import OaikError
from oaik.namespaces import ID

MODEL = "https://w3id.org/oaik/ns#Model"
ORGANIZATION = "http://www.w3.org/ns/org#Organization"
DECISION_COLUMNS = ["index", "file", "kind", "relation", "entity", "justification"]


def normal_name(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "", ascii_text.lower())


def normal_url(url: str) -> str:
    text = url.strip().lower().split("#", 1)[0].split("?", 1)[0]
    text = re.sub(r"^https?://", "", text)
    return text.removeprefix("www.").rstrip("/")


@dataclass(frozen=True)
class Match:
    entity: str  # IRI
    rule: str  # matchrule slug
    part_of: str | None = None  # set when the entry is a new release of this OAIK series
    candidates: tuple[str, ...] = ()  # set when a rule was ambiguous


@dataclass(frozen=True)
class Decision:
    relation: str  # "same" or "part-of"
    entity: str
    justification: str


@dataclass
class Catalogue:
    """OAIK's curated entities of one kind, indexed by their links and names."""

    by_url: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_name: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    known: set[str] = field(default_factory=set)


class Resolver:
    def __init__(self, models: Catalogue, orgs: Catalogue, decisions: dict[tuple[str, str, str], Decision]):
        self.models, self.orgs, self.decisions = models, orgs, decisions
        self.ambiguous: list[tuple[str, str, str, str, tuple[str, ...]]] = []  # index, file, kind, name, candidates

    def model(self, index: str, file: str, name: str, urls: list[tuple[str, str]], new_iri: str) -> Match:
        return self._match(self.models, index, file, "model", name, urls, new_iri)

    def organization(self, index: str, file: str, name: str, urls: list[tuple[str, str]], new_iri: str) -> Match:
        return self._match(self.orgs, index, file, "organization", name, urls, new_iri)

    def _match(self, catalogue: Catalogue, index, file, kind, name, urls, new_iri) -> Match:
        decision = self.decisions.get((index, file, kind if kind == "model" else f"organization:{normal_name(name)}"))
        if decision is None and kind == "organization":
            decision = self.decisions.get((index, file, "organization"))
        if decision is not None:
            if decision.relation == "part-of":
                return Match(new_iri, "curated", part_of=decision.entity)
            return Match(decision.entity, "curated")
        for rule, url in urls:
            found = catalogue.by_url.get(normal_url(url), set())
            if len(found) == 1:
                return Match(next(iter(found)), rule)
            if len(found) > 1:
                return self._ambiguous(index, file, kind, name, found, new_iri)
        found = catalogue.by_name.get(normal_name(name), set())
        if len(found) == 1:
            return Match(next(iter(found)), "exact-name")
        if len(found) > 1:
            return self._ambiguous(index, file, kind, name, found, new_iri)
        return Match(new_iri, "new-entity")

    def _ambiguous(self, index, file, kind, name, found, new_iri) -> Match:
        candidates = tuple(sorted(found))
        self.ambiguous.append((index, file, kind, name, candidates))
        return Match(new_iri, "new-entity", candidates=candidates)


def load_resolver(decisions_file: Path) -> Resolver:
    """Index the curated graph (data/ without data/imports/) and read the curator's decisions."""
    from oaik.paths import data_dir, graph_files
    from oaik.store.graph import parse_files, select_rows, to_store

    imports = data_dir() / "imports"
    files = [f for f in graph_files() if imports not in f.parents]
    store = to_store(parse_files(files))
    catalogues = {MODEL: Catalogue(), ORGANIZATION: Catalogue()}
    rows = select_rows(
        store,
        f"""
        SELECT ?class ?e ?p ?v WHERE {{
          VALUES ?class {{ <{MODEL}> <{ORGANIZATION}> }}
          ?e a/rdfs:subClassOf* ?class .
          VALUES ?p {{ rdfs:label skos:altLabel oaik:huggingFaceUrl oaik:githubUrl schema:url }}
          ?e ?p ?v .
          FILTER(STRSTARTS(STR(?e), "{ID}"))
        }}""",
    )
    for row in rows:
        cls, entity, predicate, value = (row[k] or "" for k in ("class", "e", "p", "v"))
        catalogue = catalogues[cls]
        catalogue.known.add(entity)
        if predicate.endswith(("#label", "altLabel")):
            catalogue.by_name[normal_name(value)].add(entity)
        else:
            catalogue.by_url[normal_url(value)].add(entity)
    known = catalogues[MODEL].known | catalogues[ORGANIZATION].known
    return Resolver(catalogues[MODEL], catalogues[ORGANIZATION], read_decisions(decisions_file, known))


def read_decisions(path: Path, known: set[str]) -> dict[tuple[str, str, str], Decision]:
    """The curator's decisions: (index, file, kind) -> decision; a bad row is an error naming its line."""
    if not path.is_file():
        return {}
    from oaik.namespaces import PREFIXES

    decisions: dict[tuple[str, str, str], Decision] = {}
    numbered = [
        (number, line)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if line.strip() and not line.startswith("#")
    ]
    reader = csv.DictReader((line for _n, line in numbered), delimiter="\t")
    if reader.fieldnames != DECISION_COLUMNS:
        raise OaikError(
            f"{path}: the header must be the tab-separated columns {' '.join(DECISION_COLUMNS)}; fix that line."
        )
    for (number, _line), row in zip(numbered[1:], reader, strict=True):
        prefix, _, local = (row["entity"] or "").partition(":")
        iri = PREFIXES[prefix] + local if prefix in PREFIXES else ""
        problem = None
        if row["relation"] not in ("same", "part-of"):
            problem = f"relation {row['relation']!r} is not 'same' or 'part-of'"
        elif iri not in known:
            problem = f"entity {row['entity']!r} is not a curated OAIK model or organisation"
        elif not (row["justification"] or "").strip():
            problem = "the justification is empty; say why the entry is this entity"
        elif not (row["kind"] or "").startswith(("model", "organization")):
            problem = f"kind {row['kind']!r} is not 'model' or 'organization[:<normalised name>]'"
        if problem:
            raise OaikError(f"{path}:{number}: {problem}. Fix that row (columns: {' '.join(DECISION_COLUMNS)}).")
        decisions[(row["index"], row["file"], row["kind"])] = Decision(row["relation"], iri, row["justification"])
    return decisions
