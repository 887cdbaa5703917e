"""Environments in the app: the Select, ``{{variables}}`` resolved before a send, the demo."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from httpdiff.demo import DemoServer
from httpdiff.demo.samples import (
    DEMO_ENVIRONMENT,
    demo_collection,
    demo_requests,
    demo_variables,
)
from httpdiff.model import RequestSpec
from httpdiff.noise import NoiseRule
from httpdiff.storage.collection import load_collection, save_request
from httpdiff.storage.environment import save_environment
from httpdiff.storage.variables import resolve
from httpdiff.ui.app import HttpdiffApp
from httpdiff.ui.demo_collection import demo_request_files, write_demo_collection
from httpdiff.ui.messages import SendStarted
from httpdiff.ui.screens.confirm import TextScreen
from httpdiff.ui.widgets.diff_view import DiffView
from httpdiff.ui.widgets.environment_select import EnvironmentSelect

from .test_collections import SIZE, open_entry, until


def env_collection(root: Path, demo: DemoServer) -> Path:
    root.mkdir(parents=True)
    save_request(root, "echo", RequestSpec(url="{{base}}/echo", headers=(("X-Who", "{{who}}"),)))
    save_request(root, "secret", RequestSpec(url="{{base}}/echo",
                                             headers=(("X-Token", "{{API_TOKEN}}"),)))
    save_environment(root, "one", {"base": demo.http_url.rstrip("/"), "who": "first"})
    # a different URL for the same server: "localhost" would leave loopback-by-IP, so the
    # second environment differs in the path prefix the demo server echoes back
    save_environment(root, "two", {"base": demo.http_url.rstrip("/") + "/anything",
                                   "who": "second"})
    (root / ".env").write_text("API_TOKEN=s3cr3t-value\n")
    return root


def sent_url(app: HttpdiffApp) -> str:
    assert app.comparison is not None
    outcome = next(iter(app.comparison.outcomes.values()))
    request = getattr(outcome, "request", None)
    assert request is not None, outcome
    return str(request.url)


async def test_environment_switch_changes_the_url_sent(tmp_path: Path, demo: DemoServer) -> None:
    root = env_collection(tmp_path / "envs", demo)
    app = HttpdiffApp(collection=root, env="one")
    async with app.run_test(size=SIZE) as pilot:
        select = app.query_one(EnvironmentSelect)
        assert select.environment == "one"
        await open_entry(pilot, app, "echo")
        await pilot.press("f5")
        await until(pilot, lambda: app.comparison is not None)
        assert sent_url(app) == demo.http_url.rstrip("/") + "/echo"
        # the editor keeps the variables: only what is sent is resolved
        assert app.editor.url_bar.value == "{{base}}/echo"

        select.value = "two"
        await until(pilot, lambda: app.collection_state is not None
                    and app.collection_state.env == "two")
        app.comparison = None
        await pilot.press("f5")
        await until(pilot, lambda: app.comparison is not None)
        assert sent_url(app) == demo.http_url.rstrip("/") + "/anything/echo"


async def test_undefined_variable_blocks_the_send(tmp_path: Path, demo: DemoServer) -> None:
    root = env_collection(tmp_path / "envs", demo)
    app = HttpdiffApp(collection=root)  # no environment: {{base}} is undefined
    started: list[SendStarted] = []
    async with app.run_test(size=SIZE, message_hook=lambda m: isinstance(
            m, SendStarted) and started.append(m)) as pilot:
        assert app.query_one(EnvironmentSelect).environment is None
        await open_entry(pilot, app, "echo")
        await pilot.press("f5")
        await until(pilot, lambda: "undefined variable" in app.editor.error_text)
        assert "{{base}} in URL" in app.editor.error_text
        await pilot.pause(0.2)
        assert started == []


async def test_a_rejected_send_does_not_quote_the_secret(
    tmp_path: Path, demo: DemoServer
) -> None:
    root = env_collection(tmp_path / "envs", demo)
    (root / ".env").write_text("API_TOKEN=pässwörd-SECRET\n", encoding="utf-8")
    app = HttpdiffApp(collection=root, env="one")
    async with app.run_test(size=SIZE) as pilot:
        await open_entry(pilot, app, "secret")
        await pilot.press("f5")
        await until(pilot, lambda: "non-ASCII" in app.editor.error_text)
        assert "'•••'" in app.editor.error_text
        assert "SECRET" not in app.editor.error_text and "pässw" not in app.editor.error_text


async def test_resolved_view_masks_secrets(tmp_path: Path, demo: DemoServer) -> None:
    root = env_collection(tmp_path / "envs", demo)
    app = HttpdiffApp(collection=root, env="one")
    async with app.run_test(size=SIZE) as pilot:
        await open_entry(pilot, app, "secret")
        await pilot.press("f10")
        await until(pilot, lambda: isinstance(app.screen, TextScreen))
        shown = str(app.screen.query_one("#dialog-text", Static).render())
        assert demo.http_url.rstrip("/") + "/echo" in shown
        assert "•••" in shown and "s3cr3t-value" not in shown
        await pilot.press("escape")
        # the secret is sent, but the history never holds it
        await pilot.press("f5")
        await until(pilot, lambda: app.comparison is not None)
        assert app.history is not None
        await until(pilot, lambda: any(e.url == "{{base}}/echo" and e.name == "secret"
                                       for e in app.history.entries(limit=5)))
        entry = next(e for e in app.history.entries(limit=5) if e.name == "secret")
        record = app.history.get(entry.id)
        assert "s3cr3t-value" not in str(record.document) + record.request_yaml


async def test_the_panes_mask_a_secret_in_the_request_as_sent(
    tmp_path: Path, demo: DemoServer
) -> None:
    root = env_collection(tmp_path / "envs", demo)
    app = HttpdiffApp(collection=root, env="one")
    async with app.run_test(size=SIZE) as pilot:
        await open_entry(pilot, app, "secret")
        await pilot.press("f5")
        await until(pilot, lambda: app.comparison is not None and not app.sending)
        # /echo sends the request back: the secret is in the sent headers and the body
        shown = app.diff.comparison
        assert "s3cr3t-value" not in repr(shown) and "•••" in repr(shown)
        assert "s3cr3t-value" in repr(app.comparison)  # kept as measured, never drawn
        for name in app.comparison.outcomes:
            pane = app.results.pane(name)
            drawn = " ".join(str(w.render()) for w in pane.query("*") if w.display)
            assert "s3cr3t-value" not in drawn


async def test_a_noise_mark_recomputes_from_the_outcomes_as_measured(
    tmp_path: Path, demo: DemoServer
) -> None:
    root = env_collection(tmp_path / "envs", demo)
    # the clients percent-encode these characters differently: a real difference that
    # masking both sides alike must not erase
    (root / ".env").write_text("API_TOKEN=x'y|z^w\n")
    save_request(root, "query", RequestSpec(url="{{base}}/echo", params=(("k", "{{API_TOKEN}}"),)))
    app = HttpdiffApp(collection=root, env="one")
    async with app.run_test(size=SIZE) as pilot:
        await open_entry(pilot, app, "query")
        await pilot.press("f5")
        await until(pilot, lambda: app.comparison is not None and not app.sending)

        def url_differs() -> bool:
            comparison = app.comparison
            return comparison is not None and any(
                f.subject == "url" and f.is_difference for f in comparison.findings)

        assert url_differs()
        app.diff.post_message(DiffView.NoiseMarked(NoiseRule("header", "x-nothing-here")))
        await until(pilot, lambda: "x-nothing-here" in str(app.rules.rules))
        await pilot.pause()
        assert url_differs()


async def test_demo_collection_opens_with_the_demo_environment(
    tmp_path: Path, demo: DemoServer
) -> None:
    root = write_demo_collection(demo, tmp_path / "demo-collection")
    assert all(path.is_file() for path in demo_request_files(root))
    collection = load_collection(root)
    assert collection.environments == (DEMO_ENVIRONMENT,)
    assert not collection.errors
    first_relative, first = demo_collection()[0]
    assert "{{http}}" in first.url
    # the samples, resolved with the demo environment, are the plain demo requests
    variables = demo_variables(demo)
    assert demo_requests(demo) == [resolve(spec, variables, {}) for _, spec in demo_collection()]
    assert demo_requests(demo)[0].url == demo.http_url.rstrip("/") + "/echo"
    app = HttpdiffApp(collection=root, env=DEMO_ENVIRONMENT)
    async with app.run_test(size=SIZE) as pilot:
        await open_entry(pilot, app, first_relative)
        await pilot.press("f5")
        await until(pilot, lambda: app.comparison is not None)
        assert sent_url(app).startswith(demo.http_url.rstrip("/"))
    # rewriting (a new start) keeps the folder valid and replaces the samples
    write_demo_collection(demo, root)
    assert not load_collection(root).errors
