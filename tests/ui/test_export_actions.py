"""Exports from the app: library code to the clipboard, the comparison as HAR and JSON files."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import pytest
from textual.pilot import Pilot

from httpdiff.demo import DemoServer
from httpdiff.demo.samples import DEMO_ENVIRONMENT, demo_collection
from httpdiff.model import RequestSpec
from httpdiff.ui.app import HttpdiffApp
from httpdiff.ui.demo_collection import write_demo_collection
from httpdiff.ui.widgets.url_bar import UrlBar

from .test_collections import SIZE, open_entry, until
from .test_collections_env import env_collection


async def test_code_is_copied_and_the_comparison_saved(demo: DemoServer, tmp_path: Path) -> None:
    app = HttpdiffApp()
    app.export_dir = tmp_path
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("f11")  # nothing sent yet: a warning, no file
        await pilot.pause()
        assert list(tmp_path.iterdir()) == []
        app.open_request(RequestSpec(url=f"{demo.http_url}/echo"))
        await pilot.pause()
        app.query_one(UrlBar).focus()
        await pilot.press("ctrl+t")
        assert "httpx.AsyncClient" in app.clipboard and "/echo" in app.clipboard
        await pilot.press("ctrl+g")
        assert "aiohttp.ClientSession" in app.clipboard
        await pilot.press("enter")
        deadline = asyncio.get_running_loop().time() + 15
        while app.comparison is None:
            assert asyncio.get_running_loop().time() < deadline
            await pilot.pause(0.05)
        await pilot.press("f11")
        await pilot.pause()
    har = json.loads(next(tmp_path.glob("*.har")).read_text())
    assert har["log"]["version"] == "1.2"
    assert len(har["log"]["entries"]) == 2
    doc = json.loads(next(tmp_path.glob("*.json")).read_text())
    assert set(doc["results"]) == {"httpx", "aiohttp"} and doc["equivalent"] is False


def told(app: HttpdiffApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_a_copy_runs_as_is_and_reads_secrets_from_the_environment(
    tmp_path: Path, demo: DemoServer
) -> None:
    root = env_collection(tmp_path / "envs", demo)  # {{base}}/echo, X-Token: {{API_TOKEN}}
    base = demo.http_url.rstrip("/")
    app = HttpdiffApp(collection=root, env="one")
    async with app.run_test(size=SIZE) as pilot:
        await open_entry(pilot, app, "secret")
        await pilot.press("f6")
        assert app.clipboard == f"curl {base}/echo -H 'X-Token: '\"$API_TOKEN\""
        await pilot.press("ctrl+t")
        assert f"URL = '{base}/echo'" in app.clipboard
        assert "('X-Token', os.environ['API_TOKEN'])" in app.clipboard
        await pilot.press("ctrl+g")
        assert "aiohttp.ClientSession" in app.clipboard
        assert "os.environ['API_TOKEN']" in app.clipboard
        assert "s3cr3t-value" not in app.clipboard
        messages = told(app)
        assert len(messages) == 3 and all("It reads API_TOKEN from the environment" in m
                                          for m in messages), messages
        assert "s3cr3t-value" not in "".join(messages)
        # what the editor holds is untouched: the variables stay for the file
        assert app.editor.url_bar.value == "{{base}}/echo"


async def test_the_demo_request_copies_with_its_server_url(
    tmp_path: Path, demo: DemoServer
) -> None:
    root = write_demo_collection(demo, tmp_path / "demo-collection")
    relative, spec = demo_collection()[0]
    assert spec.url == "{{http}}/echo"
    app = HttpdiffApp(collection=root, env=DEMO_ENVIRONMENT)
    async with app.run_test(size=SIZE) as pilot:
        await open_entry(pilot, app, relative)
        await pilot.press("f6")
        assert app.clipboard.startswith(f"curl {demo.http_url.rstrip('/')}/echo")
        assert told(app) == ["Copied the request as a curl command"]


async def test_an_undefined_variable_is_said_inline_and_nothing_is_copied(
    tmp_path: Path, demo: DemoServer
) -> None:
    root = env_collection(tmp_path / "envs", demo)
    app = HttpdiffApp(collection=root)  # no environment: {{base}} is undefined
    async with app.run_test(size=SIZE) as pilot:
        await open_entry(pilot, app, "echo")
        app.copy_to_clipboard("before")
        for key in ("f6", "ctrl+t", "ctrl+g"):
            await pilot.press(key)
            await pilot.pause()
            assert app.editor.error_text == "undefined variable {{base}} in URL", key
            assert app.clipboard == "before", key
        assert told(app) == ["undefined variable {{base}} in URL"] * 3
        # an environment fixes it: the copy goes through and the error goes away
        app.choose_environment("one")
        await until(pilot, lambda: app.collection_state is not None
                    and app.collection_state.env == "one")
        await pilot.press("f6")
        assert app.clipboard.startswith(f"curl {demo.http_url.rstrip('/')}/echo")
        assert app.editor.error_text == ""


async def send_and_wait(pilot: Pilot[None], app: HttpdiffApp, spec: RequestSpec) -> None:
    app.open_request(spec)
    await pilot.pause()
    app.query_one(UrlBar).focus()
    await pilot.press("enter")
    await until(pilot, lambda: app.comparison is not None, timeout=15)


async def test_saving_again_never_overwrites_and_says_where_in_full(
    tmp_path: Path, demo: DemoServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    here = Path.cwd()
    app = HttpdiffApp()  # export_dir is ".": where the app was started
    async with app.run_test(size=SIZE) as pilot:
        await send_and_wait(pilot, app, RequestSpec(url=f"{demo.http_url}/echo"))
        # someone's files under the names the next seconds would take
        now = time.time()
        theirs = [here / time.strftime("httpdiff-%Y%m%d-%H%M%S.json", time.localtime(now + s))
                  for s in range(5)]
        for path in theirs:
            path.write_text("theirs")
        for _ in range(3):  # well within a second
            await pilot.press("f11")
            await pilot.pause()
        saved = [m for m in told(app) if m.startswith("Saved ")]
    assert len(saved) == 3, told(app)
    paths = [Path(p) for m in saved for p in m.removeprefix("Saved ").split(" and ")]
    assert all(p.is_absolute() and p.parent == here and p.is_file() for p in paths), paths
    assert len(set(paths)) == 6
    assert all(path.read_text() == "theirs" for path in theirs)
    for har, doc in zip(paths[::2], paths[1::2], strict=True):
        assert har.stem == doc.stem and json.loads(doc.read_text())["results"]


async def test_a_saved_comparison_never_holds_a_secret(tmp_path: Path, demo: DemoServer) -> None:
    root = env_collection(tmp_path / "envs", demo)  # X-Token: {{API_TOKEN}} from .env
    out = tmp_path / "out"
    app = HttpdiffApp(collection=root, env="one")
    app.export_dir = out
    async with app.run_test(size=SIZE) as pilot:
        await open_entry(pilot, app, "secret")
        await pilot.press("f5")
        await until(pilot, lambda: app.comparison is not None, timeout=15)
        await pilot.press("f11")
        await until(pilot, lambda: out.is_dir() and len(list(out.iterdir())) == 2)
    har, doc = sorted(out.iterdir())
    for path in (har, doc):
        text = path.read_text()
        assert "s3cr3t-value" not in text, path.name
        assert "•••" in json.loads(text).__repr__(), path.name  # masked, not dropped
    # the rest is kept: the environment's values and the responses
    assert demo.http_url.rstrip("/") + "/echo" in doc.read_text()
    assert len(json.loads(har.read_text())["log"]["entries"]) == 2
