"""Links into other catalogues: verified, generated reproducibly, reported, and exported as SSSOM."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import rows

REPO = Path(__file__).resolve().parent.parent
VENDOR = REPO.parent / "shared" / "vendor"
LINKS = REPO / "data" / "links"
VENDOR_SOURCES = {
    "https://w3id.org/oaik/id/source/osai-index": "osai-index",
    "https://w3id.org/oaik/id/source/model-openness-tool": "model-openness-tool",
}


@pytest.fixture(scope="module")
def links(store):
    from oaik.publish.links import collect_links

    return collect_links(store)


@pytest.fixture(scope="module")
def vendor_evidence(store):
    return rows(
        store,
        """
        SELECT ?entity ?p ?value ?e ?source ?section ?quote ?status WHERE {
          ?entity ?p ?value ; oaik:evidence ?e .
          ?e dcterms:source ?source ; oaik:section ?section ; oaik:quote ?quote ; oaik:claimStatus ?status .
          VALUES ?source { source:osai-index source:model-openness-tool }
          VALUES ?p { schema:url oaik:huggingFaceUrl oaik:githubUrl owl:sameAs skos:exactMatch }
          FILTER(CONTAINS(?quote, STR(?value)))
        } ORDER BY ?e""",
    )


def test_vendor_links_are_what_the_script_generates():
    if not VENDOR.is_dir():
        pytest.skip(f"the vendored data is not beside this checkout ({VENDOR} is absent)")
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "vendor_links.py"), "--check"], capture_output=True, text=True
    )
    assert done.returncode == 0, f"data/links/ is out of date: run `python scripts/vendor_links.py`\n{done.stderr}"


def test_every_vendor_link_has_its_evidence(store, vendor_evidence):
    linked = rows(
        store,
        """
        SELECT DISTINCT ?e WHERE { ?e a oaik:Evidence ; dcterms:source ?source . VALUES ?source { source:osai-index source:model-openness-tool } }""",
    )
    explained = {row["e"] for row in vendor_evidence}
    unexplained = sorted(row["e"] for row in linked if row["e"] not in explained)
    assert not unexplained, f"vendor evidence whose quote holds none of its entity's links: {unexplained}"
    assert len(explained) >= 30


def test_vendor_quotes_are_verbatim_lines(vendor_evidence):
    if not VENDOR.is_dir():
        pytest.skip(f"the vendored data is not beside this checkout ({VENDOR} is absent)")
    missing = []
    for row in vendor_evidence:
        path = VENDOR / VENDOR_SOURCES[row["source"]] / row["section"]
        lines = {line.strip() for line in path.read_text(encoding="utf-8").splitlines()} if path.is_file() else set()
        if row["quote"] not in lines:
            missing.append(f"{row['e']}: {row['quote']!r} is not a line of {path}")
    assert not missing, "\n".join(missing)


def test_inferred_vendor_links_explain_themselves(store):
    unexplained = rows(
        store,
        """
        SELECT ?e WHERE {
          ?e dcterms:source ?source ; oaik:claimStatus claimstatus:inferred .
          VALUES ?source { source:osai-index source:model-openness-tool }
          FILTER NOT EXISTS { ?e oaik:curatorNote ?note }
        }""",
    )
    assert not unexplained


def test_vendor_links_only_touch_curated_entities(store, parsed_files):
    """Files in data/links/ add links and evidence; they never define (type) an entity other than the two sources."""
    from oaik.store.graph import RDF_TYPE

    allowed = {"https://w3id.org/oaik/ns#Evidence", "https://w3id.org/oaik/ns#SourceDocument"}
    for parsed in parsed_files:
        if LINKS in parsed.path.parents:
            types = {t.object.value for t in parsed.triples if t.predicate == RDF_TYPE}
            assert types <= allowed, f"{parsed.path.name} types {sorted(types - allowed)}"
    subjects = {t.subject.value for f in parsed_files if LINKS in f.path.parents for t in f.triples}
    typed_elsewhere = {
        t.subject.value
        for f in parsed_files
        if LINKS not in f.path.parents
        for t in f.triples
        if t.predicate == RDF_TYPE
    }
    orphans = sorted(
        s
        for s in subjects
        if not s.startswith(("https://w3id.org/oaik/id/evidence/", "https://w3id.org/oaik/id/source/"))
        and s not in typed_elsewhere
    )
    assert not orphans, f"data/links/ links entities that data/ does not define: {orphans}"


def test_the_source_documents_credit_the_vendors(store):
    found = rows(
        store,
        """
        SELECT ?s ?citation ?licence WHERE {
          VALUES ?s { source:osai-index source:model-openness-tool }
          ?s a oaik:SourceDocument ; dcterms:bibliographicCitation ?citation ; dcterms:license ?licence }""",
    )
    by_source = {row["s"].rsplit("/", 1)[-1]: row for row in found}
    assert (
        "osai-index.eu" in by_source["osai-index"]["citation"] and "Liesenfeld" in by_source["osai-index"]["citation"]
    )
    assert by_source["osai-index"]["licence"] == "http://spdx.org/licenses/CC-BY-4.0"
    assert "The Model Openness Tool Authors" in by_source["model-openness-tool"]["citation"]
    assert by_source["model-openness-tool"]["licence"] == "http://spdx.org/licenses/MIT"


def test_every_link_is_verified_by_evidence(links):
    """A URL or identifier link must be backed by evidence whose quote holds it (Appendix B, or a vendored file)."""
    unverified = [
        f"{link.entity} {link.predicate} {link.value}"
        for link in links
        if not link.verified_by and not link.identity and link.predicate != "http://purl.org/dc/terms/license"
    ]
    assert not unverified, (
        "links no evidence verifies (add the evidence that quotes them, or drop them):\n" + "\n".join(unverified)
    )


def test_no_unverified_wikidata_or_ror_identifiers(links):
    guessed = [link for link in links if link.target in ("wikidata", "ror") and not link.verified_by]
    assert not guessed


# ---------------------------------------------------------------------------
# Coverage (`oaik links`)
# ---------------------------------------------------------------------------


def test_coverage_counts(store, links):
    from oaik.publish.links import TARGET_KEYS, coverage

    report = coverage(store)
    assert [item.target.key for item in report] == list(TARGET_KEYS)
    for item in report:
        assert len(item.links) == sum(1 for link in links if link.target == item.target.key)
        for _kind, cov in item.kinds.items():
            assert len(cov.linked) + len(cov.unlinked) == cov.total
    projects = next(item for item in report if item.target.key == "huggingface").kinds["project"]
    assert projects.total == 14
    wikidata = next(item for item in report if item.target.key == "wikidata")
    assert wikidata.links or "never guesses" in wikidata.note


def test_links_command_json(capsys):
    from oaik.cli import main

    main(["links", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    keys = [item["target"] for item in report["targets"]]
    assert keys == ["wikidata", "ror", "huggingface", "github", "spdx", "website"]
    huggingface = report["targets"][2]
    assert huggingface["kinds"]["organisation"]["linked"] > 0
    assert all(link["verified_by"] for link in huggingface["link_list"])


def test_links_command_table(capsys):
    from oaik.cli import main

    main(["links", "--target", "wikidata", "--target", "github"])
    out = capsys.readouterr().out
    assert "Wikidata" in out and "GitHub" in out and "Hugging Face" not in out
    assert "not linked (organisation" in out


def test_links_command_rejects_unknown_targets(capsys):
    from oaik.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(["links", "--target", "orcid"])
    assert exit_.value.code == 2
    assert "unknown --target 'orcid'" in capsys.readouterr().err


# ---------------------------------------------------------------------------
# SSSOM
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def crosswalk(store):
    from oaik.publish.links import crosswalk_mappings

    return crosswalk_mappings(store)


@pytest.fixture(scope="module")
def sssom_file(links, crosswalk, store, tmp_path_factory) -> Path:
    from oaik.publish.catalog import imported_sources
    from oaik.publish.links import sssom_tsv

    path = tmp_path_factory.mktemp("sssom") / "oaik.sssom.tsv"
    path.write_text(sssom_tsv(links, crosswalk=crosswalk, sources=imported_sources(store)), encoding="utf-8")
    return path


def test_sssom_parses_and_validates(sssom_file, links, crosswalk):
    pytest.importorskip("sssom", reason="the sssom package is not installed (pip install sssom)")
    from sssom.parsers import parse_sssom_table
    from sssom.validators import validate

    from oaik.publish.links import sssom_links

    msdf = parse_sssom_table(sssom_file)
    validate(msdf, fail_on_error=True)
    frame = msdf.df
    assert len(frame) == len(sssom_links(links)) + len(crosswalk) > 0
    assert set(frame["predicate_id"]) <= {
        "skos:exactMatch",
        "owl:sameAs",
        "skos:closeMatch",
        "skos:broadMatch",
        "skos:narrowMatch",
    }
    assert set(frame["mapping_justification"]) == {"semapv:ManualMappingCuration"}
    # the links and the crosswalk come partly from the indices: OSAI's CC BY 4.0 and MOT's MIT licence need attribution
    assert msdf.metadata["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert {"https://osai-index.eu/", "https://github.com/lfai/model_openness_tool"} <= set(msdf.metadata["see_also"])
    assert "Liesenfeld" in msdf.metadata["mapping_set_description"]
    subjects = set(frame["subject_id"])
    assert "organization:eleutherai" in subjects
    assert all(":" in o for o in frame["object_id"])


def test_sssom_cli_writes_the_same_table(sssom_file, tmp_path):
    from oaik.cli import main

    target = tmp_path / "m.sssom.tsv"
    main(["export", "--format", "sssom", "-o", str(target)])
    assert target.read_text(encoding="utf-8") == sssom_file.read_text(encoding="utf-8")


def test_sssom_holds_the_openness_crosswalk_with_justifications(sssom_file, crosswalk):
    """vocab/osaicriterion.ttl: ten mappings, each with a one-line justification."""
    assert len(crosswalk) == 10
    lines = [
        line.split("\t")
        for line in sssom_file.read_text(encoding="utf-8").splitlines()
        if line.startswith("osaicriterion:")
    ]
    assert ["osaicriterion:model-card", "model card", "skos:exactMatch", "mofcomponent:model-card", "model card"] in [
        row[:5] for row in lines
    ]
    assert len(lines) == 10 and all(row[-1].strip() for row in lines)
