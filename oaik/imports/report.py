"""What an import did: counts, problems and matches, as a summary a person reads."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from oaik.imports.records import Problem


@dataclass
class Report:
    index: str
    files: int = 0
    imported: int = 0
    claims: int = 0
    problems: list[Problem] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)  # the problem that made each skipped file
    rules: Counter = field(default_factory=Counter)  # match rule -> entries
    across: Counter = field(default_factory=Counter)  # (match rule, same | part-of) -> entries of the other index
    notes: list[str] = field(default_factory=list)  # about the import as a whole
    new_models: int = 0
    new_orgs: int = 0
    org_rules: Counter = field(default_factory=Counter)  # (match rule, other index or "") -> organisations named
    ambiguous: int = 0
    written: int = 0
    removed: int = 0
    unchanged: int = 0

    @property
    def dropped(self) -> list[Problem]:
        """Problems that left data out (skipped files, criteria or components not imported)."""
        return [p for p in self.problems if p.dropped]

    def summary(self) -> str:
        lines = [
            f"oaik import {self.index}: {self.files} files read, {self.imported} imported, "
            f"{len(self.skipped)} skipped; {self.claims} graded claims.",
            "  matched to existing OAIK models: "
            + (", ".join(f"{n} by {rule}" for rule, n in sorted(self.rules.items()) if rule != "new-entity") or "none"),
        ]
        if self.across:
            lines.append(
                "  matched to the other index's models: "
                + ", ".join(f"{n} {relation} by {rule}" for (rule, relation), n in sorted(self.across.items()))
            )
        matched = ", ".join(
            f"{n} by {rule}" + (f" across {across.upper()}" if across else "")
            for (rule, across), n in sorted(self.org_rules.items())
        )
        lines += [
            f"  new models: {self.new_models}; organisations matched: {matched or 'none'}; new: {self.new_orgs}; "
            f"listed for a curator, not merged: {self.ambiguous}",
            f"  files written: {self.written}, unchanged: {self.unchanged}, removed: {self.removed}",
        ]
        lines += [f"  note: {note}" for note in self.notes]
        if self.problems:
            dropped, notes = len(self.dropped), len(self.problems) - len(self.dropped)
            lines.append(f"  problems: {dropped} left data out, {notes} notes (data imported):")
            lines += [
                f"    {problem}" + ("" if problem.dropped else " [note]")
                for problem in sorted(self.problems, key=lambda p: (p.file, p.line, p.message))
            ]
        return "\n".join(lines)
