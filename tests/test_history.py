"""History: kept, listed newest first, bounded, reopened, and never holding a secret."""

from __future__ import annotations

import asyncio
import base64
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from httpdiff.compare import compare
from httpdiff.demo import DemoServer
from httpdiff.errors import LoadError, UnknownName
from httpdiff.model import Auth, RequestSpec
from httpdiff.report import comparison_document
from httpdiff.storage import paths
from httpdiff.storage.history import History, history_path, shrink
from httpdiff.storage.variables import MASK, secret_values

SPEC = RequestSpec(
    url="{{base}}/users",
    headers=(("X-Token", "{{TOKEN}}"),),
    auth=Auth(kind="basic", username="alice", password="{{PASSWORD}}"),
    name="list",
)


def _document(token: str, equivalent: bool = True, body: str = "") -> dict[str, Any]:
    return {
        "request": {"url": "http://h.test/users", "headers": [["X-Token", token]]},
        "results": {
            "httpx": {"status": 200, "headers": [["Authorization", "Basic YWxpY2U6cHc="],
                                                 ["X-Echo", f"got {token}"]],
                      "body": body},
        },
        "findings": [{"category": "request-header", "subject": "authorization",
                      "verdict": "difference", "values": {"httpx": "Basic x", "aiohttp": None}}],
        "equivalent": equivalent,
    }


def test_default_path_is_in_the_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPDIFF_DATA_DIR", str(tmp_path))
    assert history_path() == paths.data_dir() / "history.sqlite3"
    assert History().path == tmp_path / "history.sqlite3"


def test_record_list_get_reopen(tmp_path: Path) -> None:
    history = History(tmp_path / "h.sqlite3")
    first = history.record(SPEC, _document("t1"), created=1000.0)
    second = history.record(RequestSpec(method="POST", url="http://h.test/b", name="b"),
                            _document("t2", equivalent=False), created=2000.0)
    listed = history.entries()
    assert [e.id for e in listed] == [second, first]  # newest first
    assert (listed[0].name, listed[0].method, listed[0].equivalent) == ("b", "POST", False)
    assert listed[1].url == "{{base}}/users" and listed[1].created == 1000.0
    record = history.get(first)
    assert record.document["equivalent"] is True
    assert history.reopen(first) == SPEC  # unresolved, variables kept
    with pytest.raises(UnknownName):
        history.get(9999)


def test_secrets_never_reach_the_file(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    env = {"base": "http://h.test"}
    secrets = {"TOKEN": "very-secret-token", "PASSWORD": "pw"}
    History(path).record(SPEC, _document("very-secret-token"),
                         secrets=secret_values(SPEC, env, secrets))
    raw = path.read_bytes()
    assert b"very-secret-token" not in raw
    assert b"YWxpY2U6cHc=" not in raw  # base64("alice:pw"), the basic-auth header
    doc = History(path).get(1).document
    assert doc["request"]["headers"] == [["X-Token", MASK]]
    assert doc["results"]["httpx"]["headers"] == [
        ["Authorization", MASK], ["X-Echo", f"got {MASK}"],
    ]
    assert doc["findings"][0]["values"] == {"httpx": MASK, "aiohttp": None}


def test_bounded_to_the_newest_entries(tmp_path: Path) -> None:
    history = History(tmp_path / "h.sqlite3", limit=5)
    ids = [history.record(RequestSpec(url=f"http://h.test/{i}"), _document("t"), created=i)
           for i in range(12)]
    assert history.count() == 5
    assert [e.id for e in history.entries()] == ids[::-1][:5]
    assert [e.id for e in history.entries(limit=2, offset=1)] == ids[::-1][1:3]


def test_large_documents_are_cut_and_marked(tmp_path: Path) -> None:
    history = History(tmp_path / "h.sqlite3", max_document_bytes=20_000)
    entry = history.record(SPEC, _document("t", body="x" * 100_000))
    doc = history.get(entry).document
    assert doc["truncated"] is True
    assert len(json.dumps(doc)) <= 20_000
    assert doc["equivalent"] is True
    huge = {"equivalent": False, "findings": [{"subject": str(i), "values": {"a": "v" * 3000}}
                                              for i in range(2000)]}
    assert len(shrink(huge, 10_000).encode()) <= 10_000
    assert json.loads(shrink(huge, 10_000))["equivalent"] is False


def test_damaged_database_is_a_load_error(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(LoadError, match="history database"):
        History(path).entries()
    assert path.read_bytes() == b"this is not sqlite" * 100


def test_unwritable_location_is_a_load_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(LoadError, match="history"):
        History(blocker / "sub" / "h.sqlite3").record(SPEC, _document("t"))


@pytest.mark.parametrize("where", ["auth", "url"])
def test_credentials_written_into_a_request_stay_out_of_documents_and_the_list(
    tmp_path: Path, demo: DemoServer, where: str
) -> None:
    """The app records what it sent: /echo reflects the Authorization header in its body,
    and a finding quotes it. The list's URL shows the user info masked."""
    password = "hunter2secret/é"
    host = demo.http_url.removeprefix("http://")
    spec = (RequestSpec(url=f"{demo.http_url}/echo",
                        auth=Auth(kind="basic", username="bob", password=password))
            if where == "auth"
            else RequestSpec(url=f"http://bob:{quote(password, safe='')}@{host}/echo"))
    comparison = asyncio.run(compare(spec))
    history = History(tmp_path / "h.sqlite3")
    entry_id = history.record(spec, comparison_document(comparison))
    stored = json.dumps(history.get(entry_id).document, ensure_ascii=False)
    shown = history.entries()[0].url
    for token in (base64.b64encode(f"bob:{password}".encode(enc)).decode()
                  for enc in ("utf-8", "latin-1")):
        assert token[:12] not in stored
    for form in (password, quote(password), quote(password, safe="")):
        assert form not in stored and form not in shown
    assert "Authorization" in stored  # it was sent, and is there masked
    assert history.reopen(entry_id) == spec  # the request as written, to send again
