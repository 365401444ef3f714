"""The Model Openness Tool: one YAML file per model release, evaluated against the MOF's 17 components.

Expected shape (``schema/mof_schema.json`` of the tool): ``framework`` (name
'Model Openness Framework', version, date) and ``release`` (name, producer,
huggingface, repository, ``license`` with distribution/code/data/document
names, and ``components``: a list of {name, description, license,
license_path, component_path}). A component the file does not list is
absent; a listed component without its own licence inherits the release's
licence of its kind (code, data, document), else the distribution licence.
"""

from __future__ import annotations

from pathlib import Path

from oaik.imports import licences
from oaik.imports.common import is_web_url, other_lines, quoted, slugify, text_of, urls_of
from oaik.imports.records import Entry, Grade, OrgRef, Problem, Quoted
from oaik.imports.yamlread import Document, YamlError, load

INDEX = "mot"
FRAMEWORK_NAME = "Model Openness Framework"
#: Framework versions OAIK has a component scheme for -> framework concept slug.
FRAMEWORKS = {"1.0": "mof-1-0"}
REPOSITORY = "https://github.com/lfai/model_openness_tool"

#: Component name in the files -> (concept slug, label, release licence key it inherits).
COMPONENTS: dict[str, tuple[str, str, str]] = {
    "Model architecture": ("model-architecture", "model architecture", "code"),
    "Data preprocessing code": ("data-preprocessing-code", "data preprocessing code", "code"),
    "Training code": ("training-code", "training code", "code"),
    "Inference code": ("inference-code", "inference code", "code"),
    "Evaluation code": ("evaluation-code", "evaluation code", "code"),
    "Supporting libraries and tools": ("supporting-libraries-and-tools", "supporting libraries and tools", "code"),
    "Model parameters (Final)": ("model-parameters-final", "final model parameters", "data"),
    "Model parameters (Intermediate)": ("model-parameters-intermediate", "intermediate model parameters", "data"),
    "Datasets": ("datasets", "datasets", "data"),
    "Evaluation data": ("evaluation-data", "evaluation data", "data"),
    "Model metadata": ("model-metadata", "model metadata", "data"),
    "Sample model outputs": ("sample-model-outputs", "sample model outputs", "data"),
    "Model card": ("model-card", "model card", "document"),
    "Data card": ("data-card", "data card", "document"),
    "Technical report": ("technical-report", "technical report", "document"),
    "Research paper": ("research-paper", "research paper", "document"),
    "Evaluation results": ("evaluation-results", "evaluation results", "document"),
}
RELEASE_KEYS = {
    "name",
    "version",
    "date",
    "type",
    "architecture",
    "treatment",
    "origin",
    "producer",
    "contact",
    "repository",
    "huggingface",
    "license",
    "components",
}
COMPONENT_KEYS = {"name", "description", "license", "license_path", "component_path"}

ABSENT_NOTE = (
    "The file does not list this component under release: components:; the Model Openness Framework "
    "counts an unlisted component as not released."
)
NOT_INCLUDED_NOTE = "The file lists this component with a licence value saying it is not included."


def model_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / "models").glob("*.yml") if p.is_file() and not p.name.startswith("."))


def read(root: Path, path: Path) -> tuple[Entry | None, list[Problem]]:
    """One release file -> an entry (None when the file cannot be imported) and its problems."""
    file = path.relative_to(root).as_posix()
    problems: list[Problem] = []
    try:
        doc = load(path)
    except YamlError as error:
        return None, [Problem(file, error.line, f"{error}; file skipped")]
    problems += [
        Problem(file, line, f"key {key!r} given twice; the first is used", False) for line, key in doc.duplicate_keys
    ]
    top = doc.root
    if not isinstance(top.value, dict):
        return None, [
            *problems,
            Problem(file, top.line, "expected a mapping with framework: and release:; file skipped"),
        ]
    framework = _framework(file, top, problems)
    release = top.get("release")
    name = quoted(doc, release.get("name") if release else None)
    if framework is None:
        return None, problems
    if release is None or not isinstance(release.value, dict) or name is None:
        line = release.line if release else top.line
        return None, [*problems, Problem(file, line, "missing release: name: (the release's name); file skipped")]
    for key, node in release.value.items():
        if key not in RELEASE_KEYS:
            problems.append(Problem(file, node.key_line, f"unknown key release: {key!r}; ignored", False))
    entry = Entry(INDEX, file, slugify(path.stem), name, framework)
    for key, attribute, prefix in (
        ("huggingface", "hugging_face", "https://huggingface.co/"),
        ("repository", "repository", ""),
    ):
        links = urls_of(doc, release.get(key), file, f"release: {key}", problems)
        if links and links[0].value.startswith(prefix):
            setattr(entry, attribute, links[0])
    producer = quoted(doc, release.get("producer"))
    if producer is None:
        problems.append(Problem(file, release.line, "missing release: producer:; no organisation recorded", False))
    else:
        entry.orgs = [OrgRef(producer)]
    inherited = _release_licences(doc, release.get("license"))
    names = {name.value for name in inherited.values()}
    iris = {licences.look_up(n)[0] for n in names}
    entry.licenses = tuple(sorted(i for i in iris if i))
    entry.license_names = tuple(sorted(n for n in names if not licences.look_up(n)[0] and not licences.names_none(n)))
    entry.license_lines = other_lines(inherited.values(), 0)
    entry.grades = _components(doc, file, release, inherited, problems)
    return entry, problems


def _framework(file: str, top, problems: list[Problem]) -> str | None:
    node = top.get("framework")
    name = text_of(node.get("name")) if node else None
    version = text_of(node.get("version")) if node else None
    if name != FRAMEWORK_NAME:
        problems.append(
            Problem(
                file,
                node.line if node else top.line,
                f"framework: name: is {name!r}, not {FRAMEWORK_NAME!r}; file skipped",
            )
        )
        return None
    if version not in FRAMEWORKS:
        problems.append(
            Problem(
                file,
                node.line,
                f"framework: version: {version!r} has no component scheme in OAIK (known: {', '.join(FRAMEWORKS)}); file skipped",
            )
        )
        return None
    return FRAMEWORKS[version]


def _release_licences(doc: Document, node) -> dict[str, Quoted]:
    """release: license: -> {kind: licence name, on its line} for the kinds that name one."""
    found: dict[str, Quoted] = {}
    if node is None or not isinstance(node.value, dict):
        return found
    for kind, value in node.value.items():
        name = quoted(doc, value.get("name")) if isinstance(value.value, dict) else None
        if name:
            found[kind] = name
    return found


def _components(
    doc: Document, file: str, release, inherited: dict[str, Quoted], problems: list[Problem]
) -> list[Grade]:
    node = release.get("components")
    anchor = node.key_line if node is not None else release.line
    listed: dict[str, Grade] = {}
    items = node.value if node is not None and isinstance(node.value, list) else []
    if node is not None and not isinstance(node.value, list):
        problems.append(Problem(file, node.line, "release: components: is not a list; every component graded absent"))
    for item in items:
        component = text_of(item.get("name"))
        if not isinstance(item.value, dict) or component is None:
            problems.append(Problem(file, item.line, "a component without name:; left out"))
            continue
        if component not in COMPONENTS:
            problems.append(Problem(file, item.get("name").line, f"unknown component {component!r}; left out"))
            continue
        if COMPONENTS[component][0] in listed:
            problems.append(Problem(file, item.line, f"component {component!r} listed twice; the first is used", False))
            continue
        for key, child in item.value.items():
            if key not in COMPONENT_KEYS:
                problems.append(
                    Problem(file, child.key_line, f"unknown key {key!r} of component {component!r}; ignored", False)
                )
        listed[COMPONENTS[component][0]] = _grade(doc, file, component, item, inherited, problems)
    grades = []
    for slug, label, _kind in COMPONENTS.values():
        grades.append(listed.get(slug) or Grade(slug, label, "absent", anchor, doc.quote(anchor), note=ABSENT_NOTE))
    return grades


def _grade(
    doc: Document, file: str, component: str, item, inherited: dict[str, Quoted], problems: list[Problem]
) -> Grade:
    slug, label, kind = COMPONENTS[component]
    name_node = item.get("name")
    line = name_node.line
    quote = doc.quote(line)
    paths = [
        u
        for u in urls_of(doc, item.get("component_path"), file, f"{component}: component_path", [])
        if is_web_url(u.value)
    ]
    urls = tuple(u.value for u in paths)
    own_quote = quoted(doc, item.get("license"))
    own = own_quote.value if own_quote else None
    licence = own_quote or inherited.get(kind) or inherited.get("distribution")
    source = licence.value if licence else None
    lines = other_lines([licence, *paths], line)
    if own and licences.not_included(own):
        return Grade(slug, label, "absent", line, quote, urls, note=NOT_INCLUDED_NOTE, sources=lines)
    if source is None:
        note = "The file lists this component but names no licence for it, nor one it could inherit from release: license:."
        return Grade(slug, label, "license-unknown", line, quote, urls, note=note, sources=lines)
    names = licences.split_names(source) if not own else [own]
    looked = [(n, *licences.look_up(n)) for n in names]
    iris = tuple(sorted({iri for _n, iri, _f in looked if iri}))
    unnamed = tuple(sorted({n for n, iri, _f in looked if not iri and not licences.names_none(n)}))
    families = {family for _n, _iri, family in looked}
    inherited_from = "" if own else " (inherited from release: license:)"
    if None in families:
        grade = "license-unknown"
        why = f"OAIK cannot tell whether {source!r}{inherited_from} is an open licence"
    elif families <= licences.OPEN_FAMILIES:
        grade = "open"
        why = f"The component is released under {source!r}{inherited_from}, a licence OAIK counts as open"
    elif families == {"proprietary"}:
        grade = "restricted"
        why = (
            f"The release lists this component under {source!r}{inherited_from}, a proprietary licence: "
            "MOT does not say that anyone can obtain it"
        )
    else:
        grade = "restricted"
        why = f"The component is released under {source!r}{inherited_from}, a licence that restricts use"
    return Grade(slug, label, grade, line, quote, urls, iris, unnamed, why + " (oaik/imports/licences.py).", lines)
