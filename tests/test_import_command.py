"""``httpdiff import``: writes a collection that loads, refuses to overwrite, writes nothing
on bad input."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from httpdiff.commands import COMMANDS
from httpdiff.commands.importing import main
from httpdiff.storage.collection import load_collection
from httpdiff.storage.environment import load_environment

SAMPLES = Path(__file__).parent / "samples"


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes: to prove nothing changed."""
    if not root.exists():
        return {}
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_registered() -> None:
    assert COMMANDS["import"] == "httpdiff.commands.importing"


@pytest.mark.parametrize(
    ("args", "requests", "environments"),
    [
        (["http", str(SAMPLES / "api.http")], 7, ("default", "local", "staging")),
        (["postman", str(SAMPLES / "postman" / "collection.json"),
          "--env", str(SAMPLES / "postman" / "local.postman_environment.json")],
         9, ("default", "local")),
        (["posting", str(SAMPLES / "posting")], 5, ("local",)),
    ],
    ids=["http", "postman", "posting"],
)
def test_import_writes_a_collection_that_loads(
    args: list[str], requests: int, environments: tuple[str, ...], tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = tmp_path / "collection"
    assert main([*args, "--into", str(root)]) == 0
    out = capsys.readouterr().out
    collection = load_collection(root)
    assert [e.error for e in collection.entries] == [None] * requests
    assert collection.environments == environments
    assert f"{requests} request" in out
    assert out.count("note: ") >= 1
    for entry in collection.entries:
        assert f"{entry.spec.method} {entry.relative} -> " in out  # type: ignore[union-attr]


def test_refuses_to_overwrite_without_force(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "c"
    source = str(SAMPLES / "posting")
    assert main(["posting", source, "--into", str(root)]) == 0
    (root / "echo.yaml").write_text("url: https://edited.test/\n")
    before = snapshot(root)
    capsys.readouterr()
    assert main(["posting", source, "--into", str(root)]) == 2
    err = capsys.readouterr().err
    assert "would overwrite" in err and "echo.yaml" in err and "nothing written" in err
    assert len(err.strip().splitlines()) == 1
    assert snapshot(root) == before
    assert main(["posting", source, "--into", str(root), "--force"]) == 0
    assert load_collection(root).get("echo").spec.url == "{{BASE}}/echo"  # type: ignore[union-attr]
    assert load_environment(root, "local")["BASE"] == "http://127.0.0.1:8000"


def test_secrets_are_not_written(tmp_path: Path) -> None:
    root = tmp_path / "c"
    assert main(["postman", str(SAMPLES / "postman" / "collection.json"), "--env",
                 str(SAMPLES / "postman" / "local.postman_environment.json"),
                 "--into", str(root)]) == 0
    written = b"".join(snapshot(root).values())
    assert b"do-not-export" not in written
    assert not (root / ".env").exists()


@pytest.mark.parametrize(
    ("fmt", "content", "place"),
    [
        ("http", "GET https://h.test/\nno colon", "line 2"),
        ("postman", '{"item": [{"request": {"url": "u", "method": "A B"}}]}',
         "$.item[0].request.method"),
        ("postman", "{not json", "invalid JSON"),
        ("curl", "curl", "no URL"),
        ("curl", "curl -H 'X-A: a\x1b[2Jb' http://h.test/", "line 1: header 'X-A'"),
        ("curl", "curl $(touch pwned) http://h.test/", "command substitution"),
    ],
)
def test_bad_source_one_line_exit_2_nothing_written(
    fmt: str, content: str, place: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "source.txt"
    source.write_text(content)
    root = tmp_path / "c"
    assert main([fmt, str(source), "--into", str(root)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert str(source) in err and place in err
    assert not root.exists()


def test_bad_posting_file_among_good_ones_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "posting"
    folder.mkdir()
    (folder / "a.posting.yaml").write_text("url: https://h.test/a\n")
    (folder / "z.posting.yaml").write_text("url: https://h.test/z\nheaders: 3\n")
    root = tmp_path / "c"
    root.mkdir()
    assert main(["posting", str(folder), "--into", str(root)]) == 2
    err = capsys.readouterr().err
    assert "z.posting.yaml: headers: expected a list" in err
    assert snapshot(root) == {}


def test_missing_source_and_bad_target(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["http", str(tmp_path / "nope.http"), "--into", str(tmp_path / "c")]) == 2
    assert "nope.http: cannot be read" in capsys.readouterr().err
    target = tmp_path / "file"
    target.write_text("x")
    assert main(["http", str(SAMPLES / "api.http"), "--into", str(target)]) == 2
    assert "not a folder" in capsys.readouterr().err
    with pytest.raises(SystemExit) as caught:
        main(["har", str(SAMPLES / "api.http"), "--into", str(tmp_path / "c")])
    assert caught.value.code == 2


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["http", "postman", "curl"]),
       st.text(max_size=200) | st.binary(max_size=200).map(lambda b: b.decode("latin-1")))
def test_hostile_sources_never_half_import(fmt: str, content: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "c"
        root.mkdir()
        (root / "keep.yaml").write_text("url: https://h.test/keep\n")
        source = Path(folder) / "source"
        source.write_bytes(content.encode("utf-8", "surrogatepass"))
        before = snapshot(root)
        code = main([fmt, str(source), "--into", str(root)])
        assert code in (0, 2)
        if code == 2:
            assert snapshot(root) == before
        else:
            assert all(e.error is None for e in load_collection(root).entries)
            # an import never replaces an existing file without --force
            assert snapshot(root)["keep.yaml"] == before["keep.yaml"]


def test_terminal_escapes_in_the_source_stay_visible(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    evil = tmp_path / "evil.json"
    evil.write_text(json.dumps({"item": [{"name": "r", "request": {"url": "https://h.test/"},
                                          "event": [{"listen": "\x1b[31mred",
                                                     "script": {"exec": ["x()"]}}]}]}))
    assert main(["postman", str(evil), "--into", str(tmp_path / "c")]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\\x1b[31mred" in out
    source = tmp_path / "evil.http"
    source.write_text("GET https://h.test/\nX-A: a\x1b[2Jb\n")
    assert main(["http", str(source), "--into", str(tmp_path / "d")]) == 2
    assert "\x1b" not in capsys.readouterr().err


def test_files_the_requests_send_are_copied_into_the_collection(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from httpdiff.cli import main as cli_main
    from httpdiff.storage.collection import anchor_paths, load_collection
    from httpdiff.validate import check

    source = tmp_path / "src"
    (source / "data").mkdir(parents=True)
    (source / "data" / "hello.txt").write_text("hello")
    (source / "api.http").write_text(
        "### upload\nPOST http://127.0.0.1:9/echo\nContent-Type: text/plain\n\n"
        "< ./data/hello.txt\n"
        "\n### escape\nPOST http://127.0.0.1:9/echo\n\n< ../outside.txt\n"
    )
    target = str(tmp_path / "c")
    assert cli_main(["import", "http", str(source / "api.http"), "--into", target]) == 0
    out = capsys.readouterr().out
    assert (tmp_path / "c" / "data" / "hello.txt").read_text() == "hello"
    assert "outside the source folder" in out
    root = tmp_path / "c"
    escape = next(e for e in load_collection(root).entries if e.relative == "escape")
    assert escape.spec is not None and escape.spec.body.kind == "none"
    upload = next(e for e in load_collection(root).entries
                  if e.spec and e.spec.body.kind == "file" and "hello" in e.spec.body.path)
    assert upload.spec is not None
    check(anchor_paths(root, upload.spec))


@pytest.mark.parametrize(
    ("fmt", "name", "content", "summary"),
    [
        ("http", "api.http", "@base = http://127.0.0.1:9\nGET {{base}}/a\n",
         "variables are in environment default: choose one with --env, e.g. httpdiff run "
         "{root} --env default"),
        ("postman", "c.json", json.dumps({"item": [{"name": "a", "request": "{{b}}/a"}],
                                          "variable": [{"key": "b", "value": "x"}]}),
         "variables are in environment default: "),
        ("http", "api.http", "GET http://127.0.0.1:9/a\n", ""),
    ],
)
def test_the_summary_says_which_environment_holds_the_variables(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str, name: str, content: str,
    summary: str
) -> None:
    source = tmp_path / name
    source.write_text(content)
    root = tmp_path / "c"
    assert main([fmt, str(source), "--into", str(root)]) == 0
    out = capsys.readouterr().out
    if summary:
        assert summary.format(root=root) in out
    else:
        assert "variables are in" not in out


def test_a_bad_http_request_among_good_ones_is_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "api.http"
    source.write_text("### a\nGET http://127.0.0.1:9/a\n\n### broken\nGET http://127.0.0.1:9/b\n"
                      "X-A: a\x1b[2Jb\n\n### c\nGET http://127.0.0.1:9/c\n")
    root = tmp_path / "c"
    assert main(["http", str(source), "--into", str(root)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert f"note: {source} line 6: contains a line break or control character; request " \
        "'broken' was left out" in out
    assert sorted(p.name for p in root.glob("*.yaml")) == ["a.yaml", "c.yaml"]


def test_a_file_of_curl_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "cmds.sh"
    source.write_text("curl http://127.0.0.1:9/a\ncurl -H 'X: 1' http://127.0.0.1:9/b\n"
                      "curl -X DELETE http://127.0.0.1:9/a\ncurl $(touch pwned) http://x/\n"
                      "curl -F f=@/etc/passwd http://127.0.0.1:9/up\n")
    root = tmp_path / "c"
    assert main(["curl", str(source), "--into", str(root)]) == 0
    out = capsys.readouterr().out
    assert sorted(p.name for p in root.glob("*.yaml")) == [
        "delete-a.yaml", "get-a.yaml", "get-b.yaml", "post-up.yaml"]
    assert "line 4: uses a command substitution" in out
    assert "'/etc/passwd' of form field 'f' left out" in out
    assert not (tmp_path / "pwned").exists() and not Path("pwned").exists()
    assert "/etc/passwd" not in (root / "post-up.yaml").read_text()
