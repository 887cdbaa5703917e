"""CollectionState without a screen: dirty, conflicts, folders, environments, resolving."""

from __future__ import annotations

from pathlib import Path

import pytest

from httpdiff.errors import ConflictError, InvalidRequest, UnknownName
from httpdiff.model import Options, RequestSpec
from httpdiff.storage.collection import save_request
from httpdiff.storage.environment import save_environment
from httpdiff.ui.collection_state import CollectionState


def collection(tmp_path: Path) -> Path:
    root = tmp_path / "c"
    root.mkdir()
    save_request(root, "a", RequestSpec(url="{{base}}/a", options=Options(ca_bundle="ca.pem")))
    save_environment(root, "dev", {"base": "http://127.0.0.1:1"})
    (root / ".env").write_text("TOKEN=t0ps3cret\n")
    return root


def test_dirty_is_the_spec_against_the_baseline(tmp_path: Path) -> None:
    state = CollectionState(collection(tmp_path))
    spec = state.spec_of("a")
    state.opened("a", spec)
    assert not state.is_dirty(spec)
    assert state.is_dirty(RequestSpec(url="changed", name="a"))
    assert state.is_dirty(None)  # an unreadable editor is never "clean"


def test_save_refuses_a_file_changed_on_disk_unless_forced(tmp_path: Path) -> None:
    root = collection(tmp_path)
    state = CollectionState(root)
    state.opened("a", state.spec_of("a"))
    (root / "a.yaml").write_text("url: http://elsewhere.invalid/\n")
    assert state.changed_on_disk()
    with pytest.raises(ConflictError):
        state.save(RequestSpec(url="{{base}}/mine"))
    state.save(RequestSpec(url="{{base}}/mine"), force=True)
    assert "mine" in (root / "a.yaml").read_text()
    assert not state.changed_on_disk()


def test_unsaved_request_has_no_file_until_save_as(tmp_path: Path) -> None:
    root = collection(tmp_path)
    state = CollectionState(root)
    state.opened(None, RequestSpec())
    with pytest.raises(UnknownName):
        state.save(RequestSpec(url="x"))
    assert state.save_as("g/new", RequestSpec(url="x")) == "g/new"
    assert state.current == "g/new" and (root / "g" / "new.yaml").is_file()
    with pytest.raises(ConflictError):
        state.save_as("g/new", RequestSpec(url="y"))


def test_folders_include_empty_ones_and_not_environments(tmp_path: Path) -> None:
    state = CollectionState(collection(tmp_path))
    state.new_folder("x/y")
    assert state.folders() == ("x", "x/y")


def test_resolve_fills_variables_anchors_paths_and_knows_secrets(tmp_path: Path) -> None:
    root = collection(tmp_path)
    state = CollectionState(root, "dev")
    spec = RequestSpec(url="{{base}}/a", headers=(("X-Token", "{{TOKEN}}"),),
                       options=Options(ca_bundle="ca.pem"))
    resolved = state.resolve(spec)
    assert resolved.spec.url == "http://127.0.0.1:1/a"
    assert resolved.spec.headers == (("X-Token", "t0ps3cret"),)
    assert resolved.spec.options.ca_bundle == str(root / "ca.pem")
    assert "t0ps3cret" in resolved.secrets
    assert state.masked(spec).headers == (("X-Token", "•••"),)
    state.set_env(None)
    with pytest.raises(InvalidRequest, match=r"undefined variable \{\{base\}\} in URL"):
        state.resolve(spec)


def test_unknown_environment_says_so_and_leaves_no_variables(tmp_path: Path) -> None:
    state = CollectionState(collection(tmp_path), "prod")
    assert state.env_error is not None and "prod" in state.env_error
    assert state.variables == {}



def test_a_taken_name_is_refused_by_its_identity_not_its_path(tmp_path: Path) -> None:
    root = collection(tmp_path)
    state = CollectionState(root)
    state.create("g/a")
    state.create("g/b")
    refusals = {
        "a already exists": [lambda: state.create("a"),
                             lambda: state.save_as("a", RequestSpec()),
                             lambda: state.move("g/a", "/")],
        "g/b already exists": [lambda: state.rename("g/a", "b"),
                               lambda: state.create("g/b.yaml")],
        "g/ already exists": [lambda: state.new_folder("g")],
    }
    for reason, attempts in refusals.items():
        for attempt in attempts:
            with pytest.raises(ConflictError, match=f"^{reason}$"):
                attempt()
    with pytest.raises(InvalidRequest):
        state.new_folder("../out")
    assert state.rename("g/a", "a") == "g/a"  # its own name: nothing to do
    assert state.new_folder("/g/h/") == "g/h" and (root / "g" / "h").is_dir()
