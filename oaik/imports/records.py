"""What an importer reads from one index file, before it is matched to OAIK entities."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One deviation of a file from what the importer expects.

    ``dropped`` says whether data was left out because of it (the file, or a
    grade); a problem that drops nothing is a note.
    """

    file: str
    line: int
    message: str
    dropped: bool = True

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}" if self.line else f"{self.file}: {self.message}"


@dataclass(frozen=True)
class Quoted:
    """A value and the line of the file that holds it (quoted verbatim as evidence)."""

    value: str
    line: int
    quote: str


@dataclass(frozen=True)
class Grade:
    criterion: str  # concept slug in the framework's criteria scheme
    label: str  # the criterion's label, for the claim's label
    grade: str  # concept slug in the opennessgrade scheme
    line: int
    quote: str
    urls: tuple[str, ...] = ()
    licenses: tuple[str, ...] = ()  # licence IRIs
    license_names: tuple[str, ...] = ()  # licence names with no IRI
    note: str | None = None  # set when OAIK inferred the grade (the evidence is then "inferred")
    sources: tuple[Quoted, ...] = ()  # other lines its facts are read from (links, licence): evidence too


@dataclass(frozen=True)
class OrgRef:
    name: Quoted
    link: Quoted | None = None


@dataclass
class Entry:
    """One model (family or release) as one index file describes it."""

    index: str  # "osai" or "mot"
    file: str  # path inside the upstream checkout
    slug: str  # the file's slug, unique within the index
    name: Quoted
    framework: str  # concept slug in the framework scheme
    hugging_face: Quoted | None = None
    repository: Quoted | None = None
    website: Quoted | None = None
    orgs: list[OrgRef] = field(default_factory=list)
    licenses: tuple[str, ...] = ()  # the model's licence IRIs, as the index names them
    license_names: tuple[str, ...] = ()
    license_lines: tuple[Quoted, ...] = ()  # the lines that name the model's licences
    released: Quoted | None = None  # the release date the index gives (OSAI's releasedate)
    grades: list[Grade] = field(default_factory=list)
