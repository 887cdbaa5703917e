"""``write_new``: a set of files saved under the first free name, never over another file."""

from __future__ import annotations

from pathlib import Path

import pytest

from httpdiff.errors import ConflictError
from httpdiff.storage import files
from httpdiff.storage.files import write_new

TEXTS = {".har": "har", ".json": "json"}


def test_each_save_takes_the_next_free_stem(tmp_path: Path) -> None:
    stem = tmp_path / "httpdiff-20250101-120000"
    saved = [write_new(stem, {".har": f"har {n}", ".json": f"json {n}"}) for n in range(3)]
    assert [tuple(p.name for p in paths) for paths in saved] == [
        ("httpdiff-20250101-120000.har", "httpdiff-20250101-120000.json"),
        ("httpdiff-20250101-120000-2.har", "httpdiff-20250101-120000-2.json"),
        ("httpdiff-20250101-120000-3.har", "httpdiff-20250101-120000-3.json"),
    ]
    for n, (har, doc) in enumerate(saved):  # nothing was overwritten
        assert (har.read_text(), doc.read_text()) == (f"har {n}", f"json {n}")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        p.name for paths in saved for p in paths)


def test_a_set_shares_one_stem_when_only_one_of_its_names_is_taken(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text("someone else's")
    assert write_new(tmp_path / "x", TEXTS) == (tmp_path / "x-2.har", tmp_path / "x-2.json")
    assert (tmp_path / "x.json").read_text() == "someone else's"
    assert not (tmp_path / "x.har").exists()


def test_a_name_taken_while_saving_moves_the_whole_set_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = files.write_tmp

    def racing(path: Path, data: bytes) -> str:
        if path == tmp_path / "x.json":  # another process gets there between check and write
            path.write_text("theirs")
        return real(path, data)

    monkeypatch.setattr(files, "write_tmp", racing)
    assert write_new(tmp_path / "x", TEXTS) == (tmp_path / "x-2.har", tmp_path / "x-2.json")
    assert (tmp_path / "x.json").read_text() == "theirs"
    # our half-saved x.har and the temporary files are gone
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x-2.har", "x-2.json", "x.json"]


def test_no_free_name_is_an_error(tmp_path: Path) -> None:
    for name in ("x.har", "x-2.har"):
        (tmp_path / name).write_text("")
    with pytest.raises(ConflictError, match="no free name"):
        write_new(tmp_path / "x", TEXTS, tries=2)
