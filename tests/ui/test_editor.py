"""The request editor alone: curl paste, query <-> URL sync, header rows, body, auth, options."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Button, Checkbox, Input, Select, TextArea

from httpdiff.model import Auth, Body, Options, RequestSpec
from httpdiff.ui.widgets.body_editor import json_problem
from httpdiff.ui.widgets.key_value_editor import KeyValueEditor, KeyValueRow
from httpdiff.ui.widgets.request_editor import RequestEditor, query_pairs, with_query
from httpdiff.ui.widgets.tick_box import OFF, ON, TickBox
from httpdiff.ui.widgets.url_bar import UrlBar

SIZE = (120, 40)


class EditorApp(App[None]):
    """Composes only the editor and records what it submits."""

    def __init__(self, spec: RequestSpec | None = None) -> None:
        super().__init__()
        self.spec = spec
        self.submitted: list[RequestEditor.Submitted] = []

    def compose(self) -> ComposeResult:
        yield RequestEditor(self.spec, id="editor")

    def on_request_editor_submitted(self, event: RequestEditor.Submitted) -> None:
        self.submitted.append(event)


async def until(pilot: object, condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Let the app run until ``condition`` holds (bounded)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await pilot.pause(0.02)  # type: ignore[attr-defined]


def rows(app: App[None], editor_id: str) -> list[tuple[bool, str, str]]:
    return app.query_one(f"#{editor_id}", KeyValueEditor).rows


def test_query_helpers_round_trip() -> None:
    url = "http://h/p?a=1&b=&c=x%20y#frag"
    assert query_pairs(url) == [("a", "1"), ("b", ""), ("c", "x y")]
    assert with_query(url, [("z", "{{token}}")]) == "http://h/p?z={{token}}#frag"
    assert query_pairs("http://h/p") == []


def test_json_problem_names_the_place() -> None:
    assert json_problem('{"a": 1}') == ""
    assert json_problem('{"a": }').startswith("invalid JSON: line 1, column 7")


async def test_curl_paste_fills_every_tab() -> None:
    app = EditorApp()
    command = (
        "curl -X PUT 'http://127.0.0.1:9/things?x=1' -H 'X-One: 1' -H 'Accept: text/plain' "
        "--json '{\"k\": [1, 2]}' -u alice:wonder -L --max-redirs 4 -m 7 -k --http2"
    )
    async with app.run_test(size=SIZE) as pilot:
        editor = app.query_one(RequestEditor)
        editor.url_bar.post_message(events.Paste(command))
        await until(pilot, lambda: editor.url_bar.value.startswith("http://"))
        await until(pilot, lambda: len(rows(app, "headers")) == 2)
        spec = editor.spec
        assert spec.method == "PUT"
        assert spec.url == "http://127.0.0.1:9/things?x=1"
        assert spec.headers == (("X-One", "1"), ("Accept", "text/plain"))
        assert spec.body == Body(kind="json", text='{"k": [1, 2]}')
        assert spec.auth == Auth(kind="basic", username="alice", password="wonder")
        assert spec.options.follow_redirects and spec.options.max_redirects == 4
        assert spec.options.timeout == 7 and not spec.options.verify and spec.options.http2
        await until(pilot, lambda: rows(app, "query") == [(True, "x", "1")])
        assert app.query_one("#body-text", TextArea).text == '{"k": [1, 2]}'


async def test_bad_curl_paste_shows_one_line_and_keeps_the_request() -> None:
    app = EditorApp(RequestSpec(url="http://127.0.0.1:9/keep"))
    async with app.run_test(size=SIZE) as pilot:
        editor = app.query_one(RequestEditor)
        editor.url_bar.post_message(events.Paste("curl -H 'no colon here' http://x"))
        await until(pilot, lambda: editor.error_text != "")
        assert "no ':'" in editor.error_text
        assert editor.url_bar.value == "http://127.0.0.1:9/keep"


async def test_editing_the_url_clears_a_stale_error() -> None:
    app = EditorApp(RequestSpec(url="http://127.0.0.1:9/keep"))
    async with app.run_test(size=SIZE) as pilot:
        editor = app.query_one(RequestEditor)
        editor.show_error("the URL is empty")
        await pilot.pause()
        editor.url_bar.focus()
        await pilot.press("end", "x")
        await until(pilot, lambda: editor.error_text == "")
        assert editor.url_bar.value == "http://127.0.0.1:9/keepx"


async def test_typed_curl_then_enter_imports_and_submits() -> None:
    app = EditorApp()
    async with app.run_test(size=SIZE) as pilot:
        editor = app.query_one(RequestEditor)
        editor.url_bar.value = "curl http://127.0.0.1:9/typed -H 'X-A: b'"
        editor.url_bar.focus()
        await pilot.press("enter")
        await until(pilot, lambda: bool(app.submitted))
        spec = app.submitted[0].spec
        assert spec.url == "http://127.0.0.1:9/typed"
        assert spec.headers == (("X-A", "b"),)


async def test_url_query_fills_the_query_tab_and_back() -> None:
    app = EditorApp()
    async with app.run_test(size=SIZE) as pilot:
        editor = app.query_one(RequestEditor)
        editor.url_bar.focus()
        await pilot.press(*"http://h/p?a=1&b=two")
        await until(pilot, lambda: rows(app, "query") == [(True, "a", "1"), (True, "b", "two")])
        # edit the second value in the Query tab: the URL follows
        app.query_one("#editor-tabs").active = "tab-query"  # type: ignore[attr-defined]
        await pilot.pause()
        value_input = app.query_one("#query").query(KeyValueRow)[1].query_one(".kv-value", Input)
        value_input.focus()
        await pilot.press("end", "backspace", "backspace", "backspace", *"3 x")
        await until(pilot, lambda: editor.url_bar.value == "http://h/p?a=1&b=3+x")
        # switching a row off removes it from the URL but keeps the row
        app.query_one("#query").query(KeyValueRow)[0].query_one(Checkbox).value = False
        await until(pilot, lambda: editor.url_bar.value == "http://h/p?b=3+x")
        assert rows(app, "query")[0] == (False, "a", "1")


async def test_header_rows_add_edit_disable_delete() -> None:
    app = EditorApp(RequestSpec(url="http://h/", headers=(("X-Keep", "1"), ("X-Drop", "2"))))
    async with app.run_test(size=SIZE) as pilot:
        editor = app.query_one(RequestEditor)
        headers = app.query_one("#headers", KeyValueEditor)
        await until(pilot, lambda: len(headers.query(KeyValueRow)) == 2)
        await pilot.click("#headers #kv-add")
        await until(pilot, lambda: len(headers.query(KeyValueRow)) == 3)
        await pilot.press(*"X-New", "tab", *"yes")
        await until(pilot, lambda: headers.pairs[-1] == ("X-New", "yes"))
        # switch X-Keep off, delete X-Drop
        first, second, _ = headers.query(KeyValueRow)
        first.query_one(Checkbox).value = False
        second.query_one(".kv-delete", Button).press()
        await until(pilot, lambda: len(headers.query(KeyValueRow)) == 2)
        assert editor.spec.headers == (("X-New", "yes"),)
        assert headers.rows[0] == (False, "X-Keep", "1")


async def test_a_checkbox_shows_its_state_by_its_glyph_not_only_its_colour() -> None:
    app = EditorApp(RequestSpec(url="http://h/", headers=(("X-On", "1"),)))
    async with app.run_test(size=SIZE) as pilot:
        headers = app.query_one("#headers", KeyValueEditor)
        await until(pilot, lambda: len(headers.query(KeyValueRow)) == 1)
        box = headers.query_one(TickBox)
        assert box.value and str(box.render()).startswith(f"▐{ON}▌")
        box.focus()
        await pilot.press("space")
        assert not box.value and str(box.render()).startswith(f"▐{OFF}▌")
        follow = app.query_one("#opt-follow", TickBox)
        verify = app.query_one("#opt-verify", TickBox)
        assert (follow.value, verify.value) == (False, True)  # the defaults, drawn differently
        assert str(follow.render()).startswith(f"▐{OFF}▌")
        assert str(verify.render()).startswith(f"▐{ON}▌")


async def test_loaded_request_round_trips_through_the_editor() -> None:
    spec = RequestSpec(
        name="round trip",
        method="PATCH",
        url="http://127.0.0.1:9/x?q=1",
        headers=(("A", "1"), ("A", "2")),
        body=Body(kind="form", fields=(("f", "v"), ("g", "w"))),
        auth=Auth(kind="bearer", token="t0k"),
        options=Options(timeout=3.5, follow_redirects=True, max_redirects=2, verify=False,
                        http2=True, proxy="http://127.0.0.1:3128"),
    )
    app = EditorApp(spec)
    async with app.run_test(size=SIZE) as pilot:
        editor = app.query_one(RequestEditor)
        await until(pilot, lambda: editor.spec == spec)


async def test_params_join_the_url_query() -> None:
    app = EditorApp(RequestSpec(url="http://h/p?a=1", params=(("b", "2"),)))
    async with app.run_test(size=SIZE) as pilot:
        editor = app.query_one(RequestEditor)
        await until(pilot, lambda: editor.url_bar.value == "http://h/p?a=1&b=2")
        await until(pilot, lambda: rows(app, "query") == [(True, "a", "1"), (True, "b", "2")])
        assert editor.spec.params == ()


async def test_json_body_validation_message() -> None:
    app = EditorApp(RequestSpec(url="http://h/", method="POST", body=Body(kind="json", text="{}")))
    async with app.run_test(size=SIZE) as pilot:
        status = app.query_one("#body-status")
        await until(pilot, lambda: str(status.render()) == "valid JSON")
        app.query_one("#body-text", TextArea).load_text('{"a": ')
        await until(pilot, lambda: str(status.render()).startswith("invalid JSON: line 1"))
        assert status.has_class("-invalid")


async def test_bad_number_in_options_is_one_line_and_not_submitted() -> None:
    app = EditorApp(RequestSpec(url="http://h/"))
    async with app.run_test(size=SIZE) as pilot:
        editor = app.query_one(RequestEditor)
        app.query_one("#opt-timeout", Input).value = "1e"
        editor.submit()
        await pilot.pause()
        assert "timeout" in editor.error_text
        assert app.submitted == []


async def test_method_select_accepts_unknown_methods() -> None:
    app = EditorApp(RequestSpec(url="http://h/", method="PROPFIND"))
    async with app.run_test(size=SIZE) as pilot:
        editor = app.query_one(RequestEditor)
        await until(pilot, lambda: editor.spec.method == "PROPFIND")
        assert app.query_one("#method", Select).value == "PROPFIND"


async def test_url_bar_highlights_variables() -> None:
    app = EditorApp()
    async with app.run_test(size=SIZE) as pilot:
        bar = app.query_one(UrlBar)
        bar.value = "http://{{host}}/x"
        await pilot.pause()
        text = bar.highlighter("http://{{host}}/x")  # type: ignore[misc]
        assert [text.plain[s.start:s.end] for s in text.spans] == ["{{host}}"]
