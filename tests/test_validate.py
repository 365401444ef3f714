"""``oaik validate``: the shipped data conforms, every broken contribution is caught by its rule.

Each file in tests/resources/contributions/invalid/ breaks one rule and says
which in its first line::

    # expect: oaiksh:EvidenceShape-quote sh:MinCountConstraintComponent exit=1

(rule = the shape that must report it; the constraint component is optional;
exit = the exit code of ``oaik validate FILE``). Files in valid/ must conform.
The shipped graph is parsed once per session (the ``validator`` fixture); the
CLI tests run ``oaik.cli.main`` in-process.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from oaik.store.graph import parse_file
from oaik.validation.validate import Report, Validator

CONTRIBUTIONS = Path(__file__).resolve().parent / "resources" / "contributions"
INVALID = sorted((CONTRIBUTIONS / "invalid").glob("*.ttl"))
# A valid case is a file of valid/, or a folder of valid/ (a multi-file contribution).
VALID = sorted(p for p in (CONTRIBUTIONS / "valid").iterdir() if p.suffix == ".ttl" or p.is_dir())
LINKING_RULES = {"oaiksh:DuplicateLabelRule", "oaiksh:DuplicateConceptLabelRule", "oaiksh:DerivationCycleRule"}
EXPECT = re.compile(r"^# expect: (?P<rule>\S+)(?: (?P<component>sh:\w+))? exit=(?P<exit>\d)$", re.M)


def expectation(path: Path) -> dict:
    found = EXPECT.search(path.read_text(encoding="utf-8"))
    assert found, f"{path.name}: the first line must be '# expect: <rule> [<component>] exit=<code>'"
    return found.groupdict()


@pytest.fixture(scope="session")
def validator() -> Validator:
    """Contributions are validated against the curated graph: none refers to an imported catalogue,
    and without the catalogues' 120K triples each validation takes a second, not ten."""
    from conftest import curated_files

    return Validator(curated_files())


@pytest.fixture(scope="session")
def shipped_report() -> Report:
    return Validator().validate()


def describe(results) -> str:
    return "\n".join(
        f"  {r.file}:{r.line}: {r.rule} {r.focus} {r.path or ''} {r.value or ''}: {r.message[:120]}" for r in results
    )


# -- the shipped graph ----------------------------------------------------------


def test_shipped_graph_parses(shipped_report):
    assert shipped_report.syntax_errors == 0, describe(shipped_report.results)


def test_shipped_graph_has_no_violations(shipped_report):
    violations = [r for r in shipped_report.results if r.severity == "Violation"]
    assert not violations, f"{len(violations)} violations in the shipped graph:\n" + describe(violations)


def test_every_result_names_a_file_and_line(shipped_report):
    unplaced = [r for r in shipped_report.results if not r.file or not r.line]
    assert not unplaced, "results without file or line:\n" + describe(unplaced)


# -- broken contributions --------------------------------------------------------


def test_there_is_a_broken_contribution_for_every_rule():
    assert len(INVALID) >= 30
    rules = {expectation(p)["rule"] for p in INVALID}
    assert len(rules) >= 30, f"only {len(rules)} distinct rules are exercised"


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_broken_contribution_is_caught_by_its_rule(validator, path):
    expected = expectation(path)
    report = validator.validate([path])
    found = {(r.rule, r.component) for r in report.results}
    assert any(rule == expected["rule"] and expected["component"] in (None, component) for rule, component in found), (
        f"{path.name}: expected {expected['rule']} {expected['component'] or ''}, got:\n" + describe(report.results)
    )
    assert report.exit_code() == int(expected["exit"]), describe(report.results)
    # Elsewhere only what the contribution newly causes on the nodes it affects: same-label peers, lineage,
    # the nodes it points to (an organisation given as oaik:evidence is then checked as an evidence record),
    # and the nodes it describes that another file defines (that file's definition is then one of two).
    triples = parse_file(path).triples if report.syntax_errors == 0 else []
    pointed = {t.object.value for t in triples} | {t.subject.value for t in triples}
    outside = [r for r in report.results if not (r.file and Path(r.file).name == path.name)]
    assert all(r.file and (r.rule in LINKING_RULES or r.node in pointed) for r in outside), (
        "results outside the contribution:\n" + describe(outside)
    )


@pytest.mark.parametrize("path", [p for p in INVALID if expectation(p)["exit"] == "0"], ids=lambda p: p.stem)
def test_warnings_fail_only_when_strict(validator, path):
    report = validator.validate([path])
    assert report.count("Violation") == 0 and report.count("Warning") > 0
    assert report.exit_code(strict=False) == 0 and report.exit_code(strict=True) == 1


@pytest.mark.parametrize("name", ["undefined-oaik-term", "undefined-concept"])
def test_undefined_terms_name_the_file_and_suggest_the_defined_term(validator, name):
    report = validator.validate([CONTRIBUTIONS / "invalid" / f"{name}.ttl"])
    messages = " ".join(r.message for r in report.results)
    assert f"{name}.ttl" in messages
    suggestion = {
        "undefined-oaik-term": "Did you mean oaik:Project?",
        "undefined-concept": "Did you mean onramp:collaborative-model-reproduction?",
    }[name]
    assert suggestion in messages


def test_a_reference_to_an_undescribed_entity_suggests_the_described_one(validator, tmp_path):
    """Case, separators and (among a kind's first thousand entities) spelling: the closest described IRI."""
    path = tmp_path / "typos.ttl"
    path.write_text(
        """@prefix oaik: <https://w3id.org/oaik/ns#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> . @prefix role: <https://w3id.org/oaik/vocab/role/> .
<https://w3id.org/oaik/id/collab/zz-typos> a oaik:Collaboration ; rdfs:label "Typos"@en ;
    oaik:project <https://w3id.org/oaik/id/project/eleuther-ai> ;
    oaik:participation [ a oaik:Participation ; prov:agent <https://w3id.org/oaik/id/org/EleutherAI> ;
        prov:hadRole role:coordinator ] , [ a oaik:Participation ; prov:hadRole role:coordinator ;
        prov:agent <https://w3id.org/oaik/id/org/hugging-fase> ] , [ a oaik:Participation ;
        prov:hadRole role:coordinator ; prov:agent <https://w3id.org/oaik/id/org/zz-nothing-like-it> ] .
""",
        encoding="utf-8",
    )
    report = validator.validate([path])
    dangling = {r.value: r.message for r in report.results if r.rule == "oaiksh:DanglingReferenceRule"}
    assert "Did you mean project:eleutherai?" in dangling["project:eleuther-ai"]
    assert "Did you mean organization:eleutherai?" in dangling["organization:EleutherAI"]
    assert "Did you mean organization:hugging-face?" in dangling["organization:hugging-fase"]
    assert "Did you mean" not in dangling["organization:zz-nothing-like-it"]


def test_syntax_error_names_file_and_line(validator):
    report = validator.validate([CONTRIBUTIONS / "invalid" / "syntax-error.ttl"])
    assert report.syntax_errors == 1 and report.exit_code() == 2
    (result,) = report.results
    assert result.file.endswith("syntax-error.ttl") and result.line == 38


def test_unknown_prefix_says_how_to_declare_it(validator):
    (result,) = validator.validate([CONTRIBUTIONS / "invalid" / "unknown-prefix.ttl"]).results
    assert "dataset:" in result.message and "@prefix dataset: <https://w3id.org/oaik/id/dataset/> ." in result.message


# -- valid contributions ---------------------------------------------------------


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_contribution_conforms(validator, path):
    report = validator.validate([path])
    assert report.count("Violation") == 0, describe(report.results)
    assert report.exit_code() == 0


def test_contribution_may_reference_its_other_files_and_the_shipped_graph(validator):
    folder = CONTRIBUTIONS / "valid" / "two-files"
    alone = validator.validate([folder / "model.ttl"])
    assert "oaiksh:DanglingReferenceRule" in {r.rule for r in alone.results}, describe(alone.results)
    assert validator.validate([folder / "model.ttl", folder / "organisation.ttl"]).exit_code() == 0


def test_a_shipped_file_given_again_is_not_loaded_twice(validator):
    from oaik.paths import data_dir

    report = validator.validate([data_dir() / "sources.ttl"])
    assert not [r for r in report.results if r.rule == "oaiksh:DuplicateLabelRule"], describe(report.results)
    assert {r.file for r in report.results} <= {str(Path("data") / "sources.ttl"), str(data_dir() / "sources.ttl")}


@pytest.mark.parametrize(
    "name",
    [
        "participation-without-role",
        "duplicate-label",
        "derivation-cycle",
        "onramp-wrong-stage",
        "label-not-in-english",
        "role-not-a-role",
    ],
)
def test_focused_validation_equals_whole_graph_validation(validator, name):
    path = CONTRIBUTIONS / "invalid" / f"{name}.ttl"

    def key(report):  # blank node ids differ between two parses of the same file
        return sorted(
            (r.rule, r.component or "", r.focus, r.path or "", r.value or "", r.line or 0, r.message)
            for r in report.results
        )

    assert key(validator.validate([path])) == key(validator.validate([path], restrict=False))


# -- the command line ------------------------------------------------------------


def run(capsys, *args: str) -> tuple[int, str, str]:
    from oaik.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(list(args))
    out, err = capsys.readouterr()
    return exit_.value.code, out, err


def test_cli_exit_codes(capsys):
    invalid = str(CONTRIBUTIONS / "invalid")
    assert run(capsys, "validate", str(CONTRIBUTIONS / "valid" / "compute-partnership.ttl"))[0] == 0
    assert run(capsys, "validate", f"{invalid}/evidence-without-quote.ttl")[0] == 1
    code, out, err = run(capsys, "validate", f"{invalid}/syntax-error.ttl")
    assert code == 2 and "syntax-error.ttl" in out and "Traceback" not in out + err
    code, out, err = run(capsys, "validate", f"{invalid}/no-such-file.ttl")
    assert code == 2 and "no such file" in err and "Traceback" not in out + err
    assert run(capsys, "validate", "--strict", f"{invalid}/no-external-link-warning.ttl")[0] == 1


def test_cli_text_output_groups_by_file_and_entity(capsys):
    path = CONTRIBUTIONS / "invalid" / "evidence-without-source.ttl"
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 1
    assert re.search(r"^\S*evidence-without-source\.ttl$", out, re.M)
    assert re.search(r"^  line \d+: evidence:fx-no-source$", out, re.M)
    assert "rule: oaiksh:EvidenceShape-source" in out
    assert re.search(
        r"^\d+ violations?, \d+ warnings?, \d+ infos? in 1 file of 1 checked: does not conform\.", out, re.M
    )


def test_cli_json_output_parses_and_names_the_file(capsys):
    path = CONTRIBUTIONS / "invalid" / "onramp-wrong-domain.ttl"
    code, out, _ = run(capsys, "validate", "--format", "json", str(path))
    document = json.loads(out)
    assert code == 1 and document["exit_code"] == 1 and document["conforms"] is False
    assert document["summary"]["violations"] >= 1
    assert {Path(r["file"]).name for r in document["results"]} == {path.name}
    assert any(r["rule"] == "oaiksh:OnRampDomainRule" and r["line"] for r in document["results"])


def test_cli_github_output_is_workflow_commands(capsys):
    path = CONTRIBUTIONS / "invalid" / "derivation-cycle.ttl"
    code, out, _ = run(capsys, "validate", "--format", "github", str(path))
    lines = out.strip().splitlines()
    annotations = [line for line in lines if line.startswith("::")]
    assert code == 1 and annotations
    pattern = re.compile(
        r"^::(error|warning|notice) file=(?P<file>[^,]+),line=(?P<line>\d+),title=(?P<title>[^:]+)::(?P<text>.+)$"
    )
    for line in annotations:
        match = pattern.match(line)
        assert match, line
        assert Path(match["file"]).name == path.name
    assert any("DerivationCycleRule" in line and line.startswith("::error") for line in annotations)
    assert "does not conform" in lines[-1]


def test_the_worked_example_of_contributing_conforms(validator, tmp_path):
    """CONTRIBUTING.md's fictional project must stay a valid contribution."""
    text = (Path(__file__).resolve().parent.parent / "CONTRIBUTING.md").read_text(encoding="utf-8")
    example = re.search(r"```turtle\n(.*?)```", text, re.S).group(1)
    path = tmp_path / "data" / "projects" / "example-collective.ttl"
    path.parent.mkdir(parents=True)
    path.write_text(example, encoding="utf-8")
    report = validator.validate([path])
    assert report.exit_code(strict=True) == 0, describe(report.results)


def test_the_report_is_the_same_with_the_store_in_memory(validator, monkeypatch):
    """OAIK_STORE=:memory: (no cache folder) validates in the process's own store, not in a copy on disk."""
    project = next(p for p in validator.roots if p.parent.name == "projects")
    on_disk = [validator.validate([path]) for path in (project, INVALID[0])]
    monkeypatch.setenv("OAIK_STORE", ":memory:")
    in_memory = [Validator(validator.roots).validate([path]) for path in (project, INVALID[0])]
    for disk, memory in zip(on_disk, in_memory, strict=True):
        assert [r.as_dict() for r in memory.results] == [r.as_dict() for r in disk.results]
    assert any(r.results for r in on_disk)


def test_json_output_is_the_same_from_run_to_run_with_blank_nodes(tmp_path, monkeypatch):
    """Each run parses the files anew and names blank nodes anew; the report must not show those names."""
    from conftest import copy_curated

    from oaik.validation.report import as_json

    tree = copy_curated(tmp_path)
    (tree / "data" / "projects" / "zz-blank.ttl").write_text(
        """@prefix oaik: <https://w3id.org/oaik/ns#> . @prefix prov: <http://www.w3.org/ns/prov#> .
<https://w3id.org/oaik/id/collab/zz-blank> a oaik:Collaboration ;
    oaik:participation [ a oaik:Participation ; prov:agent <https://w3id.org/oaik/id/org/eleutherai> ] .
[] a oaik:Evidence .
""",
        encoding="utf-8",
    )
    roots = [tree / "ontology", tree / "data"]
    monkeypatch.chdir(tree)
    full = [as_json(Validator(roots).validate()) for _ in range(2)]
    monkeypatch.setenv("OAIK_STORE", ":memory:")
    one_file = [as_json(Validator(roots).validate([tree / "data" / "projects" / "zz-blank.ttl"])) for _ in range(2)]
    assert full[0] == full[1]
    assert one_file[0] == one_file[1]
    blank = [r for r in json.loads(full[0])["results"] if "[" in r["focus"]]
    assert blank and all(r["node"] is None for r in blank)


def test_a_contribution_nested_thousands_deep_is_validated(tmp_path, capsys):
    """3,000 nested blank nodes under an undeclared property: a warning each (its description a few levels
    deep, its suggestion looked up once), not an internal error from recursion."""
    depth = 3000
    path = tmp_path / "deep.ttl"
    path.write_text(
        "<https://w3id.org/oaik/id/project/x> <http://example.org/p> "
        + "[ <http://example.org/p> " * depth
        + '"end"'
        + " ]" * depth
        + " .\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "validate", "--format", "json", str(path))
    assert code == 0, err
    results = json.loads(out)["results"]
    undeclared = [r for r in results if r["rule"] == "oaiksh:UndeclaredPropertyRule"]
    assert len(undeclared) == depth + 1
    assert max(len(r["focus"]) for r in undeclared) < 200


# -- a file of another checkout of the repository --------------------------------


def other_checkout(root: Path, name: str, edit=lambda text: text) -> Path:
    """A checkout of another copy of OAIK under ``root`` (as a user's clone is, when ``oaik`` was installed
    from a wheel) holding the shipped file ``name`` (a path under data/), edited by ``edit``."""
    from oaik.paths import data_dir

    (root / "ontology").mkdir(parents=True)
    (root / "ontology" / "oaik.ttl").write_text("", encoding="utf-8")
    (root / "shapes").mkdir()
    copy = root / "data" / name
    copy.parent.mkdir(parents=True)
    copy.write_text(edit((data_dir() / name).read_text(encoding="utf-8")), encoding="utf-8")
    return copy


def test_a_file_of_another_checkout_stands_in_for_the_graphs_file_at_its_place(validator, tmp_path):
    from oaik.paths import data_dir

    def key(report):
        return sorted((r.rule, r.focus, r.path or "", r.value or "", r.line or 0, r.message) for r in report.results)

    copy = other_checkout(tmp_path / "clone", "projects/eleutherai.ttl")
    report = validator.validate([copy])
    assert "oaiksh:DefinedOnceRule" not in {r.rule for r in report.results}, describe(report.results)
    assert key(report) == key(validator.validate([data_dir() / "projects" / "eleutherai.ttl"]))
    assert {r.file for r in report.results} == {str(copy)}


def test_an_edit_in_another_checkout_is_what_gets_validated(validator, tmp_path):
    copy = other_checkout(
        tmp_path / "clone",
        "projects/eleutherai.ttl",
        lambda text: text.replace(
            "organization:eleutherai a org:Organization", "organization:eleutherai-x a org:Organization"
        ),
    )
    report = validator.validate([copy])
    dangling = [r for r in report.results if r.rule == "oaiksh:DanglingReferenceRule"]
    assert dangling and {r.file for r in dangling} == {str(copy)}, describe(report.results)
    assert "oaiksh:DefinedOnceRule" not in {r.rule for r in report.results}, describe(report.results)


def test_the_shapes_of_another_checkout_are_not_data(validator, tmp_path):
    copy = other_checkout(tmp_path / "clone", "projects/eleutherai.ttl")
    shape = copy.parents[2] / "shapes" / "extra.ttl"
    shape.write_text("<https://example.org/s> a <https://example.org/C> .\n", encoding="utf-8")
    report = validator.validate([copy.parents[2] / "shapes", copy])
    assert str(shape) not in report.files


def test_a_checkout_whose_graph_differs_from_the_installed_one_is_noted(capsys, tmp_path, monkeypatch):
    import shutil

    from oaik.paths import resource_root

    checkout = tmp_path / "clone"
    for folder in ("ontology", "data", "shapes"):
        shutil.copytree(resource_root() / folder, checkout / folder)
    named = checkout / "data" / "projects" / "eleutherai.ttl"
    named.write_text("# edited\n" + named.read_text(encoding="utf-8"), encoding="utf-8")
    (checkout / "data" / "projects" / "new-project.ttl").write_text("", encoding="utf-8")
    monkeypatch.chdir(checkout / "data")
    code, out, err = run(capsys, "validate", "projects/eleutherai.ttl")
    assert code == 0, out + err
    assert "note: the graph validated is the one installed with oaik" in err, err
    assert "they differ in data/projects/new-project.ttl. Files named" in err, err  # the named file stands in
    assert f"pip install -e {checkout.resolve()}" in err


def test_no_note_in_the_checkout_oaik_is_installed_from(capsys, monkeypatch):
    from oaik.paths import data_dir, resource_root

    monkeypatch.chdir(resource_root())
    code, out, err = run(capsys, "validate", str(data_dir() / "sources.ttl"))
    assert code == 0, out + err
    assert "note:" not in err


def test_a_derived_integer_type_on_a_value_that_is_no_integer_is_ill_typed(validator):
    report = validator.validate([CONTRIBUTIONS / "invalid" / "ill-typed-derived-integer.ttl"])
    flagged = {r.value for r in report.results if r.rule == "oaiksh:WellTypedLiteralRule"}
    assert flagged == {'"zz"^^xsd:int', '"x"^^xsd:long', '"y"^^xsd:nonNegativeInteger'}, describe(report.results)


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ('"0042"^^xsd:integer', '"42"^^xsd:integer'),
        ("1.50", '"1.5"^^xsd:decimal'),
        ('"7"^^xsd:int', '"7"^^xsd:integer'),
        ('"1"^^xsd:boolean', '"true"^^xsd:boolean'),
        ('"2024-05-01T10:00:00+00:00"^^xsd:dateTime', '"2024-05-01T10:00:00Z"^^xsd:dateTime'),
    ],
)
def test_a_value_the_store_would_rewrite_is_refused_with_the_form_to_write(validator, tmp_path, written, stored):
    path = tmp_path / "contribution.ttl"
    path.write_text(
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n@prefix oaik: <https://w3id.org/oaik/ns#> .\n\n"
        f'<https://w3id.org/oaik/id/claim/fx> oaik:curatorNote "1.50 or 0042, in a string"@en ;\n'
        f"    oaik:value {written} .\n",
        encoding="utf-8",
    )
    report = validator.validate([path])
    assert report.syntax_errors == 1 and report.exit_code() == 2
    (result,) = report.results
    assert (result.rule, result.focus, result.path) == ("oaiksh:StoredAsWrittenRule", "claim:fx", "oaik:value")
    assert result.line == (4 if written == "1.50" else 5)  # a bare number: the line of its node
    assert f"Write {stored}." in result.message


def test_values_kept_as_written_load(tmp_path):
    from oaik.store.graph import read_quads
    from oaik.store.literals import RewrittenLiteral, check_stored_as_written

    path = tmp_path / "kept.ttl"
    path.write_text(
        '@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n<https://w3id.org/oaik/id/claim/fx> <https://w3id.org/oaik/ns#value> 42 , 1.5 , true , "0"^^xsd:integer , "-3"^^xsd:integer , "2024"^^xsd:gYear , "2024-05-01"^^xsd:date , "zz"^^xsd:int , "https://x.org/0042"^^xsd:anyURI .\n',
        encoding="utf-8",
    )
    data = path.read_bytes()
    quads = read_quads(path, path.as_uri(), data)
    assert len(quads) == 9
    check_stored_as_written(path, quads, data)  # raises for any the store would rewrite
    with pytest.raises(RewrittenLiteral):
        check_stored_as_written(path, [*quads, *read_quads(path, path.as_uri(), data.replace(b"42", b"042"))], data)


def test_many_rewritten_values_under_nesting_are_placed_in_one_pass(tmp_path, monkeypatch):
    """A hostile contribution of many values the store would rewrite, each under nested blank nodes: the
    statements are read twice and the file's blocks looked up at most once, whatever their number (a pass
    over the statements and a search of the file for each value took 74 s for 8,000 of them)."""
    from collections.abc import Sequence

    import oaik.store.locate as locate
    from oaik.store.graph import read_quads
    from oaik.store.literals import RewrittenLiteral, check_stored_as_written

    class Counted(Sequence):
        def __init__(self, items):
            self.items, self.passes = items, 0

        def __getitem__(self, index):
            return self.items[index]

        def __len__(self):
            return len(self.items)

        def __iter__(self):
            self.passes += 1
            return iter(self.items)

    lookups = []
    real = locate.subject_lines
    monkeypatch.setattr(locate, "subject_lines", lambda path: lookups.append(path) or real(path))
    path = tmp_path / "many.ttl"
    rows = "".join(f"ex:a{i} ex:p [ ex:q [ ex:v 0{i} ] ] .\n" for i in range(500))
    path.write_text(f"@prefix ex: <https://w3id.org/oaik/id/x/> .\n{rows}", encoding="utf-8")
    data = path.read_bytes()
    statements = Counted(read_quads(path, path.as_uri(), data))
    with pytest.raises(RewrittenLiteral) as refused:
        check_stored_as_written(path, statements, data)
    assert statements.passes == 2 and len(lookups) == 1
    assert refused.value.line == 2 and refused.value.anchor.value.endswith("/a0")  # the first, at its block


def test_every_store_made_from_files_refuses_a_value_it_would_rewrite(tmp_path):
    """The site, exports with --only and the importers build their store with to_store: the same refusal."""
    from oaik.store.graph import load_store
    from oaik.store.literals import RewrittenLiteral

    path = tmp_path / "data.ttl"
    path.write_text("<https://w3id.org/oaik/id/claim/fx> <https://w3id.org/oaik/ns#value> 1.50 .\n", encoding="utf-8")
    with pytest.raises(RewrittenLiteral, match=r"data\.ttl:1: the value \"1\.50\"\^\^xsd:decimal"):
        load_store([path])


def test_a_contribution_of_many_nodes_is_validated_like_the_whole_graph_then_picked_out(validator, monkeypatch):
    """Past one focus node per MANY_FOCUS quads (and a thousand), every node is validated and the contribution's
    results picked out, and the IRIs defined twice are all looked up at once: the same report as narrowing each query."""
    import oaik.validation.definitions as definitions
    import oaik.validation.shacl as shacl
    import oaik.validation.validate as validate_module
    from oaik.paths import data_dir

    def key(report):
        return sorted(
            (r.rule, r.component or "", r.focus, r.path or "", r.value or "", r.file, r.line or 0, r.message)
            for r in report.results
        )

    folder = data_dir() / "projects"
    monkeypatch.setattr(shacl, "MANY_FOCUS", 0)  # never
    narrowed = validator.validate([folder])
    assert narrowed.results
    always = lambda count, store: True  # noqa: E731
    monkeypatch.setattr(shacl, "many_nodes", always)
    monkeypatch.setattr(validate_module, "many_nodes", always)
    monkeypatch.setattr(definitions, "_BATCH", 1)
    assert key(validator.validate([folder])) == key(narrowed)


def test_a_value_the_store_would_rewrite_on_a_blank_node_is_placed_at_the_iri_above_it(validator, tmp_path):
    path = tmp_path / "contribution.ttl"
    path.write_text(
        "@prefix oaik: <https://w3id.org/oaik/ns#> .\n\n"
        "<https://w3id.org/oaik/id/claim/fx> oaik:about <https://w3id.org/oaik/id/org/x> ;\n"
        "    oaik:participation [\n        oaik:value 1.0 ] .\n",
        encoding="utf-8",
    )
    (result,) = validator.validate([path]).results
    assert (result.rule, result.focus, result.line) == ("oaiksh:StoredAsWrittenRule", "claim:fx … [ ]", 3)


# -- what a contribution file may not be: a link, a device, a pipe, a huge file -------------

SECRET = "SECRET_TOKEN:ghp_abc123secret"


def contribution_with(tmp_path: Path, name: str, make) -> Path:
    """A folder holding a valid contribution and ``name`` made by ``make(path)``."""
    import shutil

    folder = tmp_path / "vz"
    folder.mkdir()
    shutil.copy(CONTRIBUTIONS / "valid" / "compute-partnership.ttl", folder)
    make(folder / name)
    return folder


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
@pytest.mark.parametrize("named", ["folder", "file"])
def test_a_symbolic_link_in_a_contribution_is_refused_unread(validator, tmp_path, fmt, named):
    """A link can point to any file of the machine (a CI runner's secrets): it is refused, its target is never
    read, and the report names the link, not its target."""
    from oaik.validation.report import render

    secret = tmp_path / "secretfile"
    secret.write_text(f"{SECRET} is here .\n", encoding="utf-8")
    folder = contribution_with(tmp_path, "secret.ttl", lambda link: link.symlink_to(secret))
    report = validator.validate([folder if named == "folder" else folder / "secret.ttl"])
    shown = render(report, fmt)
    assert report.exit_code() == 2
    assert "ghp_abc123" not in shown and "secretfile" not in shown
    (result,) = report.results
    assert Path(result.file).name == "secret.ttl" and "symbolic link" in result.message


def test_a_link_to_a_file_of_the_graph_is_refused_too(validator, tmp_path):
    from oaik.paths import data_dir

    target = data_dir() / "projects" / "eleutherai.ttl"
    folder = contribution_with(tmp_path, "eleutherai.ttl", lambda link: link.symlink_to(target))
    report = validator.validate([folder])
    assert report.exit_code() == 2 and "symbolic link" in report.results[0].message


@pytest.mark.parametrize("kind", ["device", "pipe", "folder", "link to a device"])
def test_a_device_pipe_or_folder_named_like_turtle_is_refused_unread(validator, tmp_path, kind):
    """Reading /dev/zero never ends (the process grew until the kernel killed it); opening a FIFO waits forever."""
    import os

    make = {
        "device": None,
        "pipe": os.mkfifo,
        "folder": lambda path: path.mkdir(),
        "link to a device": lambda path: path.symlink_to("/dev/zero"),
    }[kind]
    named = [Path("/dev/zero")] if make is None else [contribution_with(tmp_path, "odd.ttl", make)]
    report = validator.validate(named)
    assert report.exit_code() == 2
    (result,) = report.results
    expected = {"device": "a device", "pipe": "a pipe", "folder": "a folder", "link to a device": "symbolic link"}
    assert expected[kind] in result.message, result.message


def test_a_file_over_the_size_limit_is_refused_unread(validator, tmp_path):
    from oaik.inputfile import TURTLE

    def huge(path: Path) -> None:
        with path.open("wb") as stream:  # sparse: no disk space used
            stream.truncate(TURTLE.limit + 1)

    report = validator.validate([contribution_with(tmp_path, "huge.ttl", huge)])
    assert report.exit_code() == 2
    (result,) = report.results
    assert Path(result.file).name == "huge.ttl" and "larger than 64 MiB" in result.message


def test_the_cli_refuses_a_device_with_exit_code_2(capsys):
    code, out, err = run(capsys, "validate", "/dev/zero")
    assert code == 2 and "/dev/zero" in out and "a device" in out and "Traceback" not in out + err


# -- control characters of a contribution never reach the terminal ---------------------------------


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_control_characters_in_values_are_shown_escaped(validator, tmp_path, fmt):
    """A value holding ESC ] 0;pwned BEL set the title of the terminal that ran `oaik validate`."""
    from oaik.validation.report import render

    source = (CONTRIBUTIONS / "invalid" / "bad-url-datatype.ttl").read_text(encoding="utf-8")
    path = tmp_path / "title.ttl"
    path.write_text(source.replace('"https://example.org/fx-url-string"', r'"\u001B]0;pwned\u0007\u009B2J"'))
    report = validator.validate([path])
    shown = render(report, fmt)
    assert report.exit_code() == 1
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", shown), repr(shown)
    assert r"\x1b]0;pwned\x07\x9b2J" in shown


def test_control_characters_in_parser_messages_are_shown_escaped(validator, tmp_path):
    path = tmp_path / "nul.ttl"
    path.write_bytes(b"<urn:a> <urn:b> \x00\x1b[2J .\n")
    from oaik.validation.report import render

    report = validator.validate([path])
    shown = render(report, "text") + render(report, "github")
    assert report.exit_code() == 2 and not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", shown), repr(shown)
