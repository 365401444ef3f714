"""The European Open Source AI Index: one YAML file per model family, criteria graded open/partial/closed.

Expected shape (see the index's readme.md): ``system`` (name, link,
endmodellicense, ...), ``org`` (name, link) and, for each criterion of
``_parameters.yml``, a mapping with ``class`` (open, partial, closed, or empty
for not applicable), ``link`` (a URL or a list of URLs) and ``notes``. Notes
are free text and are never imported.
"""

from __future__ import annotations

from pathlib import Path

from oaik.imports import licences
from oaik.imports.common import other_lines, quoted, release_date_type, slugify, text_of, urls_of
from oaik.imports.records import Entry, Grade, OrgRef, Problem, Quoted
from oaik.imports.yamlread import Document, Node, YamlError, load

INDEX = "osai"
FRAMEWORK = "osai-2024"
REPOSITORY = "https://github.com/Language-Technology-Assessment/main-database"

#: The index's criterion keys (``_parameters.yml``) -> (concept slug, label), in the index's order.
CRITERIA: dict[str, tuple[str, str]] = {
    "datasources_basemodel": ("datasources-basemodel", "base model data"),
    "datasources_endmodel": ("datasources-endmodel", "end model data"),
    "weights_basemodel": ("weights-basemodel", "base model weights"),
    "weights_endmodel": ("weights-endmodel", "end model weights"),
    "trainingcode": ("training-code", "training code"),
    "code": ("code-documentation", "code documentation"),
    "hardware_architecture": ("hardware-architecture", "hardware architecture"),
    "preprint": ("preprint", "preprint"),
    "paper": ("paper", "peer-reviewed paper"),
    "modelcard": ("model-card", "model card"),
    "datasheet": ("datasheet", "datasheet"),
    "licenses": ("licenses", "licences"),
}
GRADES = {"open": "open", "partial": "partial", "closed": "closed"}
SYSTEM_KEYS = {
    "name",
    "link",
    "type",
    "performanceclass",
    "basemodelname",
    "endmodelname",
    "endmodellicense",
    "releasedate",
    "notes",
}
ORG_KEYS = {"name", "link", "notes"}
CRITERION_KEYS = {"class", "link", "notes"}


#: Files at the top of the checkout that are not model entries.
NOT_MODELS = frozenset({"a_submission_template.yaml"})


def model_files(root: Path) -> list[Path]:
    """The model files of a checkout: ``*.yaml`` at the top, except the submission template."""
    return sorted(p for p in root.glob("*.yaml") if p.is_file() and p.name not in NOT_MODELS)


def check_parameters(root: Path) -> list[Problem]:
    """Problems if the checkout's ``_parameters.yml`` names criteria OAIK does not know, or lacks some."""
    path = root / "_parameters.yml"
    if not path.is_file():
        return [Problem("_parameters.yml", 0, "missing: cannot check the criteria against the index's list", False)]
    try:
        doc = load(path)
    except YamlError as error:
        return [Problem("_parameters.yml", error.line, str(error), False)]
    refs: dict[str, int] = {}
    groups = doc.root.value if isinstance(doc.root.value, list) else []
    for group in groups:
        params = group.get("params")
        for param in params.value if params is not None and isinstance(params.value, list) else []:
            ref = text_of(param.get("ref"))
            if ref:
                refs[ref] = param.line
    problems = [
        Problem("_parameters.yml", line, f"criterion {ref!r} is not in OAIK's osaicriterion scheme; it is not imported")
        for ref, line in refs.items()
        if ref not in CRITERIA
    ]
    problems += [
        Problem("_parameters.yml", 0, f"criterion {key!r} of OAIK's scheme is no longer listed by the index", False)
        for key in CRITERIA
        if key not in refs
    ]
    return problems


def read(root: Path, path: Path) -> tuple[Entry | None, list[Problem]]:
    """One index file -> an entry (None when the file cannot be imported) and its problems."""
    file = path.relative_to(root).as_posix()
    problems: list[Problem] = []
    try:
        doc = load(path)
    except YamlError as error:
        return None, [Problem(file, error.line, f"{error}; file skipped")]
    problems += [
        Problem(file, line, f"key {key!r} given twice; the first is used", False) for line, key in doc.duplicate_keys
    ]
    root_node = doc.root
    if not isinstance(root_node.value, dict):
        return None, [
            *problems,
            Problem(file, root_node.line, "expected a mapping (system:, org:, criteria); file skipped"),
        ]
    system = root_node.get("system")
    name = quoted(doc, system.get("name") if system else None)
    if system is None or not isinstance(system.value, dict) or name is None:
        line = system.line if system else 1
        return None, [*problems, Problem(file, line, "missing system: name: (the model's name); file skipped")]
    entry = Entry(INDEX, file, slugify(path.stem), name, FRAMEWORK)
    _read_system(doc, file, system, entry, problems)
    _read_org(doc, file, root_node.get("org"), entry, problems)
    for key, node in root_node.value.items():
        if key not in CRITERIA and key not in ("system", "org"):
            problems.append(Problem(file, node.key_line, f"unknown key {key!r}; ignored", False))
    for key, (slug, label) in CRITERIA.items():
        grade = _read_criterion(doc, file, key, slug, label, root_node.get(key), root_node.line, problems)
        if grade is not None:
            entry.grades.append(grade)
    return entry, problems


def _read_system(doc: Document, file: str, system: Node, entry: Entry, problems: list[Problem]) -> None:
    for key, node in system.value.items():
        if key not in SYSTEM_KEYS:
            problems.append(Problem(file, node.key_line, f"unknown key system: {key!r}; ignored", False))
    links = urls_of(doc, system.get("link"), file, "system: link", problems)
    for link in links[:1]:
        if link.value.startswith("https://huggingface.co/"):
            entry.hugging_face = link
        elif link.value.startswith("https://github.com/"):
            entry.repository = link
        else:
            entry.website = link
    license_text = quoted(doc, system.get("endmodellicense"))
    if license_text:
        iris: list[str] = []
        names: list[str] = []
        for part in licences.split_names(license_text.value):
            iri, _family = licences.look_up(part)
            if iri or not licences.names_none(part):  # 'Unknown' names no licence
                (iris if iri else names).append(iri or part)
        entry.licenses, entry.license_names = tuple(sorted(set(iris))), tuple(sorted(set(names)))
        entry.license_lines = (license_text,)
    released = quoted(doc, system.get("releasedate"))
    if released is not None:
        if release_date_type(released.value):
            entry.released = released
        else:
            problems.append(
                Problem(
                    file,
                    released.line,
                    f"system: releasedate {released.value!r} is not YYYY, YYYY-MM or YYYY-MM-DD; left out",
                    False,
                )
            )


def _read_org(doc: Document, file: str, org: Node | None, entry: Entry, problems: list[Problem]) -> None:
    if org is None or not isinstance(org.value, dict):
        problems.append(Problem(file, org.line if org else 0, "missing org: mapping; no organisation recorded", False))
        return
    for key, node in org.value.items():
        if key not in ORG_KEYS:
            problems.append(Problem(file, node.key_line, f"unknown key org: {key!r}; ignored", False))
    name = quoted(doc, org.get("name"))
    if name is None:
        problems.append(Problem(file, org.line, "missing org: name:; no organisation recorded", False))
        return
    links = urls_of(doc, org.get("link"), file, "org: link", problems)
    parts = [part.strip() for part in name.value.split(" and ")]
    if len(parts) > 1 and len(parts) == len(links):  # "A and B" with one link each
        entry.orgs = [
            OrgRef(Quoted(part, name.line, name.quote), link) for part, link in zip(parts, links, strict=True)
        ]
    else:
        entry.orgs = [OrgRef(name, links[0] if len(links) == 1 else None)]


def _read_criterion(
    doc: Document, file: str, key: str, slug: str, label: str, node: Node | None, top: int, problems: list[Problem]
) -> Grade | None:
    if node is None:
        problems.append(Problem(file, top, f"criterion {key!r} is missing; not imported"))
        return None
    if not isinstance(node.value, dict):
        problems.append(Problem(file, node.line, f"criterion {key!r} is not a mapping with class:/link:; not imported"))
        return None
    for extra, child in node.value.items():
        if extra not in CRITERION_KEYS:
            problems.append(Problem(file, child.key_line, f"unknown key {key}: {extra!r}; ignored", False))
    grade_node = node.get("class")
    value = text_of(grade_node)
    if value is None:
        grade = "not-assessed"
    elif value.lower() in GRADES:
        grade = GRADES[value.lower()]
    else:
        line = grade_node.line if grade_node else node.line
        problems.append(
            Problem(file, line, f"{key}: class {value!r} is not open, partial, closed or empty; criterion not imported")
        )
        return None
    line = grade_node.key_line if grade_node is not None else node.key_line
    links = urls_of(doc, node.get("link"), file, f"{key}: link", problems)
    urls = tuple(sorted({u.value for u in links}))
    return Grade(slug, label, grade, line, doc.quote(line), urls, sources=other_lines(links, line))
