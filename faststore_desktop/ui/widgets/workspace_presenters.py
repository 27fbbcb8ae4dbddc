"""Turning the core's workspace results into table rows (text, tone, tooltip); never values."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication

from faststore_desktop.core.workspace.codescan import CodeFinding, CodeIssue
from faststore_desktop.core.workspace.compare import CompareRow
from faststore_desktop.core.workspace.git import Commit
from faststore_desktop.core.workspace.hygiene import HygieneFinding, Level
from faststore_desktop.core.workspace.repoleaks import RepoLeakReport
from faststore_desktop.core.workspace.required import MissingKey
from faststore_desktop.ui.widgets.workspace_rows import Row, Tone

_LEVEL_TONES = {Level.OK: Tone.OK, Level.WARNING: Tone.WARNING, Level.ERROR: Tone.ERROR}
_ISSUES = {
    CodeIssue.UNDEFINED: "Not defined in WebOps",
    CodeIssue.UNUSED: "Defined, never used",
    CodeIssue.NOT_PUBLIC_IN_BROWSER: "Undefined in the browser",
}


def tr(text: str) -> str:
    return QCoreApplication.translate("Workspace", text)


def _commit_line(commit: Commit) -> str:
    return f"{commit.short} {commit.date[:10]} {commit.subject} ({commit.author})"


def hygiene_rows(findings: Sequence[HygieneFinding]) -> list[Row]:
    rows = []
    for finding in findings:
        detail = finding.message
        tooltip = ""
        if finding.commits:
            tooltip = "\n".join(_commit_line(c) for c in finding.commits)
            detail += " " + tr("Commits: {list}").format(
                list=", ".join(c.short for c in finding.commits)
            )
        fix = {"ignore": tr("Add to .gitignore"), "untrack": tr("Stop tracking")}
        rows.append(
            Row(
                (finding.path, detail, fix.get(finding.fix or "", "")),
                finding,
                _LEVEL_TONES[finding.level],
                tooltip,
            )
        )
    return rows


def required_rows(missing: Sequence[MissingKey]) -> list[Row]:
    return [Row((item.key, item.message, ""), item, Tone.WARNING) for item in missing]


def _webops_cell(row: CompareRow) -> str:
    if row.webops_type is None:
        return tr("missing")
    return f"{tr(row.webops_type.value)} v{row.webops_version}"


def compare_rows(rows: Sequence[CompareRow]) -> list[Row]:
    result = []
    for row in rows:
        problems = row.problems
        missing = any(p.startswith("missing") for p in problems)
        tone = Tone.OK if not problems else Tone.ERROR if missing else Tone.WARNING
        result.append(
            Row(
                (
                    row.key,
                    f"\u2022\u2022\u2022 {row.env_fingerprint}"
                    if row.in_env_file
                    else tr("missing"),
                    _webops_cell(row),
                    f"v{row.live_version}" if row.live_version is not None else tr("not deployed"),
                    ", ".join(tr(p) for p in problems) or tr("in sync"),
                ),
                row,
                tone,
            )
        )
    return result


def code_rows(findings: Sequence[CodeFinding]) -> list[Row]:
    rows = []
    for finding in findings:
        where = f"{finding.uses[0].file}:{finding.uses[0].line}" if finding.uses else ""
        if len(finding.uses) > 1:
            where += " " + tr("(+{count} more)").format(count=len(finding.uses) - 1)
        tooltip = "\n".join(f"{u.file}:{u.line}:{u.column}" for u in finding.uses)
        tone = Tone.INFO if finding.issue is CodeIssue.UNUSED else Tone.WARNING
        rows.append(
            Row(
                (tr(_ISSUES[finding.issue]), finding.key, where, finding.message),
                finding,
                tone,
                tooltip,
            )
        )
    return rows


def leak_rows(report: RepoLeakReport) -> list[Row]:
    rows = [
        Row((leak.key, f"{leak.file}:{leak.line}", tr("tracked file, now")), leak, Tone.ERROR)
        for leak in report.in_files
    ]
    rows += [
        Row(
            (leak.key, f"{leak.file}:{leak.line}", _commit_line(leak.commit)),
            leak,
            Tone.WARNING,
        )
        for leak in report.in_history
        if leak.commit is not None
    ]
    return rows
