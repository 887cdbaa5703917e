"""A collection folder: loading, groups, broken files left alone, atomic saves, conflicts."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from httpdiff.errors import ConflictError, InvalidRequest, LoadError, UnknownName
from httpdiff.model import Body, RequestSpec
from httpdiff.noise import NoiseRule, NoiseRules
from httpdiff.storage import collection as coll
from httpdiff.storage.environment import load_environment
from httpdiff.storage.noise_file import noise_rules_from_yaml


def _write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _snapshot(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.fixture
def root(tmp_path: Path) -> Path:
    base = tmp_path / "api"
    _write(base, "health.yaml", "url: http://h.test/health\n")
    _write(base, "users/list.yaml", "url: http://h.test/users\n")
    _write(base, "users/admin/Get.yaml", "method: POST\nurl: http://h.test/admin\n")
    _write(base, "users/broken.yaml", "url: [unclosed\n")
    _write(base, "Zeta.yaml", "url: http://h.test/z\n")
    _write(base, "noise.yaml", "rules:\n- kind: header\n  pattern: x-served-by\n")
    _write(base, "environments/local.yaml", "base: http://127.0.0.1\n")
    _write(base, ".hidden/secret.yaml", "url: http://h.test/no\n")
    _write(base, "notes.txt", "not a request\n")
    return base


def test_load_groups_sorts_and_skips_own_files(root: Path) -> None:
    loaded = coll.load_collection(root)
    assert [e.relative for e in loaded.entries] == [
        "health", "Zeta", "users/broken", "users/list", "users/admin/Get",
    ]
    assert loaded.groups == ("", "users", "users/admin")
    assert loaded.get("users/list").spec == RequestSpec(url="http://h.test/users", name="list")
    assert loaded.get("users/admin/Get.yaml").spec.method == "POST"  # type: ignore[union-attr]
    assert loaded.rules == NoiseRules(rules=(NoiseRule("header", "x-served-by", ""),))
    assert loaded.rules_error is None
    assert loaded.environments == ("local",)
    with pytest.raises(UnknownName, match="no request 'nope'"):
        loaded.get("nope")


def test_broken_file_is_an_entry_and_never_rewritten(root: Path) -> None:
    before = _snapshot(root)
    loaded = coll.load_collection(root)
    broken = loaded.get("users/broken")
    assert broken.spec is None
    assert broken.error is not None and "invalid YAML" in broken.error
    assert broken.path == root / "users" / "broken.yaml"
    assert loaded.errors == (broken,)
    assert _snapshot(root) == before


def test_not_a_folder_is_a_load_error(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="is not a folder"):
        coll.load_collection(tmp_path / "missing")


def test_undecodable_and_huge_files_are_entries(tmp_path: Path) -> None:
    (tmp_path / "bin.yaml").write_bytes(b"\xff\xfe\x00url: x")
    (tmp_path / "huge.yaml").write_bytes(b"#" * (coll.MAX_FILE_BYTES + 1))
    os.mkfifo(tmp_path / "fifo.yaml")  # would block a naive reader forever
    loaded = coll.load_collection(tmp_path)
    errors = {e.relative: e.error for e in loaded.entries}
    assert set(errors) == {"bin", "huge"}
    assert "not UTF-8" in (errors["bin"] or "")
    assert "larger than" in (errors["huge"] or "")


def test_save_is_atomic_and_cleans_up(tmp_path: Path) -> None:
    spec = RequestSpec(method="PUT", url="http://h.test/x", body=Body(kind="text", text="a\nb\n"))
    path = coll.save_request(tmp_path, "g/sub/item", spec)
    assert path == tmp_path / "g" / "sub" / "item.yaml"
    assert coll.load_collection(tmp_path).get("g/sub/item").spec == RequestSpec(
        method="PUT", url="http://h.test/x", body=Body(kind="text", text="a\nb\n"), name="item",
    )
    assert [p.name for p in (tmp_path / "g" / "sub").iterdir()] == ["item.yaml"]


@pytest.mark.parametrize("bad", ["../out", "/etc/passwd", "a/../../b", ".git/x", "noise",
                                 "environments/local", "", "a\x00b", "a/ /b"])
def test_paths_cannot_leave_or_collide_with_the_collection(tmp_path: Path, bad: str) -> None:
    with pytest.raises(InvalidRequest):
        coll.save_request(tmp_path, bad, RequestSpec())
    assert list(tmp_path.iterdir()) == []


def test_conflict_when_file_changed_on_disk(tmp_path: Path) -> None:
    coll.save_request(tmp_path, "a", RequestSpec(url="http://h.test/1"))
    entry = coll.load_collection(tmp_path).get("a")
    assert not coll.changed_on_disk(entry)
    # a touch without an edit is not a change
    os.utime(entry.path, ns=(1, 1))
    assert not coll.changed_on_disk(entry)
    coll.save_request(tmp_path, "a", RequestSpec(url="http://h.test/2"), expected=entry.fingerprint)
    # now someone else edits the file
    entry = coll.load_collection(tmp_path).get("a")
    entry.path.write_text("url: http://h.test/by-hand\n")
    assert coll.changed_on_disk(entry)
    with pytest.raises(ConflictError, match="changed on disk"):
        coll.save_request(tmp_path, "a", RequestSpec(url="http://h.test/3"),
                          expected=entry.fingerprint)
    assert entry.path.read_text() == "url: http://h.test/by-hand\n"
    entry.path.unlink()
    with pytest.raises(ConflictError, match="deleted"):
        coll.save_request(tmp_path, "a", RequestSpec(), expected=entry.fingerprint)


def test_create_rename_move_duplicate_delete(tmp_path: Path) -> None:
    coll.create_request(tmp_path, "one", RequestSpec(url="http://h.test/1"))
    with pytest.raises(ConflictError, match="already exists"):
        coll.create_request(tmp_path, "one", RequestSpec(url="http://h.test/other"))
    (tmp_path / "one.yaml").write_text("# my comment\nurl: http://h.test/1\n")

    copy = coll.duplicate_request(tmp_path, "one")
    second = coll.duplicate_request(tmp_path, "one")
    assert (copy.name, second.name) == ("one-copy.yaml", "one-copy-2.yaml")
    assert copy.read_text() == "# my comment\nurl: http://h.test/1\n"  # byte for byte

    renamed = coll.rename_request(tmp_path, "one-copy", "two")
    assert renamed == tmp_path / "two.yaml" and not copy.exists()
    with pytest.raises(ConflictError):
        coll.rename_request(tmp_path, "two", "one")
    with pytest.raises(InvalidRequest):
        coll.rename_request(tmp_path, "two", "x/y")

    moved = coll.move_request(tmp_path, "two", "group/inner")
    assert moved == tmp_path / "group" / "inner" / "two.yaml"
    assert coll.move_request(tmp_path, "group/inner/two", "") == tmp_path / "two.yaml"
    assert not (tmp_path / "group").exists() or not any((tmp_path / "group").rglob("*.yaml"))

    entry = coll.load_collection(tmp_path).get("two")
    entry.path.write_text("url: http://h.test/changed\n")
    with pytest.raises(ConflictError):
        coll.delete_request(tmp_path, "two", expected=entry.fingerprint)
    coll.save_request(tmp_path, "deep/er/three", RequestSpec())
    coll.delete_request(tmp_path, "deep/er/three")
    assert not (tmp_path / "deep").exists()  # emptied folders go too
    coll.delete_request(tmp_path, "two")
    with pytest.raises(UnknownName):
        coll.delete_request(tmp_path, "two")
    names = sorted(e.relative for e in coll.load_collection(tmp_path).entries)
    assert names == ["one", "one-copy-2"]


def test_noise_rules_round_trip_through_the_root(tmp_path: Path) -> None:
    rules = NoiseRules(
        rules=(NoiseRule("header", "x-served-by", "per node"), NoiseRule("json-path", "$.id")),
        timing_threshold_ms=200.0, use_defaults=False,
    )
    path = coll.save_noise_rules(tmp_path, rules)
    assert path == tmp_path / "noise.yaml"
    assert path.read_text() == (
        "use_defaults: false\ntiming_threshold_ms: 200.0\n"
        "rules:\n- kind: header\n  pattern: x-served-by\n  reason: per node\n"
        "- kind: json-path\n  pattern: $.id\n"
    )
    loaded = coll.load_collection(tmp_path)
    assert loaded.rules == rules
    assert coll.save_noise_rules(tmp_path, NoiseRules()).read_text() == "{}\n"


@pytest.mark.parametrize(("text", "reason"), [
    ("rules: {a: b}\n", "field rules: must be a list"),
    ("rules:\n- kind: cookie\n  pattern: x\n", "rules[0].kind: must be one of"),
    ("rules:\n- kind: header\n", "rules[0].pattern: must be non-empty text"),
    ("timing_ratio: -1\n", "field timing_ratio: must be a finite number"),
    ("use_defaults: maybe\n", "field use_defaults: must be true or false"),
    ("colour: 1\n", "unknown field"),
])
def test_bad_noise_file_is_reported_and_defaults_used(
    tmp_path: Path, text: str, reason: str
) -> None:
    with pytest.raises(LoadError) as caught:
        noise_rules_from_yaml(text, "noise.yaml")
    assert reason in str(caught.value)
    _write(tmp_path, "noise.yaml", text)
    loaded = coll.load_collection(tmp_path)
    assert loaded.rules == NoiseRules()
    assert loaded.rules_error is not None and reason in loaded.rules_error


def test_save_environment_round_trip(tmp_path: Path) -> None:
    path = coll.save_environment(tmp_path, "staging", {"base": "http://s.test", "n": "8080"})
    assert path == tmp_path / "environments" / "staging.yaml"
    assert path.read_text() == "base: http://s.test\nn: '8080'\n"
    assert load_environment(tmp_path, "staging") == {"base": "http://s.test", "n": "8080"}
    assert coll.load_collection(tmp_path).environments == ("staging",)


def test_default_collection_dir_follows_the_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTPDIFF_DATA_DIR", str(tmp_path))
    assert coll.default_collection_dir() == tmp_path / "collection"


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.binary(max_size=200) | st.text(max_size=200).map(str.encode), min_size=1,
                max_size=4))
def test_hostile_files_become_error_entries_and_stay_untouched(
    tmp_path_factory: pytest.TempPathFactory, contents: list[bytes]
) -> None:
    base = tmp_path_factory.mktemp("hostile")
    for i, data in enumerate(contents):
        (base / f"r{i}.yaml").write_bytes(data)
    (base / "noise.yaml").write_bytes(contents[0])
    before = _snapshot(base)
    loaded = coll.load_collection(base)
    assert len(loaded.entries) == len(contents)
    for entry in loaded.entries:
        assert (entry.spec is None) != (entry.error is None)
    assert _snapshot(base) == before
