"""`oaik import`: the importers on small fixtures written for these tests (no ../shared needed).

Expected grades, lines and matches below were read off the fixture files in
tests/resources/imports/ by hand.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

FIXTURES = Path(__file__).parent / "resources" / "imports"
OAIK = "https://w3id.org/oaik/ns#"
ID = "https://w3id.org/oaik/id/"
GRADE = "https://w3id.org/oaik/vocab/opennessgrade/"


def import_into(out: Path, key: str, capsys) -> tuple[int, str]:
    from oaik.cli import main

    try:
        main(["import", key, str(FIXTURES / key), "--out", str(out)])
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """Both fixtures imported once into a fresh folder; (folder, {index: (exit code, output)})."""
    out = tmp_path_factory.mktemp("imports")
    runs = {}
    for key in ("osai", "mot"):
        from oaik.imports.run import run

        report = run(key, FIXTURES / key, out)
        runs[key] = report
    return out, runs


def grades(path: Path) -> dict[str, str]:
    """criterion slug -> grade slug of the claims of one generated file."""
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    found = {}
    for row in store.query(f"SELECT ?c ?g WHERE {{ ?x <{OAIK}criterion> ?c ; <{OAIK}grade> ?g }}"):
        found[row["c"].value.rsplit("/", 1)[1]] = row["g"].value.removeprefix(GRADE)
    return found


def test_problems_name_file_and_line(imported):
    _out, runs = imported
    lines = {str(p) for p in runs["osai"].problems}
    assert (
        "malformed.yaml:3: YAML syntax error: expected <block end>, but found '<block mapping start>'; file skipped"
        in lines
    )
    assert "no-name.yaml:2: missing system: name: (the model's name); file skipped" in lines
    assert (
        "unknown-grade.yaml:19: datasources_endmodel: class 'opne' is not open, partial, closed or empty; "
        "criterion not imported" in lines
    )
    assert "missing-fields.yaml:57: criterion 'datasheet' is not a mapping with class:/link:; not imported" in lines
    assert "unknown-grade.yaml:7: unknown key system: 'endmodel license'; ignored" in lines
    mot = {str(p) for p in runs["mot"].problems}
    assert (
        "models/Future.yml:2: framework: version: '2.0' has no component scheme in OAIK (known: 1.0); file skipped"
        in mot
    )
    assert "models/Small-1B.yml:48: unknown component 'Vibes'; left out" in mot


def test_duplicate_names_are_notes_and_both_are_imported(imported):
    out, runs = imported
    notes = [p for p in runs["osai"].problems if "also the name" in p.message]
    assert [(p.file, p.dropped) for p in notes] == [("dup-b.yaml", False)]
    assert (out / "osai" / "dup-a.ttl").is_file() and (out / "osai" / "dup-b.ttl").is_file()


def test_a_release_whose_name_two_osai_entries_bear_is_listed_not_merged(imported):
    """models/Twin-A.yml and Twin-B.yml are named Twin, as are dup-a.yaml and dup-b.yaml: which one?"""
    out, _runs = imported
    listed = ambiguous_rows(out)
    for file in ("models/Twin-A.yml", "models/Twin-B.yml"):
        assert listed[file] == ("model:osai-dup-a model:osai-dup-b", "several OSAI entries share its address or name")
    assert "oaik:matchRule matchrule:new-entity ;" in (out / "mot" / "twin-a.ttl").read_text(encoding="utf-8")


def test_counts_are_files_minus_skips(imported):
    out, runs = imported
    for key, files, skipped in (("osai", 8, 2), ("mot", 5, 2)):
        report = runs[key]
        assert (report.files, len(report.skipped), report.imported) == (files, skipped, files - skipped)
        written = [p for p in (out / key).glob("*.ttl") if not p.name.startswith("_")]
        assert len(written) == files - skipped
    # OSAI's submission template is no model: said in the summary, so that files on disk minus skips add up
    assert any(n.startswith("a_submission_template.yaml: ") for n in runs["osai"].notes)


def test_osai_grades_keep_not_assessed_apart(imported):
    out, _runs = imported
    assert grades(out / "osai" / "good-model.ttl") == {
        "datasources-basemodel": "open",
        "datasources-endmodel": "partial",
        "weights-basemodel": "open",
        "weights-endmodel": "closed",
        "training-code": "open",
        "code-documentation": "not-assessed",
        "hardware-architecture": "open",
        "preprint": "open",
        "paper": "closed",
        "model-card": "open",
        "datasheet": "partial",
        "licenses": "open",
    }
    unknown = grades(out / "osai" / "unknown-grade.ttl")
    assert "datasources-endmodel" not in unknown and len(unknown) == 11


def test_mot_grades_absent_closed_and_licence_unknown_apart(imported):
    out, _runs = imported
    found = grades(out / "mot" / "small-1b.ttl")
    assert len(found) == 17
    listed = {
        "model-architecture": "open",  # inherits the distribution licence Apache-2.0
        "training-code": "license-unknown",  # 'unlicensed'
        "model-parameters-final": "restricted",  # Llama 2 Community License
        "datasets": "restricted",  # inherits the data licence CC-BY-NC-4.0
        "research-paper": "open",  # CC-BY-4.0
        "data-card": "absent",  # 'Component not included'
        "model-card": "license-unknown",  # a licence name OAIK does not know
    }
    assert {k: v for k, v in found.items() if k in listed} == listed
    assert {v for k, v in found.items() if k not in listed} == {"absent"}


def test_licences_are_iris_or_kept_names(imported):
    out, _runs = imported
    text = (out / "mot" / "small-1b.ttl").read_text(encoding="utf-8")
    assert "dcterms:license license:llama-2-community-license" in text
    assert 'oaik:licenseName "Some Unknown Licence"' in text
    osai = (out / "osai" / "good-model.ttl").read_text(encoding="utf-8")
    assert "dcterms:license spdx:Apache-2.0 ;\n    dcterms:license spdx:CC-BY-NC-4.0 ;" in osai


def test_evidence_cites_file_line_and_commit(imported):
    out, _runs = imported
    store = ox.Store()
    for path in sorted((out / "osai").glob("*.ttl")):
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    rows = list(
        store.query(
            f"""SELECT ?claim ?section ?line ?quote ?commit WHERE {{
              {{ ?claim a <{OAIK}GradeClaim> }} UNION {{ ?claim a <{OAIK}OpennessAssessment> }}
              ?claim <{OAIK}evidence> ?e .
              ?e <{OAIK}section> ?section ; <{OAIK}line> ?line ; <{OAIK}quote> ?quote ;
                 <http://purl.org/dc/terms/source> ?s .
              ?s <http://www.w3.org/ns/prov#wasDerivedFrom> ?commit }}"""
        )
    )
    claims = {row["claim"].value for row in rows if "/claim/" in row["claim"].value}
    assert len(claims) == 12 * 4 + 11 + 10
    quotes: dict[str, list[str]] = {}
    for row in rows:
        lines = (FIXTURES / "osai" / row["section"].value).read_text(encoding="utf-8").splitlines()
        assert lines[int(row["line"].value) - 1].strip() == row["quote"].value
        assert row["commit"].value.endswith("/commit/0123456789abcdef0123456789abcdef01234567")
        quotes.setdefault(row["claim"].value, []).append(row["quote"].value)
    # every fact has a cited line that holds it: a grade's links, the model's licence and release date
    for row in store.query(f"SELECT ?c ?url WHERE {{ ?c <{OAIK}evidenceUrl> ?url }}"):
        assert any(row["url"].value in quote for quote in quotes[row["c"].value]), row["c"]
    olmo = f"{ID}assessment/osai-olmo"
    assert {"endmodellicense: Apache-2.0", "releasedate: 2024-02"} <= set(quotes[olmo])


def test_a_licence_value_that_names_no_licence_is_not_kept_as_a_licence_name(tmp_path):
    """OSAI writes 'endmodellicense: Unknown' where it knows none: that is no licence's name."""
    from oaik.imports.run import run

    checkout = tmp_path / "osai"
    shutil.copytree(FIXTURES / "osai", checkout)
    olmo = checkout / "OLMo.yaml"
    olmo.write_text(olmo.read_text(encoding="utf-8").replace("endmodellicense: Apache-2.0", "endmodellicense: Unknown"))
    run("osai", checkout, tmp_path / "out")
    text = (tmp_path / "out" / "osai" / "olmo.ttl").read_text(encoding="utf-8")
    assert "oaik:licenseName" not in text.split("assessment:osai-olmo a")[1].split(" .\n")[0]


def test_generated_files_get_the_permissions_open_would_give(imported):
    """mkstemp makes 0600 files: the import wrote files only their owner could read (export wrote 0644)."""
    import os

    out, _runs = imported
    mask = os.umask(0)
    os.umask(mask)
    for path in [*(out / "osai").glob("*.ttl"), out / "disagreements.ttl", out / "licences.ttl"]:
        if path.is_file():
            assert path.stat().st_mode & 0o777 == 0o666 & ~mask, path


def test_release_dates_are_typed_and_a_malformed_one_is_a_note(imported):
    out, runs = imported
    text = (out / "osai" / "olmo.ttl").read_text(encoding="utf-8")
    assert 'oaik:indexedReleaseDate "2024-02"^^xsd:gYearMonth' in text
    assert "indexedReleaseDate" not in (out / "osai" / "good-model.ttl").read_text(encoding="utf-8")
    notes = [str(p) for p in runs["osai"].problems if not p.dropped]
    assert any("Good Model.yaml:" in n and "'2024 NOV' is not YYYY, YYYY-MM or YYYY-MM-DD" in n for n in notes)


def test_notes_never_leave_the_index(imported):
    out, _runs = imported
    for path in out.rglob("*.ttl"):
        assert "never imported" not in path.read_text(encoding="utf-8"), path


def test_curator_notes_name_their_source_once(imported):
    """A licence note ended with "(oaik/imports/licences.py) (oaik/imports/licences.py)."."""
    import re

    out, _runs = imported
    store = ox.Store()
    for path in out.rglob("*.ttl"):
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    notes = [row["n"].value for row in store.query(f"SELECT ?n WHERE {{ ?x <{OAIK}curatorNote> ?n }}")]
    assert any("licences.py" in note for note in notes)
    assert not [note for note in notes if re.search(r"(\([^()]+\))\W+\1", note)]


def test_matches_record_their_rule(imported):
    out, _runs = imported
    olmo = (out / "osai" / "olmo.ttl").read_text(encoding="utf-8")
    assert "oaik:about model:olmo ;" in olmo and "oaik:matchRule matchrule:exact-name ;" in olmo
    small = (out / "mot" / "small-1b.ttl").read_text(encoding="utf-8")
    assert "model:mot-small-1b a oaik:Model ;" in small and "oaik:producedBy organization:eleutherai ;" in small
    assert "oaik:matchRule matchrule:new-entity ;" in small


def test_rerun_is_byte_identical(imported, tmp_path):
    out, _runs = imported
    again = tmp_path / "again"
    from oaik.imports.run import run

    for key in ("osai", "mot"):
        run(key, FIXTURES / key, again)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    after = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert before == after


def test_generated_files_are_isomorphic_in_rdflib(imported):
    import rdflib
    from rdflib.compare import isomorphic

    out, _runs = imported
    path = out / "mot" / "small-1b.ttl"
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    nt = ox.serialize(store, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    assert isomorphic(rdflib.Graph().parse(path, format="turtle"), rdflib.Graph().parse(data=nt, format="nt"))


def test_cli_exit_codes(tmp_path, capsys):
    code, output = import_into(tmp_path, "osai", capsys)
    assert code == 1 and "file skipped" in output and "6 imported, 2 skipped" in output
    from oaik.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(["import", "osai", str(tmp_path / "nowhere"), "--out", str(tmp_path)])
    assert exit_.value.code == 2
    assert "not a folder" in capsys.readouterr().err


def test_a_checkout_without_a_commit_is_refused(tmp_path, capsys):
    checkout = tmp_path / "checkout"
    shutil.copytree(FIXTURES / "osai", checkout)
    (checkout / "SOURCE.md").unlink()
    from oaik.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(["import", "osai", str(checkout), "--out", str(tmp_path / "out")])
    assert exit_.value.code == 2
    assert "--commit" in capsys.readouterr().err


def test_commit_is_read_from_git(tmp_path):
    from oaik.imports.run import upstream_commit

    git = tmp_path / ".git"
    (git / "refs" / "heads").mkdir(parents=True)
    (git / "HEAD").write_text("ref: refs/heads/main\n")
    (git / "refs" / "heads" / "main").write_text("f" * 40 + "\n")
    assert upstream_commit(tmp_path) == "f" * 40


def test_an_import_without_the_curators_decisions_says_so(tmp_path):
    """--out into a new folder has no curation/decisions.tsv: the summary says the decisions were not applied."""
    from oaik.imports.run import run

    report = run("osai", FIXTURES / "osai", tmp_path / "fresh")
    assert any("no curator's decisions" in note and "decisions.tsv" in note for note in report.notes)
    (tmp_path / "decided" / "curation").mkdir(parents=True)
    (tmp_path / "decided" / "curation" / "decisions.tsv").write_text(
        "index\tfile\tkind\trelation\tentity\tjustification\n", encoding="utf-8"
    )
    report = run("osai", FIXTURES / "osai", tmp_path / "decided")
    assert not any("no curator's decisions" in note for note in report.notes)


def test_bad_curation_decision_names_its_line(tmp_path, capsys):
    from oaik.errors import OaikError
    from oaik.imports.resolve import read_decisions

    path = tmp_path / "decisions.tsv"
    path.write_text(
        "# comment\nindex\tfile\tkind\trelation\tentity\tjustification\nosai\tX.yaml\tmodel\tsame\tmodel:nope\twhy\n"
    )
    with pytest.raises(OaikError, match=r"decisions.tsv:3: entity 'model:nope' is not a curated"):
        read_decisions(path, set())


def test_yaml_aliases_cannot_explode(tmp_path):
    from oaik.imports.yamlread import YamlError, load

    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 8):
        lines.append(
            f"{chr(97 + i)}: &{chr(97 + i)} [*{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}]"
        )
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(YamlError, match="more than"):
        load(path)


def test_deeply_nested_yaml_skips_its_file_and_imports_the_rest(tmp_path):
    """A 2 KB file of 1,000 nested lists made PyYAML's composer overflow the stack: exit 70, nothing imported."""
    from oaik.imports.run import run

    checkout = tmp_path / "checkout"
    shutil.copytree(FIXTURES / "osai", checkout)
    (checkout / "Deep.yaml").write_text("system:\n  name: " + "[" * 1000 + "]" * 1000 + "\n", encoding="utf-8")
    report = run("osai", checkout, tmp_path / "out")
    assert any(p.file == "Deep.yaml" and "nested too deeply" in p.message for p in report.skipped)
    assert report.imported == 6  # the fixture's six importable files


def test_a_symlinked_model_file_is_not_followed(tmp_path):
    from oaik.imports.run import run

    checkout = tmp_path / "checkout"
    shutil.copytree(FIXTURES / "osai", checkout)
    secret = tmp_path / "secret.yaml"
    secret.write_text("system:\n  name: Secret\n", encoding="utf-8")
    (checkout / "Link.yaml").symlink_to(secret)
    report = run("osai", checkout, tmp_path / "out")
    assert any(p.file == "Link.yaml" and "symbolic link" in p.message for p in report.skipped)
    assert "Secret" not in "".join(p.read_text() for p in (tmp_path / "out" / "osai").glob("*.ttl"))


def test_an_output_that_is_not_a_folder_is_refused(tmp_path, capsys):
    from oaik.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["import", "osai", str(FIXTURES / "osai"), "--out", "/dev/null"])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert "/dev/null" in error and "--out" in error and "Traceback" not in error


def test_a_key_that_is_a_list_or_mapping_is_refused_unread(tmp_path):
    """A complex key (``? [...]``) is refused before it is built: aliases inside it could expand it
    exponentially (this one would print 10^9 items), and a model file's keys are plain names."""
    from oaik.imports.yamlread import YamlError, load

    nested = ['&a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    nested += [f"&a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    path = tmp_path / "key-bomb.yaml"
    path.write_text("system:\n  name: A\n? [" + ", ".join(nested) + "]\n: boom\n")
    with pytest.raises(YamlError, match="plain") as raised:
        load(path)
    assert raised.value.line == 3


def test_duplicate_yaml_keys_are_reported(tmp_path):
    from oaik.imports.yamlread import load

    path = tmp_path / "twice.yaml"
    path.write_text("system:\n  name: A\n  name: B\n")
    doc = load(path)
    assert doc.duplicate_keys == ((3, "name"),)
    assert doc.root.get("system").get("name").value == "A"


@pytest.mark.parametrize(
    "name,expected",
    [
        ("Apache 2.0", ("http://spdx.org/licenses/Apache-2.0", "permissive")),
        ("BigScience-BLOOM-RAIL-1.0", ("http://spdx.org/licenses/BigScience-BLOOM-RAIL-1.0", "restricted-model")),
        ("Meta Llama 3 Community License Agreement", (ID + "license/llama-3-community-license", "restricted-model")),
        ("unlicensed", (None, None)),
        ("Made Up Licence", (None, None)),
    ],
)
def test_licence_table(name, expected):
    from oaik.imports.licences import look_up

    assert look_up(name) == expected


def test_criteria_tables_match_the_vocabularies(store):
    from conftest import rows

    from oaik.imports import mot, osai

    notations = {
        row["n"]
        for row in rows(
            store,
            "SELECT ?n WHERE { ?c skos:inScheme <https://w3id.org/oaik/vocab/osaicriterion> ; skos:broader ?g ; skos:notation ?n }",
        )
    }
    assert notations == set(osai.CRITERIA)
    names = {
        row["n"]
        for row in rows(
            store,
            "SELECT ?n WHERE { ?c skos:inScheme <https://w3id.org/oaik/vocab/mofcomponent> ; skos:broader ?g ; skos:notation ?n }",
        )
    }
    assert names == set(mot.COMPONENTS) and len(names) == 17


def test_a_newer_upstream_changes_only_what_changed(tmp_path):
    """One grade changed upstream (Good Model.yaml, training code open -> partial) at a new commit."""
    from oaik.imports.run import run

    checkout = tmp_path / "checkout"
    shutil.copytree(FIXTURES / "osai", checkout)
    run("osai", checkout, tmp_path / "before")
    path = checkout / "Good Model.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    index = lines.index("trainingcode:") + 1
    assert lines[index] == "    class: open"
    lines[index] = "    class: partial"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run("osai", checkout, tmp_path / "after", commit="1" * 40)
    before = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "before" / "osai").glob("*.ttl")}
    after = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "after" / "osai").glob("*.ttl")}
    assert sorted(name for name in before if before[name] != after[name]) == ["_snapshot.ttl", "good-model.ttl"]
    import difflib

    changed = [
        line
        for line in difflib.unified_diff(
            before["good-model.ttl"].splitlines(), after["good-model.ttl"].splitlines(), n=0
        )
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert sorted(changed) == sorted(
        [
            '-    rdfs:label "European Open Source AI Index: Good Model, training code: open"@en ;',
            "-    oaik:grade opennessgrade:open ;",
            '+    rdfs:label "European Open Source AI Index: Good Model, training code: partial"@en ;',
            "+    oaik:grade opennessgrade:partial ;",
            '-    oaik:quote "class: open" ;',
            '+    oaik:quote "class: partial" ;',
        ]
    )


# ---------------------------------------------------------------------------
# MOT releases matched against the model families the OSAI import made
# (tests/resources/imports/cross/: each fixture file's first line says what it stands for)
# ---------------------------------------------------------------------------

CROSS = FIXTURES / "cross"


@pytest.fixture(scope="module")
def crossed(tmp_path_factory):
    """The cross fixtures imported OSAI first, then MOT; (folder, {index: report})."""
    from oaik.imports.run import run

    out = tmp_path_factory.mktemp("cross")
    return out, {key: run(key, CROSS / key, out) for key in ("osai", "mot")}


def about(out: Path, slug: str) -> tuple[str, str, str | None]:
    """(entity the MOT assessment is about, its match rule, the series that entity is part of) of one release."""
    store = ox.Store()
    store.load(path=str(out / "mot" / f"{slug}.ttl"), format=ox.RdfFormat.TURTLE)
    row = next(
        iter(
            store.query(
                f"""SELECT ?about ?rule ?series WHERE {{
                  <{ID}assessment/mot-{slug}> <{OAIK}about> ?about ; <{OAIK}matchRule> ?rule .
                  OPTIONAL {{ ?about <http://purl.org/dc/terms/isPartOf> ?series }} }}"""
            )
        )
    )
    series = row["series"].value.removeprefix(ID) if row["series"] else None
    return row["about"].value.removeprefix(ID), row["rule"].value.rsplit("/", 1)[1], series


def ambiguous_rows(out: Path, key: str = "mot") -> dict[str, tuple[str, str]]:
    """file -> (candidates, reason) of the curation list."""
    lines = (out / "curation" / f"{key}-ambiguous.tsv").read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if not line.startswith("#")][1:]
    return {row[1]: (row[4], row[5]) for row in rows}


def test_a_release_the_family_entry_links_is_part_of_it_by_hugging_face_page(crossed):
    """Nimbus.yaml (name Nimbus) links example-lab/Nimbus-2-13B-Chat; models/Nimbus-2-13B-Chat.yml links the same."""
    out, _reports = crossed
    assert about(out, "nimbus-2-13b-chat") == ("model/mot-nimbus-2-13b-chat", "hugging-face-url", "model/osai-nimbus")


def test_a_release_named_as_the_family_is_part_of_it_by_exact_name(crossed):
    """models/Nimbus.yml: same name and producer as Nimbus.yaml, which grades its family through another release."""
    out, _reports = crossed
    assert about(out, "nimbus") == ("model/mot-nimbus", "exact-name", "model/osai-nimbus")


def test_the_very_release_an_entry_names_and_links_is_the_same_model(crossed):
    """Cirrus.yaml (name Cirrus, links example-lab/cirrus) and models/Cirrus.yml (Cirrus, links example-lab/cirrus)."""
    out, reports = crossed
    assert about(out, "cirrus") == ("model/osai-cirrus", "hugging-face-url", None)
    assert "model:mot-cirrus a oaik:Model" not in (out / "mot" / "cirrus.ttl").read_text(encoding="utf-8")
    assert dict(reports["mot"].across) == {
        ("hugging-face-url", "same"): 1,
        ("hugging-face-url", "part-of"): 1,
        ("exact-name", "part-of"): 1,
    }
    assert "1 same by hugging-face-url" in reports["mot"].summary()


def test_undecidable_candidates_are_listed_not_merged(crossed):
    out, reports = crossed
    listed = ambiguous_rows(out)
    assert set(listed) == {"models/Stratus.yml", "models/Cumulus.yml", "models/Cumulus-3B.yml"}
    # Stratus.yaml is one release (links stratus-org/stratus); models/Stratus.yml links nothing: same or a sibling?
    assert listed["models/Stratus.yml"][0] == "model:osai-stratus"
    assert "do not tell whether" in listed["models/Stratus.yml"][1]
    # Cumulus.yml: another producer (Someone Else), no Hugging Face page to compare
    assert "neither the producers nor the Hugging Face owners agree" in listed["models/Cumulus.yml"][1]
    # Cumulus-3B.yml: the name begins with Cumulus, same producer: only a candidate
    assert "perhaps a release of that family" in listed["models/Cumulus-3B.yml"][1]
    for slug in ("stratus", "cumulus", "cumulus-3b"):
        assert about(out, slug) == (f"model/mot-{slug}", "new-entity", None)
    assert reports["mot"].ambiguous == 3


def test_disagreements_across_the_indices_say_what_they_compare(crossed):
    """Training code: open in Nimbus.yaml and Cirrus.yaml, not listed (absent) in the three MOT files that match;
    Nimbus.yaml's datasheet is closed, models/Nimbus-2-13B-Chat.yml lists a Data card under Apache-2.0 (open)."""
    out, _reports = crossed
    text = (out / "disagreements.ttl").read_text(encoding="utf-8")
    groups = {}
    for block in text.split("\n\n"):
        if block.startswith("# ") and "conflictsWith" in block:
            heading, *pairs = block.strip().splitlines()
            groups[heading.split(" (", 1)[0].removeprefix("# ")] = [p.split()[0] + " " + p.split()[2] for p in pairs]
    assert groups == {
        "same model": ["claim:osai-cirrus-training-code claim:mot-cirrus-training-code"],
        "release the OSAI entry links": [
            "claim:osai-nimbus-datasheet claim:mot-nimbus-2-13b-chat-data-card",
            "claim:osai-nimbus-training-code claim:mot-nimbus-2-13b-chat-training-code",
        ],
        "another release of the family": ["claim:osai-nimbus-training-code claim:mot-nimbus-training-code"],
    }


def test_an_organisation_both_indices_name_is_one_entity(crossed):
    """Both fixtures name 'Example Lab' and 'Stratus Org': MOT's import made them again ('… (MOT)'), so the
    graph had two entities for one organisation. MOT's producers now match OSAI's organisations by name."""
    out, reports = crossed
    made = (out / "mot" / "_organizations.ttl").read_text(encoding="utf-8")
    assert "organization:mot-example-lab" not in made and "organization:mot-stratus-org" not in made
    assert "organization:mot-someone-else a org:Organization" in made  # named by MOT alone
    assert "oaik:producedBy organization:osai-example-lab" in (out / "mot" / "nimbus.ttl").read_text()
    assert "organisations matched: 5 by exact-name across OSAI; new: 1" in reports["mot"].summary()


def test_one_organisation_written_two_ways_in_one_index_is_one_entity(tmp_path):
    """OSAI writes both 'Stability AI' and 'StabilityAI': its import made two organisations of them."""
    from oaik.imports.run import run

    checkout = tmp_path / "osai"
    shutil.copytree(CROSS / "osai", checkout)
    nimbus = checkout / "Nimbus.yaml"
    nimbus.write_text(nimbus.read_text(encoding="utf-8").replace("name: Example Lab", "name: ExampleLab"), "utf-8")
    run("osai", checkout, tmp_path / "out")
    made = (tmp_path / "out" / "osai" / "_organizations.ttl").read_text(encoding="utf-8")
    assert "organization:osai-examplelab" not in made
    assert 'quote "name: ExampleLab"' in made  # the second spelling's line is evidence of the one organisation
    assert "oaik:producedBy organization:osai-example-lab" in (tmp_path / "out" / "osai" / "nimbus.ttl").read_text()


def test_a_producer_cites_its_line_and_says_how_it_was_matched(crossed):
    """A new model's oaik:producedBy cites the producer's line; a matched organisation says by which rule."""
    out, _reports = crossed
    text = (out / "mot" / "nimbus.ttl").read_text(encoding="utf-8")
    block = next(b for b in text.split("\n\n") if b.startswith("evidence:mot-nimbus-org-osai-example-lab "))
    assert "oaik:quote \"producer: 'Example Lab'\"" in block
    assert (
        "OAIK matched it to organization:osai-example-lab (an organisation the OSAI import made) by exact-name" in block
    )
    assert "claimstatus:inferred" in block
    model = next(b for b in text.split("\n\n") if b.startswith("model:mot-nimbus "))
    assert "evidence:mot-nimbus-org-osai-example-lab" in model


def test_a_name_that_begins_like_a_curated_models_is_listed_for_a_curator(tmp_path):
    """'Command-R' is Cohere's, whose 'Command' the curated graph holds; no rule matched it, and nothing said so.
    Now a name that begins like a curated model's (or whose start that name is) is listed, never merged."""
    from oaik.imports.run import run

    checkout = tmp_path / "osai"
    shutil.copytree(FIXTURES / "osai", checkout)
    good = (checkout / "Good Model.yaml").read_text(encoding="utf-8")
    (checkout / "Command-R.yaml").write_text(good.replace("name: Good Model", "name: Command-R"), encoding="utf-8")
    report = run("osai", checkout, tmp_path / "out")
    rows = ambiguous_rows(tmp_path / "out", "osai")
    assert rows["Command-R.yaml"][0] == "model:command" and "begin alike" in rows["Command-R.yaml"][1]
    assert "model:osai-command-r a oaik:Model" in (tmp_path / "out" / "osai" / "command-r.ttl").read_text()
    assert report.ambiguous >= 1


def test_a_curator_may_match_a_release_to_an_osai_family(crossed, tmp_path):
    from oaik.imports.run import run

    out = tmp_path / "out"
    (out / "curation").mkdir(parents=True)
    (out / "curation" / "decisions.tsv").write_text(
        "index\tfile\tkind\trelation\tentity\tjustification\n"
        "mot\tmodels/Stratus.yml\tmodel\tsame\tmodel:osai-stratus\tread both fixture files\n",
        encoding="utf-8",
    )
    run("osai", CROSS / "osai", out)
    report = run("mot", CROSS / "mot", out)
    assert about(out, "stratus") == ("model/osai-stratus", "curated", None)
    assert ("curated", "same") in report.across and "models/Stratus.yml" not in ambiguous_rows(out)


@pytest.mark.parametrize(
    "row,message",
    [
        ("mot\tmodels/X.yml\tmodel\tsame\tmodel:osai-nowhere\twhy", "not a model the OSAI import made"),
        ("osai\tX.yaml\tmodel\tsame\tmodel:mot-cirrus\twhy", "not a curated OAIK model or organisation"),
        ("mot\tmodels/X.yml\tmodel\tsame\tmodel:mot-cirrus\twhy", "nor a model the OSAI import made"),
    ],
)
def test_decisions_may_name_only_curated_or_osai_models(crossed, tmp_path, row, message):
    from oaik.errors import OaikError
    from oaik.imports.resolve import index_catalogue, read_decisions

    out, _reports = crossed
    path = tmp_path / "decisions.tsv"
    path.write_text("index\tfile\tkind\trelation\tentity\tjustification\n" + row + "\n", encoding="utf-8")
    with pytest.raises(OaikError, match=rf"decisions.tsv:2: .*{message}"):
        read_decisions(path, set(), index_catalogue(out / "osai"), "mot")


def test_an_osai_row_naming_an_osai_model_is_checked_only_by_the_mot_import(tmp_path):
    from oaik.imports.resolve import read_decisions

    path = tmp_path / "decisions.tsv"
    path.write_text(
        "index\tfile\tkind\trelation\tentity\tjustification\nmot\tmodels/X.yml\tmodel\tpart-of\tmodel:osai-x\twhy\n",
        encoding="utf-8",
    )
    assert read_decisions(path, set(), None, "osai")  # the OSAI import does not use MOT rows
    from oaik.errors import OaikError

    with pytest.raises(OaikError, match="import osai first"):
        read_decisions(path, set(), None, "mot")


def test_mot_without_an_osai_import_says_so_and_osai_changes_say_to_reimport_mot(tmp_path):
    from oaik.imports.run import run

    alone = run("mot", CROSS / "mot", tmp_path / "alone")
    assert any("no OSAI import" in note for note in alone.notes) and not alone.across
    out = tmp_path / "both"
    run("osai", CROSS / "osai", out)
    run("mot", CROSS / "mot", out)
    notes = run("osai", CROSS / "osai", out).notes
    assert [n for n in notes if "no curator's decisions" not in n] == []  # nothing changed
    checkout = tmp_path / "checkout"
    shutil.copytree(CROSS / "osai", checkout)
    (checkout / "Cirrus.yaml").unlink()
    notes = run("osai", checkout, out).notes
    assert any("run `oaik import mot` again" in note for note in notes)


@pytest.mark.parametrize(
    "url,repo",
    [
        ("https://huggingface.co/ibm-granite/granite-4.0-h-small", ("ibm-granite", "granite40hsmall")),
        ("https://huggingface.co/bigcode/santacoder/tree/main", ("bigcode", "santacoder")),
        ("https://huggingface.co/bigcode", None),  # an owner's page: the producer's, not a model's
        ("https://huggingface.co/docs/transformers/en/model_doc/t5", None),
        ("https://huggingface.co/collections/example/family", None),
        ("https://github.com/example/model", None),
    ],
)
def test_hugging_face_repositories(url, repo):
    from oaik.imports.resolve import hugging_face_repo

    assert hugging_face_repo(url) == repo


def test_without_out_the_import_goes_to_the_checkout_the_user_is_in(tmp_path, capsys, monkeypatch):
    checkout = tmp_path / "clone"
    (checkout / "ontology").mkdir(parents=True)
    (checkout / "ontology" / "oaik.ttl").write_text("", encoding="utf-8")
    (checkout / "shapes").mkdir()
    monkeypatch.chdir(checkout / "shapes")
    from oaik.cli import main

    with pytest.raises(SystemExit):
        main(["import", "osai", str(FIXTURES / "osai")])
    assert "6 imported, 2 skipped" in capsys.readouterr().out
    assert sorted(p.name for p in (checkout / "data" / "imports" / "osai").glob("*.ttl"))


def test_without_out_an_installed_copy_of_the_graph_is_never_written(tmp_path, capsys, monkeypatch):
    import oaik.paths

    monkeypatch.setattr(oaik.paths, "installed_copy", lambda: True)
    monkeypatch.chdir(tmp_path)
    from oaik.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(["import", "osai", str(FIXTURES / "osai")])
    assert exit_.value.code == 2
    assert "--out" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())
