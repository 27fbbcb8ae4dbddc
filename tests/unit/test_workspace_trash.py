"""The freedesktop.org home trash: files can be found, told apart, and put back."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

import pytest

from faststore_desktop.core.workspace.trash import FreedesktopTrash, TrashError


def test_move_writes_info_and_restore_puts_it_back(tmp_path: Path) -> None:
    folder = tmp_path / "my store"
    folder.mkdir()
    path = folder / "secrets.revealed.json"
    path.write_text("{}")
    trash = FreedesktopTrash(tmp_path / "data")
    item = trash.move(path)
    assert not path.exists()
    assert item.location == tmp_path / "data/Trash/files/secrets.revealed.json"
    assert item.info is not None
    info = item.info.read_text().splitlines()
    assert info[0] == "[Trash Info]"
    assert unquote(info[1].removeprefix("Path=")) == str(path)
    assert info[2].startswith("DeletionDate=")
    trash.restore(item)
    assert path.read_text() == "{}" and not item.info.exists()


def test_same_names_do_not_collide(tmp_path: Path) -> None:
    trash = FreedesktopTrash(tmp_path / "data")
    locations = []
    for index in range(3):
        path = tmp_path / "secrets.hidden.json"
        path.write_text(str(index))
        locations.append(trash.move(path).location.name)
    assert locations == [
        "secrets.hidden.json",
        "secrets.hidden 2.json",
        "secrets.hidden 3.json",
    ]


def test_the_xdg_data_home_is_the_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert FreedesktopTrash().root == tmp_path / "xdg" / "Trash"


def test_a_missing_file_fails_and_leaves_no_info(tmp_path: Path) -> None:
    trash = FreedesktopTrash(tmp_path / "data")
    with pytest.raises(TrashError, match=r"Cannot move nope\.json"):
        trash.move(tmp_path / "nope.json")
    assert list((tmp_path / "data/Trash/info").iterdir()) == []
