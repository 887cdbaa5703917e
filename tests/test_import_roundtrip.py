"""Each sample, imported, saved and loaded again, sends through every backend to the demo demo.

The samples address the server through a variable (``{{base}}``, Posting's ``$BASE``), so
an environment pointing it at the demo server is all a test needs: import -> save ->
load -> resolve -> ``compare``. Each request must get its expected status from both
clients, and the echo routes must have seen what the source file asked for.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from httpdiff.commands.importing import main
from httpdiff.compare import compare
from httpdiff.model import ResponseSnapshot
from httpdiff.storage.collection import load_collection
from httpdiff.storage.environment import load_environment, save_environment
from httpdiff.storage.variables import resolve

SAMPLES = Path(__file__).parent / "samples"


CASES = [
    (["http", str(SAMPLES / "api.http")], "local", "base"),
    (["postman", str(SAMPLES / "postman" / "collection.json"), "--env",
      str(SAMPLES / "postman" / "local.postman_environment.json")], "local", "base"),
    (["posting", str(SAMPLES / "posting")], "local", "BASE"),
]
EXPECTED_STATUS = {"get-redirect-2": 302, "users/admin/delete-user": 204}


@pytest.mark.parametrize(("args", "environment", "base"), CASES, ids=["http", "postman",
                                                                       "posting"])
async def test_sample_imports_and_runs_against_the_demo_server(
    args: list[str], environment: str, base: str, demo: Any, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    root = tmp_path / "collection"
    assert main([*args, "--into", str(root)]) == 0
    capsys.readouterr()
    variables = {**load_environment(root, environment), base: demo.http_url}
    save_environment(root, "demo", variables)
    monkeypatch.chdir(SAMPLES)  # file bodies and uploads name files relative to the samples
    collection = load_collection(root)
    assert collection.entries
    for entry in collection.entries:
        assert entry.spec is not None, entry.error
        spec = resolve(entry.spec, load_environment(root, "demo"), {})
        comparison = await compare(spec)
        expected = EXPECTED_STATUS.get(entry.relative, 200)
        for name, outcome in comparison.outcomes.items():
            assert isinstance(outcome, ResponseSnapshot), (entry.relative, name, outcome)
            assert outcome.status == expected, (entry.relative, name, outcome.status)
            if "/echo" in outcome.request.url and outcome.status == 200:
                echoed = json.loads(outcome.body)
                assert echoed["method"] == spec.method
                check_echo(entry.relative, echoed)


def _header(echoed: dict[str, Any], name: str) -> list[str]:
    return [v for k, v in echoed["headers"] if k.lower() == name.lower()]


def check_echo(relative: str, echoed: dict[str, Any]) -> None:
    """What the server saw for requests whose source says something specific."""
    body = echoed["body"]
    if relative in ("create-user", "users/create-user"):
        assert json.loads(body)["name"] in ("Ada Lovelace", "Ada", "Grace Hopper")
        assert _header(echoed, "content-type")[0].startswith("application/json")
    if relative == "users/create-user" and "Grace" in body:  # Posting's, with its bearer token
        assert _header(echoed, "authorization") == ["Bearer dev-token-123"]
    if relative == "list-users":
        assert ["per_page", "20"] in echoed["query"]
        assert _header(echoed, "x-trace") == ["sample-1"]
    if relative == "users/list-users":
        assert echoed["query"] == [["page", "2"], ["sort", "name"]]
    if relative == "login-form":
        assert body == "user=alice&password=s3cret"
    if relative == "upload-a-file":
        assert body == "hello from a sample upload\n"
        assert _header(echoed, "content-type") == ["text/plain"]
    if relative == "forms/multipart-upload":
        assert "hello from a sample upload" in body and 'name="title"' in body
    if relative in ("forms/urlencoded", "users/login"):
        assert body in ("user=ada&remember=yes", "username=ada&password=hunter2")
    if relative == "forms/xml-note":
        assert _header(echoed, "content-type") == ["application/xml"]
    if relative == "echo":
        assert echoed["query"] == [["q", "search term"]]
        assert _header(echoed, "x-client") == ["posting-$-sample"]
