"""Match index entries to OAIK's curated models and organisations, never by a guess.

Rules, in order (each names a concept of the ``matchrule`` scheme):

1. ``curated`` -- a curator's decision in ``data/imports/curation/decisions.tsv``
   (the entry is the OAIK entity, or a release ``part-of`` an OAIK series);
2. ``hugging-face-url`` / ``repository-url`` / ``website`` -- the index gives an
   address an OAIK entity already links to;
3. ``exact-name`` -- the normalised name equals a label of exactly one entity.

A rule that finds several entities is ambiguous: the entry becomes a new
entity and the candidates go to the curation report. Only curated data is
matched against (``data/`` without ``data/imports/``) by these rules, so OSAI's
import depends on no other import.

A MOT release that none of these rules matches is then matched against the
model families OSAI's import made (:class:`IndexCatalogue`, read from
``data/imports/osai/``; ``RESOLVES_AGAINST``), so that a model in both indices
but not in the curated graph is one place where their grades meet. The
evidence is the same kind, and its rule is recorded the same way: a shared
Hugging Face repository, repository or website, or an equal normalised name,
the latter only when the producers or the Hugging Face owners agree. Which
relation it is, is read from the names (:func:`_relation`): the release *is*
the OSAI entry (``same``) when that entry has the release's name and links
it; it is *part of* the OSAI family when the entry's name is contained in the
release's name or in the name of the release the entry links (OSAI names its
entries for the family and grades each through one release). Anything else,
and a release whose name merely begins with an OSAI entry's name, is listed
for a curator, never merged. MOT's import must therefore follow OSAI's, and
OSAI's import says when MOT's must be re-run.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from oaik.errors import OaikError
from oaik.namespaces import ID

MODEL = "https://w3id.org/oaik/ns#Model"
ORGANIZATION = "http://www.w3.org/ns/org#Organization"
DECISION_COLUMNS = ["index", "file", "kind", "relation", "entity", "justification"]
#: An index whose import also matches against the entities another index's import made -> that index.
RESOLVES_AGAINST = {"mot": "osai"}
#: First path segments of huggingface.co addresses that are not a model repository (owner/name).
_NOT_HF_OWNERS = frozenset({"docs", "datasets", "spaces", "blog", "papers", "collections", "organizations", "models"})


def normal_name(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "", ascii_text.lower())


def normal_url(url: str) -> str:
    text = url.strip().lower().split("#", 1)[0].split("?", 1)[0]
    text = re.sub(r"^https?://", "", text)
    return text.removeprefix("www.").rstrip("/")


def hugging_face_repo(url: str) -> tuple[str, str] | None:
    """(owner, normalised repository name) of a Hugging Face model address, else None."""
    parts = normal_url(url).split("/")
    if len(parts) < 3 or parts[0] != "huggingface.co" or parts[1] in _NOT_HF_OWNERS:
        return None
    return parts[1], normal_name(parts[2])


@dataclass(frozen=True)
class Match:
    entity: str  # IRI
    rule: str  # matchrule slug
    part_of: str | None = None  # set when the entry is a new release of this OAIK series
    candidates: tuple[str, ...] = ()  # set when a rule was ambiguous
    across: str | None = None  # the other index whose import's entity the entry was matched to


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
    names: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # entity -> normalised labels


@dataclass(frozen=True)
class Indexed:
    """A model another index's import made, as its Turtle describes it."""

    iri: str
    name: str  # the index's name, normalised (its skos:altLabel)
    label: str  # the index's name as written
    urls: frozenset[str]  # normalised addresses
    orgs: frozenset[str]  # producer IRIs
    org_names: frozenset[str]  # the producers' normalised names

    @property
    def repos(self) -> set[tuple[str, str]]:
        return {repo for url in self.urls if (repo := hugging_face_repo(url))}


@dataclass
class IndexCatalogue:
    """The models an earlier import (OSAI's) made, indexed by their links and names."""

    index: str
    models: dict[str, Indexed] = field(default_factory=dict)
    by_url: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_name: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    orgs_by_name: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # the organisations it made

    def add(self, model: Indexed) -> None:
        self.models[model.iri] = model
        for url in model.urls:
            self.by_url[url].add(model.iri)
        self.by_name[model.name].add(model.iri)

    def signature(self) -> list[Indexed]:
        return sorted(self.models.values(), key=lambda m: m.iri)


Ambiguous = tuple[str, str, str, str, tuple[str, ...], str]  # index, file, kind, name, candidates, reason


class Resolver:
    def __init__(
        self,
        models: Catalogue,
        orgs: Catalogue,
        decisions: dict[tuple[str, str, str], Decision],
        other: IndexCatalogue | None = None,
    ):
        self.models, self.orgs, self.decisions, self.other = models, orgs, decisions, other
        self.ambiguous: list[Ambiguous] = []

    def model(
        self,
        index: str,
        file: str,
        name: str,
        urls: list[tuple[str, str]],
        new_iri: str,
        producers: Sequence[tuple[str, str]] = (),
    ) -> Match:
        """Match a model entry; ``producers`` are its organisations as (IRI, name), to corroborate a name."""
        match = self._match(self.models, index, file, "model", name, urls, new_iri)
        if match.rule == "new-entity" and not match.candidates and self.other is not None:
            match = self._across(self.other, index, file, name, urls, new_iri, producers)
        if match.rule == "new-entity" and not match.candidates:
            return self._curated_candidates(index, file, name, new_iri)
        return match

    def _curated_candidates(self, index: str, file: str, name: str, new_iri: str) -> Match:
        """A new model whose name and a curated model's name begin alike (one is the start of the other, four
        letters or digits at least): listed for a curator, never merged ('Command-R' and Cohere's 'Command',
        but also 'BloombergGPT' and 'BLOOM')."""
        normal = normal_name(name)
        found = {
            entity
            for entity, labels in self.models.names.items()
            for label in labels
            if label != normal
            and min(len(label), len(normal)) >= 4
            and (normal.startswith(label) or label.startswith(normal))
        }
        if not found:
            return Match(new_iri, "new-entity")
        reason = (
            "its name and the name of a curated OAIK model begin alike: perhaps that model, a release of it, "
            "or another model; read both"
        )
        return self._ambiguous(index, file, "model", name, found, new_iri, reason)

    def organization(self, index: str, file: str, name: str, urls: list[tuple[str, str]], new_iri: str) -> Match:
        """Match an organisation an entry names: to a curated one, else to one the other index's import made
        under the same normalised name (one organisation, one entity, whichever index names it first)."""
        match = self._match(self.orgs, index, file, "organization", name, urls, new_iri)
        if match.rule != "new-entity" or match.candidates or self.other is None:
            return match
        found = self.other.orgs_by_name.get(normal_name(name), set()) if normal_name(name) else set()
        if len(found) == 1:
            return Match(next(iter(found)), "exact-name", across=self.other.index)
        if len(found) > 1:
            reason = f"several {self.other.index.upper()} organisations bear this name"
            return self._ambiguous(index, file, "organization", name, found, new_iri, reason)
        return match

    def _match(self, catalogue: Catalogue, index, file, kind, name, urls, new_iri) -> Match:
        decision = self.decisions.get((index, file, kind if kind == "model" else f"organization:{normal_name(name)}"))
        if decision is None and kind == "organization":
            decision = self.decisions.get((index, file, "organization"))
        if decision is not None:
            across = self.other.index if self.other and decision.entity in self.other.models else None
            if decision.relation == "part-of":
                return Match(new_iri, "curated", part_of=decision.entity, across=across)
            return Match(decision.entity, "curated", across=across)
        for rule, url in urls:
            found = catalogue.by_url.get(normal_url(url), set())
            if len(found) == 1:
                return Match(next(iter(found)), rule)
            if len(found) > 1:
                return self._ambiguous(
                    index, file, kind, name, found, new_iri, "several OAIK entities link this address"
                )
        found = catalogue.by_name.get(normal_name(name), set())
        if len(found) == 1:
            return Match(next(iter(found)), "exact-name")
        if len(found) > 1:
            return self._ambiguous(index, file, kind, name, found, new_iri, "several OAIK entities bear this name")
        return Match(new_iri, "new-entity")

    def _across(
        self,
        other: IndexCatalogue,
        index: str,
        file: str,
        name: str,
        urls: list[tuple[str, str]],
        new_iri: str,
        producers: Sequence[tuple[str, str]],
    ) -> Match:
        """Match a release to a model the other index's import made: same, part-of, listed, or new."""
        who = other.index.upper()
        by_address: dict[str, tuple[str, str]] = {}  # entity -> (rule, normalised address), the first that links it
        for rule, url in urls:
            address = normal_url(url)
            if address.startswith("huggingface.co/") and hugging_face_repo(url) is None:
                continue  # an owner's page, a collection or a dataset: not the address of one model
            for iri in other.by_url.get(address, ()):
                by_address.setdefault(iri, (rule, address))
        normal = normal_name(name)
        found = set(by_address) | other.by_name.get(normal, set())
        if not found:
            return self._prefix_candidates(other, index, file, name, urls, new_iri, producers)
        if len(found) > 1:
            reason = f"several {who} entries share its address or name"
            return self._ambiguous(index, file, "model", name, found, new_iri, reason)
        target = other.models[next(iter(found))]
        if target.iri in by_address:
            rule, address = by_address[target.iri]
        else:
            rule, address = "exact-name", ""
            if not _same_producer(target, urls, producers, self.orgs.names):
                reason = f"same name as the {who} entry, but neither the producers nor the Hugging Face owners agree"
                return self._ambiguous(index, file, "model", name, found, new_iri, reason)
        relation, reason = _relation(target, normal, address, who)
        if relation == "same":
            return Match(target.iri, rule, across=other.index)
        if relation == "part-of":
            return Match(new_iri, rule, part_of=target.iri, across=other.index)
        return self._ambiguous(index, file, "model", name, found, new_iri, reason)

    def _prefix_candidates(self, other, index, file, name, urls, new_iri, producers) -> Match:
        """A release whose name begins with an entry's name, from the same producer: listed, never merged."""
        normal = normal_name(name)
        found = {
            iri
            for iri, model in other.models.items()
            if len(model.name) > 1
            and normal.startswith(model.name)
            and normal != model.name
            and _same_producer(model, urls, producers, self.orgs.names)
        }
        if not found:
            return Match(new_iri, "new-entity")
        reason = (
            f"its name begins with the name of the {other.index.upper()} entry and the producer or Hugging Face "
            "owner agrees: perhaps a release of that family"
        )
        return self._ambiguous(index, file, "model", name, found, new_iri, reason)

    def _ambiguous(self, index, file, kind, name, found, new_iri, reason: str) -> Match:
        candidates = tuple(sorted(found))
        self.ambiguous.append((index, file, kind, name, candidates, reason))
        return Match(new_iri, "new-entity", candidates=candidates)


def _same_producer(
    target: Indexed, urls: list[tuple[str, str]], producers: Sequence[tuple[str, str]], org_names: dict[str, set[str]]
) -> bool:
    """Whether a release and an entry of the other index have a producer, or a Hugging Face owner, in common."""
    if {iri for iri, _name in producers} & target.orgs:
        return True
    names = {normal_name(name) for _iri, name in producers}
    names |= {label for iri, _name in producers for label in org_names.get(iri, ())}
    if names & target.org_names:
        return True
    owners = {repo[0] for _rule, url in urls if (repo := hugging_face_repo(url))}
    return bool(owners & {owner for owner, _repo in target.repos})


def _relation(target: Indexed, name: str, address: str, who: str) -> tuple[str | None, str]:
    """('same' | 'part-of' | None, why neither) for a release named ``name`` (normalised) matched to ``target``.

    ``address`` is the normalised address both link ('' when only their names agree).
    Both link it: the release is the entry when their names are equal, and part of
    the entry's family when the entry's name is a proper part of the release's name
    or of the name of the Hugging Face repository both link (OSAI names an entry
    for its family and grades it through one release). Only the names agree: the
    release is part of the entry's family when the entry links a Hugging Face
    repository whose name properly contains the entry's name (the entry grades its
    family through another release). Otherwise the files do not say which it is.
    """
    family = target.name
    if not family:
        return None, f"the {who} entry's name has no letters or digits to compare"
    if address:
        linked = hugging_face_repo(address)
        if name == family:
            return "same", ""
        if family in name or (linked is not None and family in linked[1] and family != linked[1]):
            return "part-of", ""
        return None, (
            f"the {who} entry links this release but names it {target.label!r}: cannot tell whether that is "
            "another name of the release or its family's name"
        )
    if any(family in repo and family != repo for _owner, repo in target.repos):
        return "part-of", ""
    return None, (
        f"same name as the {who} entry, but the files do not tell whether that entry grades this very release "
        "(same) or another release of its family (part-of)"
    )


def load_resolver(decisions_file: Path, index: str | None = None, imports: Path | None = None) -> Resolver:
    """Index the curated graph (data/ without data/imports/) and read the curator's decisions.

    When ``index`` is one that also matches against another index's import (MOT against OSAI),
    that import is read from ``imports/<other>/`` if it has been made.
    """
    from oaik.paths import data_dir, graph_files
    from oaik.store.graph import parse_files, select_rows, to_store

    data_imports = data_dir() / "imports"
    files = [f for f in graph_files() if data_imports not in f.parents]
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
            catalogue.names[entity].add(normal_name(value))
        else:
            catalogue.by_url[normal_url(value)].add(entity)
    known = catalogues[MODEL].known | catalogues[ORGANIZATION].known
    other = None
    if index in RESOLVES_AGAINST and imports is not None:
        other = index_catalogue(imports / RESOLVES_AGAINST[index], catalogues[ORGANIZATION].names)
    decisions = read_decisions(decisions_file, known, other, index)
    return Resolver(catalogues[MODEL], catalogues[ORGANIZATION], decisions, other)


def index_catalogue(folder: Path, curated_org_names: dict[str, set[str]] | None = None) -> IndexCatalogue | None:
    """The models an import wrote to ``folder`` (data/imports/osai), or None if it has not been made."""
    from oaik.paths import turtle_files
    from oaik.store.graph import parse_files, select_rows, to_store

    if not folder.is_dir():
        return None
    store = to_store(parse_files(turtle_files(folder)))
    org_names: dict[str, set[str]] = defaultdict(set)
    for iri, names in (curated_org_names or {}).items():
        org_names[iri] |= names
    catalogue = IndexCatalogue(folder.name)
    made = f"{ID}org/{folder.name}-"
    for row in select_rows(store, "SELECT ?o ?n WHERE { ?o a org:Organization ; rdfs:label|skos:altLabel ?n }"):
        org_names[row["o"] or ""].add(normal_name(row["n"] or ""))
    for row in select_rows(store, "SELECT ?o ?n WHERE { ?o a org:Organization ; skos:altLabel ?n }"):
        if (row["o"] or "").startswith(made):  # the index's own name for an organisation its import made
            catalogue.orgs_by_name[normal_name(row["n"] or "")].add(row["o"] or "")
    facts: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in select_rows(
        store,
        """SELECT ?m ?p ?v WHERE {
          ?m a oaik:Model .
          VALUES ?p { skos:altLabel oaik:huggingFaceUrl oaik:githubUrl schema:url oaik:producedBy }
          ?m ?p ?v .
        }""",
    ):
        facts[row["m"] or ""][(row["p"] or "").rsplit("#", 1)[-1].rsplit("/", 1)[-1]].add(row["v"] or "")
    for iri, by in sorted(facts.items()):
        label = min(by.get("altLabel") or {iri.rsplit("/", 1)[-1]})
        orgs = frozenset(by.get("producedBy", set()))
        catalogue.add(
            Indexed(
                iri,
                normal_name(label),
                label,
                frozenset(normal_url(u) for p in ("huggingFaceUrl", "githubUrl", "url") for u in by.get(p, set())),
                orgs,
                frozenset(name for org in orgs for name in org_names.get(org, set())),
            )
        )
    return catalogue


def read_decisions(
    path: Path, known: set[str], imported: IndexCatalogue | None = None, importing: str | None = None
) -> dict[tuple[str, str, str], Decision]:
    """The curator's decisions: (index, file, kind) -> decision; a bad row is an error naming its line.

    A decision names a curated entity (``known``); a MOT row may instead name a model OSAI's
    import made (``RESOLVES_AGAINST``), checked against ``imported`` when MOT is the index
    ``importing``, else only for its form (OSAI's import does not use MOT's rows).
    """
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
            problem = _imported_target_problem(row, iri, imported, importing)
        if problem is None and not (row["justification"] or "").strip():
            problem = "the justification is empty; say why the entry is this entity"
        elif problem is None and not (row["kind"] or "").startswith(("model", "organization")):
            problem = f"kind {row['kind']!r} is not 'model' or 'organization[:<normalised name>]'"
        if problem:
            raise OaikError(f"{path}:{number}: {problem}. Fix that row (columns: {' '.join(DECISION_COLUMNS)}).")
        decisions[(row["index"], row["file"], row["kind"])] = Decision(row["relation"], iri, row["justification"])
    return decisions


def _imported_target_problem(
    row: dict[str, str], iri: str, imported: IndexCatalogue | None, importing: str | None
) -> str | None:
    """None if a decision may name ``iri``, a model another index's import made; else what is wrong."""
    against = RESOLVES_AGAINST.get(row["index"])
    if against is None or not iri.startswith(f"{ID}model/{against}-") or row["kind"] != "model":
        also = f", nor a model the {against.upper()} import made" if against else ""
        return f"entity {row['entity']!r} is not a curated OAIK model or organisation{also}"
    if row["index"] != importing:
        return None  # checked when that index is imported
    if imported is None or iri not in imported.models:
        return (
            f"entity {row['entity']!r} is not a model the {against.upper()} import made "
            f"(import {against} first, and check the slug in data/imports/{against}/)"
        )
    return None
