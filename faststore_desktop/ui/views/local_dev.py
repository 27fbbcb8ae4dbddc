"""Local development: the store's vtex.env, its git hygiene, drift from WebOps, code and leaks.

The view is thin: the rules and every file and git operation are in core/workspace, run off the
event loop. Without git, or outside a repository, the view says so and still edits vtex.env.
"""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QWidget,
)

from faststore_desktop import paths
from faststore_desktop.core.entries import Entry
from faststore_desktop.core.legacy import REVEALED_FILE, read_revealed
from faststore_desktop.core.workspace.codescan import CodeFinding, check_folder_async
from faststore_desktop.core.workspace.compare import gather_compare
from faststore_desktop.core.workspace.git import GitError, GitRepo
from faststore_desktop.core.workspace.hygiene import (
    ENV_FILE,
    Fix,
    HygieneFinding,
    apply_fix_async,
    check_repository_async,
)
from faststore_desktop.core.workspace.pull import plan_pull
from faststore_desktop.core.workspace.repoleaks import scan_repository_async, secret_values
from faststore_desktop.core.workspace.required import missing_required_keys
from faststore_desktop.ui.context import StoreContext
from faststore_desktop.ui.dialogs.run import run_dialog
from faststore_desktop.ui.dialogs.workspace_pull import PullDialog
from faststore_desktop.ui.store_folder import code_folder, set_code_folder
from faststore_desktop.ui.tasks import spawn
from faststore_desktop.ui.views.loading import LoadWhenShown, read_current
from faststore_desktop.ui.widgets.file_actions import FileLocation, FileLocationActions
from faststore_desktop.ui.widgets.view_header import view_layout
from faststore_desktop.ui.widgets.workspace_env_editor import EnvEditor
from faststore_desktop.ui.widgets.workspace_presenters import (
    code_rows,
    compare_rows,
    hygiene_rows,
    leak_rows,
    required_rows,
)
from faststore_desktop.ui.widgets.workspace_results import ResultsPage
from faststore_desktop.ui.widgets.workspace_rows import RowRole, Tone
from faststore_desktop.webops.errors import WebOpsError

#: Edits of vtex.env are compared with WebOps again after this pause.
COMPARE_DELAY_MS = 600


def backup_path(store_id: str, folder: Path) -> Path:
    """Outside the store folder, so the backup (values in clear) can never be committed."""
    digest = hashlib.sha256(str(folder).encode()).hexdigest()[:12]
    return paths.data_dir() / "env-backups" / f"{store_id}-{digest}.env"


class LocalDevView(QWidget):
    view_name = "local"

    def __init__(self, context: StoreContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(self.view_name)
        self._context = context
        self._folder: Path | None = None
        self._repo: GitRepo | None = None
        self._entries: list[Entry] = []
        self._hygiene: list[HygieneFinding] = []
        self._loader = LoadWhenShown(self, self._inspect_again)
        self._inspect_task: asyncio.Task[None] | None = None

        self.folder_label = QLabel(self)
        self.folder_label.setObjectName("storeFolder")
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.choose_button = QPushButton(self.tr("Choose folder…"), self)
        self.choose_button.setObjectName("chooseFolder")
        self.choose_button.clicked.connect(lambda: spawn(self.choose_folder()))
        self.pull_button = QPushButton(self.tr("Pull from WebOps…"), self)
        self.pull_button.setObjectName("pullFromWebOps")
        self.pull_button.clicked.connect(lambda: spawn(self.pull()))
        self.git_label = QLabel(self)
        self.git_label.setObjectName("gitState")
        self.git_label.setWordWrap(True)
        self.git_label.hide()  # shown once a folder's repository is known

        self.editor = EnvEditor(self)
        self.editor.notice.connect(self._context.toast.emit)
        self.editor.documentChanged.connect(self._on_document_changed)
        self._build_pages()

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("localTabs")
        self.tabs.addTab(self.editor, ENV_FILE)
        self.tabs.addTab(self.checks, self.tr("Checks"))
        self.tabs.addTab(self.compare, self.tr("Compare"))
        self.tabs.addTab(self.code, self.tr("Code check"))
        self.tabs.addTab(self.leaks, self.tr("Leak scan"))

        self._lay_out()

        self._compare_timer = QTimer(self)
        self._compare_timer.setSingleShot(True)
        self._compare_timer.setInterval(COMPARE_DELAY_MS)
        self._compare_timer.timeout.connect(lambda: spawn(self.run_compare()))
        context.storeChanged.connect(self._on_store_changed)
        context.codeFolderChanged.connect(self._on_store_changed)
        context.entriesChanged.connect(self._compare_timer.start)
        context.deploymentsChanged.connect(self._compare_timer.start)
        self._show_folder()

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Code folder:"), self))
        top.addWidget(self.folder_label, 1)
        top.addWidget(self.choose_button)
        top.addWidget(self.pull_button)
        layout = view_layout(
            self,
            self.tr(
                "The store's vtex.env on this computer, checked against WebOps, the code and the "
                "git repository. It must never be committed."
            ),
        )
        layout.addLayout(top)
        layout.addWidget(self.git_label)
        layout.addWidget(self.tabs, 1)

    def _build_pages(self) -> None:
        self.checks = ResultsPage(
            "checks",
            self.tr("Checks"),
            [self.tr("File or key"), self.tr("Finding"), self.tr("Fix")],
            self.tr("Fix selected"),
            self,
            stretch_column=1,
            wrap=True,
        )
        self.checks.button.setEnabled(False)
        self.checks.button.clicked.connect(lambda: spawn(self.fix_selected()))
        self.checks.table.selectionModel().selectionChanged.connect(self._on_check_selected)
        self.recheck_button = QPushButton(self.tr("Check again"), self.checks)
        self.recheck_button.clicked.connect(self.refresh)
        self.checks.extra.addWidget(self.recheck_button)
        self.compare = ResultsPage(
            "compare",
            self.tr("Compare"),
            [
                self.tr("Key"),
                self.tr("vtex.env"),
                self.tr("WebOps now"),
                self.tr("Live deployment"),
                self.tr("Status"),
            ],
            self.tr("Refresh"),
            self,
            stretch_column=4,
        )
        self.compare.button.clicked.connect(lambda: spawn(self.run_compare()))
        self.code = ResultsPage(
            "codeCheck",
            self.tr("Code check"),
            [self.tr("Issue"), self.tr("Key"), self.tr("Where"), self.tr("Details")],
            self.tr("Run code check"),
            self,
            stretch_column=3,
            wrap=True,
        )
        self.code.button.clicked.connect(lambda: spawn(self.run_code_check()))
        self.code_files = FileLocationActions(self.code.table, self._code_location)
        self.code_files.failed.connect(lambda message: self._context.toast.emit(message, "error"))
        self.leaks = ResultsPage(
            "leakScan",
            self.tr("Leak scan"),
            [self.tr("Key"), self.tr("Where"), self.tr("Found in")],
            self.tr("Scan repository"),
            self,
            stretch_column=2,
        )
        # One button: "Scan repository", or "Cancel" while a scan runs; as wide as either.
        widths = []
        for text in (self.tr("Cancel"), self.tr("Scan repository")):
            self.leaks.button.setText(text)
            widths.append(self.leaks.button.sizeHint().width())
        self.leaks.button.setMinimumWidth(max(widths))
        self.leaks.button.clicked.connect(self._scan_or_cancel)
        self._leak_scan: asyncio.Task[None] | None = None

    # -- loading ------------------------------------------------------------------------------

    def refresh(self) -> None:
        self._loader.request()

    def _inspect_again(self) -> None:
        if self._inspect_task is not None:
            self._inspect_task.cancel()  # its answers would be stale: only the newest shows
        self._inspect_task = spawn(self.inspect())

    async def inspect(self) -> None:
        """Load vtex.env, find the repository, run the checks and the compare."""
        store = self._context.store
        self._show_folder()
        folder = self._folder
        if store is None or folder is None:
            self.editor.open_file(None, None)
            self._show_git("")
            return
        path = folder / ENV_FILE
        generation = self._context.generation
        # Finding the backup's place makes the app's data folder when it is missing: disk work.
        backup = await asyncio.to_thread(backup_path, store.id, folder)
        if generation != self._context.generation:
            return  # another store is open: its own inspection follows
        if self.editor.path != path or not self.editor.dirty:  # never drop unsaved edits
            self.editor.open_file(path, backup)
            await self.editor.load()
        try:
            repo: GitRepo | None = await GitRepo.open_async(folder)
            git_text = self.tr("Git repository: {top}").format(top=repo.top if repo else "")
        except GitError as error:
            repo, git_text = None, error.message + " " + self.tr("vtex.env can still be edited.")
        self._repo = repo
        self._show_git(git_text)
        self.leaks.button.setEnabled(repo is not None)
        await self._load_entries()
        self._hygiene = []
        if repo is not None:
            try:
                self._hygiene = await check_repository_async(repo)
            except GitError as error:
                self._context.toast.emit(error.message, "error")
        self._show_checks()
        await self.run_compare()

    async def _load_entries(self) -> None:
        webops, store = self._context.require()
        try:
            self._entries = list(await webops.list_entries(store.id))
        except WebOpsError as error:
            self._context.toast.emit(error.message, "error")

    # -- folder -------------------------------------------------------------------------------

    async def choose_folder(self) -> None:
        dialog = QFileDialog(self, self.tr("The store's code folder"))
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly)
        if self._folder is not None:
            dialog.setDirectory(str(self._folder))
        if await run_dialog(dialog) != QDialog.DialogCode.Accepted or not dialog.selectedFiles():
            return
        await self.set_folder(Path(dialog.selectedFiles()[0]))

    async def set_folder(self, folder: Path) -> None:
        """Make `folder` the store's code folder on this computer (see ui/store_folder.py); the
        change reloads the view."""
        try:
            await set_code_folder(self._context, folder)
        except WebOpsError as error:
            self._context.toast.emit(error.message, "error")

    def _show_git(self, text: str) -> None:
        self.git_label.setText(text)
        self.git_label.setVisible(bool(text))  # no empty line while there is no folder

    def _show_folder(self) -> None:
        store = self._context.store
        self._folder = code_folder(self._context)
        self.folder_label.setText(
            str(self._folder) if self._folder else self.tr("No code folder chosen for this store")
        )
        self.choose_button.setEnabled(store is not None)
        self.pull_button.setEnabled(self._folder is not None)
        for page in (self.compare, self.code):
            page.button.setEnabled(self._folder is not None)
        self.leaks.button.setEnabled(self._repo is not None or self.leak_scan_running)

    # -- checks -------------------------------------------------------------------------------

    def _show_checks(self) -> None:
        missing = missing_required_keys({e.key for e in self._entries}, self.editor.values())
        rows = hygiene_rows(self._hygiene) + required_rows(missing)
        problems = sum(1 for row in rows if row.tone not in (None, Tone.OK))
        summary = (
            self.tr("%n problem(s) found.", "", problems)
            if problems
            else self.tr("Everything looks right.")
        )
        if self._repo is None and self._folder is not None:
            summary += " " + self.tr("Git checks skipped: {why}").format(why=self.git_label.text())
        self.checks.show_rows(rows, summary)
        self._on_check_selected()

    def _on_check_selected(self) -> None:
        finding = self.checks.selected_payload()
        self.checks.button.setEnabled(
            isinstance(finding, HygieneFinding) and finding.fix is not None
        )

    async def fix_selected(self) -> None:
        """Apply the selected finding's fix, then check again what the Checks page shows: the
        repository, and the keys a build needs against the entries in WebOps."""
        finding = self.checks.selected_payload()
        repo = self._repo
        if repo is None or not isinstance(finding, HygieneFinding) or finding.fix is None:
            return
        webops, store = self._context.require()
        generation = self._context.generation
        try:
            await apply_fix_async(repo, finding)
        except GitError as error:
            self._context.toast.emit(error.message, "error")
            return
        done = {
            Fix.IGNORE: self.tr("{path} added to .gitignore"),
            Fix.UNTRACK: self.tr("{path} is no longer tracked; commit the change"),
        }[finding.fix]
        self._context.toast.emit(done.format(path=finding.path), "success")
        try:
            hygiene = await check_repository_async(repo)
            entries = list(await webops.list_entries(store.id))
        except (GitError, WebOpsError) as error:  # WebOpsError: KeychainUnavailableError too
            if generation == self._context.generation:
                self._context.toast.emit(
                    self.tr("Could not check again: {why}").format(why=error.message), "error"
                )
            return
        if generation != self._context.generation or repo is not self._repo:
            return  # another store or folder is shown now
        self._hygiene, self._entries = hygiene, entries
        self._show_checks()

    def _on_document_changed(self) -> None:
        self._show_checks()
        self._compare_timer.start()

    # -- compare, pull ------------------------------------------------------------------------

    async def run_compare(self) -> None:
        if self._context.store is None or self._folder is None:
            return
        rows = await read_current(
            self._context,
            lambda webops, store: gather_compare(webops, store.id, self.editor.values()),
        )
        if rows is None:
            return
        out_of_step = sum(1 for row in rows if row.problems)
        self.compare.show_rows(
            compare_rows(rows),
            self.tr("{count} of %n key(s) out of step.", "", len(rows)).format(count=out_of_step)
            if out_of_step
            else self.tr("vtex.env, WebOps and the live deployment agree."),
        )

    async def pull(self) -> None:
        await self._load_entries()
        plan = plan_pull(self.editor.document.render(), self._entries)
        dialog = PullDialog(plan, self)
        accepted = await run_dialog(dialog) == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        if accepted and plan.writes:
            self.editor.replace_text(plan.text_after)
            await self.editor.write()

    # -- code and leaks -----------------------------------------------------------------------

    async def run_code_check(self) -> None:
        if self._folder is None:
            return
        self.code.button.setEnabled(False)
        try:
            await self._load_entries()
            findings = await check_folder_async(self._folder, {e.key for e in self._entries})
        finally:
            self.code.button.setEnabled(True)
        self.code.show_rows(
            code_rows(findings),
            self.tr(
                "%n finding(s). Double-click one, or press Enter, to open its file; "
                "right-click for more.",
                "",
                len(findings),
            )
            if findings
            else self.tr("The code reads only keys WebOps defines, each where it can."),
        )

    def _code_location(self, index: QModelIndex) -> FileLocation | None:
        """Where a finding's first use is (the one its row shows)."""
        finding = index.data(RowRole.PAYLOAD) if index.isValid() else None
        if isinstance(finding, CodeFinding) and finding.uses and self._folder is not None:
            use = finding.uses[0]
            return FileLocation(self._folder / use.file, use.line)
        return None

    @property
    def leak_scan_running(self) -> bool:
        return self._leak_scan is not None and not self._leak_scan.done()

    def _scan_or_cancel(self) -> None:
        if self.leak_scan_running:
            self.cancel_leak_scan()
        else:
            self._leak_scan = spawn(self.run_leak_scan())

    def cancel_leak_scan(self) -> None:
        """Stop the scan: its git commands are killed; the page then says so."""
        if self._leak_scan is not None:
            self._leak_scan.cancel()

    async def run_leak_scan(self) -> None:
        if self._repo is None or self._folder is None:
            return
        repo, folder = self._repo, self._folder
        generation = self._context.generation
        self.leaks.button.setText(self.tr("Cancel"))
        self.leaks.show_rows([], self.tr("Searching the tracked files and the history…"))
        try:
            revealed = await asyncio.to_thread(read_revealed, folder / REVEALED_FILE)
            text_keys = {e.key for e in self._entries if not e.is_secret}
            values = secret_values(self.editor.values(), revealed.values, text_keys=text_keys)
            report = await scan_repository_async(repo, values)
        except GitError as error:
            self.leaks.summary.setText(error.message)
            return
        except asyncio.CancelledError:
            if generation == self._context.generation:  # else the page is another store's
                self.leaks.summary.setText(self.tr("Scan cancelled."))
            raise
        finally:
            self.leaks.button.setText(self.tr("Scan repository"))
            self.leaks.button.setEnabled(self._repo is not None)
        searched = len(values) - len(report.skipped)
        summary = (
            self.tr(
                "Values of %n key(s) are in the repository. Rotate them: anyone with a "
                "clone can read them.",
                "",
                len({leak.key for leak in report.in_files + report.in_history}),
            )
            if report.found
            else self.tr("No value of %n secret(s) was found in the repository.", "", searched)
        )
        self.leaks.show_rows(leak_rows(report), summary)

    # -- events -------------------------------------------------------------------------------

    def _on_store_changed(self) -> None:
        self.cancel_leak_scan()
        self._repo, self._entries, self._hygiene = None, [], []
        for page in (self.checks, self.compare, self.code, self.leaks):
            page.show_rows([], "")
        self._show_git("")  # the repository of the folder shown before
        self._show_folder()
        self._loader.request()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._loader.shown()
