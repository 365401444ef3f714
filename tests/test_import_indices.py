"""The imported openness indices in data/imports/: regenerated equal, evidenced, resolved and queried as hand-checked.

Golden answers were read by hand from the vendored YAML files (named in each
test) before the queries were run. Tests that need ../shared/vendor skip when
it is absent (a user's clone has none); the others read the committed files.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import rows

from oaik.query.backends import EmbeddedBackend
from oaik.query.canned import bind, load_queries

REPO = Path(__file__).resolve().parent.parent
VENDOR = REPO.parent / "shared" / "vendor"
IMPORTS = REPO / "data" / "imports"
CHECKOUTS = {"osai": VENDOR / "osai-index", "mot": VENDOR / "model-openness-tool"}
FIX = "oaik import osai ../shared/vendor/osai-index && oaik import mot ../shared/vendor/model-openness-tool"
ID = "https://w3id.org/oaik/id/"


def need_vendor() -> None:
    if not all(path.is_dir() for path in CHECKOUTS.values()):
        pytest.skip(f"the vendored indices are not beside this checkout ({VENDOR} is absent in a user's clone)")


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    """Both indices imported afresh from ../shared/vendor, with the committed curation decisions."""
    need_vendor()
    from oaik.imports.run import run

    out = tmp_path_factory.mktemp("imports")
    (out / "curation").mkdir()
    shutil.copy(IMPORTS / "curation" / "decisions.tsv", out / "curation" / "decisions.tsv")
    reports = {key: run(key, CHECKOUTS[key], out) for key in ("osai", "mot")}
    return out, reports


def test_committed_imports_are_what_the_importer_writes(regenerated):
    out, _reports = regenerated
    committed = {p.relative_to(IMPORTS).as_posix(): p.read_bytes() for p in IMPORTS.rglob("*") if p.is_file()}
    fresh = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    stale = sorted(name for name in committed.keys() | fresh.keys() if committed.get(name) != fresh.get(name))
    assert not stale, f"data/imports/ is out of date ({', '.join(stale[:5])}, ...): run `{FIX}`"


def test_counts_are_yaml_files_minus_reported_skips(regenerated, store):
    _out, reports = regenerated
    from oaik.imports import mot, osai

    for key, reader in (("osai", osai), ("mot", mot)):
        files = len(reader.model_files(CHECKOUTS[key]))
        found = rows(
            store,
            f"SELECT (COUNT(?a) AS ?n) WHERE {{ ?a a oaik:OpennessAssessment ; oaik:snapshot source:{key}-snapshot }}",
        )
        assert int(found[0]["n"]) == files - len(reports[key].skipped) == reports[key].imported


def test_every_imported_claim_cites_an_existing_line_at_the_upstream_commit(store):
    need_vendor()
    evidence = rows(
        store,
        """
        SELECT ?claim ?snapshot ?section ?line ?quote ?commit WHERE {
          ?claim a oaik:GradeClaim ; oaik:evidence ?e .
          ?e dcterms:source ?snapshot ; oaik:section ?section ; oaik:line ?line ; oaik:quote ?quote .
          ?snapshot prov:wasDerivedFrom ?commit .
        }""",
    )
    claims = rows(store, "SELECT (COUNT(?c) AS ?n) WHERE { ?c a oaik:GradeClaim }")
    assert len({row["claim"] for row in evidence}) == int(claims[0]["n"]) > 6000
    commits = {}
    for key, checkout in CHECKOUTS.items():
        commits[key] = re.search(r"commit\s+([0-9a-f]{40})", (checkout / "SOURCE.md").read_text()).group(1)
    cache: dict[Path, list[str]] = {}
    wrong = []
    for row in evidence:
        key = row["snapshot"].rsplit("/", 1)[1].removesuffix("-snapshot")
        path = CHECKOUTS[key] / row["section"]
        if path not in cache:
            cache[path] = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
        lines, line = cache[path], int(row["line"])
        if not (0 < line <= len(lines) and lines[line - 1].strip() == row["quote"]):
            wrong.append(f"{row['claim']}: line {line} of {path} is not {row['quote']!r}")
        if not row["commit"].endswith(f"/commit/{commits[key]}"):
            wrong.append(f"{row['claim']}: cites {row['commit']}, not the vendored commit {commits[key]}")
    assert not wrong, "\n".join(wrong[:20])


# ---------------------------------------------------------------------------
# Entity resolution: the 14 projects' models that appear in an index
# (read by hand from the vendored files' system/release names and links)
# ---------------------------------------------------------------------------

SAME = [
    ("osai-olmo", "model/olmo", "exact-name"),  # OLMo.yaml: name: OLMo
    ("osai-pythia", "model/pythia", "exact-name"),  # Pythia.yaml: name: Pythia
    ("osai-bielik", "model/bielik", "exact-name"),  # Bielik.yaml: name: Bielik (an alternative label)
    ("osai-smollm", "model/smollm", "exact-name"),  # smollm.yaml: name: SmolLM
    ("osai-llama-2-chat", "model/llama-2", "exact-name"),  # llama-2-chat.yaml: name: Llama 2
    ("osai-llama-3-instruct", "model/llama-3", "hugging-face-url"),  # link verified in data/links
    ("osai-llama-4", "model/llama-4", "exact-name"),
    ("osai-teuken", "model/teuken-7b", "curated"),  # Teuken.yaml: OpenGPT-X's Teuken-7B
    ("mot-bloom", "model/bloom", "hugging-face-url"),  # models/BLOOM.yml: bigscience/bloom
    ("mot-gpt-neox-20b", "model/gpt-neox", "hugging-face-url"),  # EleutherAI/gpt-neox-20b
    ("mot-olmo-7b", "model/olmo-7b", "hugging-face-url"),  # allenai/OLMo-7B
    ("mot-llama-3-1-8b", "model/llama-3-1-8b", "hugging-face-url"),
]
PART_OF = [
    ("osai-aquilachat", "model/aquila"),
    ("osai-bloomz", "model/bloom"),
    ("mot-sea-lion", "model/sea-lion-v1"),
    ("mot-aquila-7b", "model/aquila"),
    ("mot-pythia-12b", "model/pythia"),
    ("mot-olmo-1b-hf", "model/olmo"),
    ("mot-llama-2-7b", "model/llama-2"),
]


@pytest.mark.parametrize("assessment,entity,rule", SAME, ids=[a for a, _e, _r in SAME])
def test_index_entries_resolve_to_the_papers_models(store, assessment, entity, rule):
    found = rows(
        store,
        f"SELECT ?about ?rule WHERE {{ <{ID}assessment/{assessment}> oaik:about ?about ; oaik:matchRule ?rule }}",
    )
    assert [(r["about"], r["rule"].rsplit("/", 1)[1]) for r in found] == [(ID + entity, rule)]


@pytest.mark.parametrize("assessment,series", PART_OF, ids=[a for a, _s in PART_OF])
def test_releases_are_linked_to_the_papers_series(store, assessment, series):
    found = rows(
        store,
        f"SELECT ?series WHERE {{ <{ID}assessment/{assessment}> oaik:about/dcterms:isPartOf ?series }}",
    )
    assert [r["series"] for r in found] == [ID + series]


# MOT releases matched to the model families the OSAI import made (read by hand from both YAML files):
# SantaCoder.yaml names SantaCoder and links bigcode/santacoder, as models/SantaCoder.yml does (same);
# Granite.yaml names the family Granite and links ibm-granite/granite-4.0-h-small, the release
# models/Granite-4.0-H-Small.yml evaluates (part-of); GPT-OSS.yaml (GPT OSS) links openai/gpt-oss-120b
# (part-of); Jais.yaml grades Jais through Jais-2-70B-Chat while models/Jais.yml is a 13B release named
# Jais, linking the same Hugging Face owner inceptionai (part-of by name); models/T5.yml: a curator's decision.
ACROSS = [
    ("mot-santacoder", "model/osai-santacoder", None, "hugging-face-url"),
    ("mot-granite-4-0-h-small", "model/mot-granite-4-0-h-small", "model/osai-granite", "hugging-face-url"),
    ("mot-gpt-oss-120b", "model/mot-gpt-oss-120b", "model/osai-gpt-oss", "hugging-face-url"),
    ("mot-jais", "model/mot-jais", "model/osai-jais", "exact-name"),
    ("mot-t5", "model/mot-t5", "model/osai-t5", "curated"),
]


@pytest.mark.parametrize("assessment,entity,family,rule", ACROSS, ids=[a for a, *_rest in ACROSS])
def test_mot_releases_resolve_to_osai_families(store, assessment, entity, family, rule):
    found = rows(
        store,
        f"""SELECT ?about ?rule ?family WHERE {{
          <{ID}assessment/{assessment}> oaik:about ?about ; oaik:matchRule ?rule .
          OPTIONAL {{ ?about dcterms:isPartOf ?family }} }}""",
    )
    assert [(r["about"], r["family"], r["rule"].rsplit("/", 1)[1]) for r in found] == [
        (ID + entity, ID + family if family else None, rule)
    ]


def test_ling_is_linked_through_its_organisation(store):
    """Ling.yaml: org name 'Inclusion AI' is OAIK's inclusionAI (Ant Group's lab); Ling itself is new."""
    found = rows(store, "SELECT ?org WHERE { assessment:osai-ling oaik:about/oaik:producedBy ?org }")
    assert [r["org"] for r in found] == [ID + "org/inclusionai"]


def test_no_ambiguous_match_was_merged():
    for key in ("osai", "mot"):
        lines = (IMPORTS / "curation" / f"{key}-ambiguous.tsv").read_text(encoding="utf-8").splitlines()
        entries = [line for line in lines if line and not line.startswith("#")][1:]
        for line in entries:
            file = line.split("\t")[1]
            slug = re.sub(r"[^a-z0-9]+", "-", Path(file).stem.lower()).strip("-")
            text = (IMPORTS / key / f"{slug}.ttl").read_text(encoding="utf-8")
            assert "matchrule:new-entity" in text


# ---------------------------------------------------------------------------
# Disagreements, hand-checked:
# Pythia.yaml line 53-54 'trainingcode: class: open' and line 33-34
# 'datasources_basemodel: class: open'; models/Pythia-14M.yml lists only
# Model architecture, Model parameters (Final) and Research paper, so its
# Training code and Datasets are absent. The crosswalk maps trainingcode and
# datasources_basemodel as close matches of those components.
# Across the indices' own entities (matched above):
# Granite.yaml lines 84-85 'datasheet: class: closed'; models/Granite-4.0-H-Small.yml
# lists a 'Data card' (line 31) with no licence of its own, so it inherits the
# distribution licence Apache-2.0: open. datasheet is a close match of data card.
# SantaCoder.yaml lines 53-54 'trainingcode: class: open'; models/SantaCoder.yml
# lists no 'Training code' component: absent.
# Jais.yaml lines 53-54 'trainingcode: class: closed' (the index grades Jais-2-70B-Chat);
# models/Jais.yml (a 13B release) lists 'Training code' under Apache-2.0: open.
# ---------------------------------------------------------------------------

HAND_CHECKED = [
    ("osai-pythia-training-code", "mot-pythia-14m-training-code", "another release of the family"),
    ("osai-pythia-datasources-basemodel", "mot-pythia-14m-datasets", "base model and a release"),
    ("osai-granite-datasheet", "mot-granite-4-0-h-small-data-card", "release the OSAI entry links"),
    ("osai-santacoder-training-code", "mot-santacoder-training-code", "same model"),
    ("osai-jais-training-code", "mot-jais-training-code", "another release of the family"),
]


@pytest.mark.parametrize("osai,mot,comparison", HAND_CHECKED)
def test_hand_checked_disagreements_are_recorded(store, osai, mot, comparison):
    conflict = rows(
        store, f"SELECT ?o WHERE {{ <{ID}claim/{osai}> oaik:conflictsWith ?o . FILTER(?o = <{ID}claim/{mot}>) }}"
    )
    assert len(conflict) == 1


def run_query(store, name: str, **params) -> list[dict[str, str]]:
    result = EmbeddedBackend(store).run(bind(load_queries()[name], params))
    return [{var: row[var]["value"] for var in row} for row in result.bindings]


def test_disagreements_query_lists_the_hand_checked_pairs_with_what_they_compare(store):
    pairs = {
        (r["osaiClaim"].rsplit("/", 1)[1], r["motClaim"].rsplit("/", 1)[1], r["comparison"])
        for r in run_query(store, "openness-disagreements")
    }
    assert set(HAND_CHECKED) <= pairs


def test_a_base_model_grade_is_not_compared_as_the_release_the_entry_links(store):
    """Snowflake Arctic.yaml grades the base model's weights closed (line 44) and the end model's open (line 48);
    its system link is the Arctic-Instruct repository, MOT's models/Arctic-Instruct.yml. The closed base weights
    against Arctic-Instruct's open parameters are two models, not the release the entry links."""
    pairs = {
        (r["osaiClaim"].rsplit("/", 1)[1], r["motClaim"].rsplit("/", 1)[1]): r["comparison"]
        for r in run_query(store, "openness-disagreements")
    }
    key = ("osai-snowflake-arctic-weights-basemodel", "mot-arctic-instruct-model-parameters-final")
    assert pairs[key] == "base model and a release"
    assert all(
        comparison == "base model and a release" for (osai, _mot), comparison in pairs.items() if "basemodel" in osai
    )


def test_disagreements_file_heads_each_pair_with_what_it_compares():
    text = (IMPORTS / "disagreements.ttl").read_text(encoding="utf-8")
    for osai, mot, comparison in HAND_CHECKED:
        block = next(b for b in text.split("\n\n") if f"claim:{osai} oaik:conflictsWith claim:{mot} ." in b)
        assert block.startswith(f"# {comparison} (")


def test_openness_profile_of_bielik(store):
    """Bielik.yaml, read by hand: each criterion's class: line (38 ... 95) and its link: line where the link is not empty;
    the Model Openness Tool has no Bielik release."""
    found = [
        (r["criterionLabel"], r["gradeLabel"], " ".join(sorted(r["lines"].split(), key=int)))
        for r in run_query(store, "openness-profile", model="model:bielik")
    ]
    assert found == [
        ("base model data", "closed", "38 39"),
        ("end model data", "closed", "43 44"),
        ("base model weights", "partial", "48 49"),
        ("end model weights", "partial", "53 54"),
        ("training code", "closed", "58"),
        ("code documentation", "closed", "64"),
        ("hardware architecture", "closed", "69"),
        ("preprint", "open", "74 75"),
        ("peer-reviewed paper", "closed", "79"),
        ("model card", "open", "84 85"),
        ("datasheet", "open", "89 90"),
        ("licences", "partial", "95 96"),
    ]


def test_projects_with_open_data_and_weights_include_pythia_by_both_indices(store):
    """Pythia.yaml: base model data and weights open (lines 34, 44); models/Pythia-12B.yml lists Datasets and
    final parameters under Apache-2.0. Bielik.yaml grades both closed/partial, so SpeakLeash is absent."""
    found = {
        (r["projectLabel"], r["frameworkLabel"], r["indexedName"])
        for r in run_query(store, "openness-open-data-and-weights")
    }
    assert ("EleutherAI (Pythia)", "European Open Source AI Index criteria", "Pythia") in found
    assert ("EleutherAI (Pythia)", "Model Openness Framework 1.0", "Pythia-12B") in found
    assert not any("SpeakLeash" in project for project, _f, _n in found)


def test_coverage_lists_aya_which_neither_index_assesses(store):
    """No OSAI or MOT file names Aya as its model (Maya.yaml is Maya Research's Maya1, not Cohere's Aya)."""
    found = {r["model"] for r in run_query(store, "openness-coverage")}
    assert ID + "model/aya" in found
    assert ID + "model/pythia" not in found and ID + "model/bloom" not in found


def test_grades_of_different_frameworks_are_never_pooled(store):
    mixed = rows(
        store,
        "SELECT ?c WHERE { ?c a oaik:GradeClaim ; oaik:framework ?f ; oaik:assessment/oaik:framework ?g . FILTER(?f != ?g) }",
    )
    assert not mixed
    for row in run_query(store, "openness-by-governance-model"):
        assert row["frameworkLabel"] in ("European Open Source AI Index criteria", "Model Openness Framework 1.0")


def test_imported_sources_credit_the_indices(store):
    found = rows(
        store,
        """SELECT ?s ?licence ?citation ?url WHERE {
          VALUES ?s { source:osai-snapshot source:mot-snapshot }
          ?s dcterms:license ?licence ; dcterms:bibliographicCitation ?citation ; schema:url ?url }""",
    )
    by = {r["s"].rsplit("/", 1)[1]: r for r in found}
    assert by["osai-snapshot"]["licence"] == "http://spdx.org/licenses/CC-BY-4.0"
    assert (
        "https://osai-index.eu/" in by["osai-snapshot"]["citation"] and "Liesenfeld" in by["osai-snapshot"]["citation"]
    )
    assert by["mot-snapshot"]["licence"] == "http://spdx.org/licenses/MIT"
    for path in (IMPORTS / "osai").glob("*.ttl"):
        assert "https://osai-index.eu/" in path.read_text(encoding="utf-8").split("@prefix", 1)[0], path


def test_the_catalogue_records_credit_the_indices(store):
    from oaik.publish.catalog import dcat_record, serialize, void_description

    dcat = serialize(dcat_record(store)).decode("utf-8")
    assert "https://osai-index.eu/" in dcat and "Liesenfeld" in dcat
    assert "main-database/commit/" in dcat and "model_openness_tool/commit/" in dcat
    void = serialize(void_description(store)).decode("utf-8")
    assert "main-database/commit/" in void
