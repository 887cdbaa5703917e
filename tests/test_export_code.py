"""Generated httpx and aiohttp scripts run for real against the demo demo.

Each script is run in a subprocess; the demo server's echo of what it received must
match what httpdiff's own backend for that library sent for the same request (headers
in order, query, body), so the export really is "the request httpdiff sends".
"""

from __future__ import annotations

import ast
import asyncio
import json
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from httpdiff.compare import compare
from httpdiff.model import Auth, Body, Options, RequestSpec, ResponseSnapshot
from httpdiff.storage.exporters import REQUEST_EXPORTERS, export_request, to_aiohttp, to_httpx
from httpdiff.storage.variables import resolve

RUN_TIMEOUT = 60


def specs(base: str, https: str, ca: str) -> dict[str, RequestSpec]:
    hostile = "it's \"\"\" ''' \\ {braces} \t tab"
    return {
        "get": RequestSpec(url=f"{base}/echo?keep=1", params=(("a", "1"), ("a", "2 3")),
                           headers=(("X-A", "1"), ("X-a", "2"), ("Accept", "text/plain"))),
        "redirects": RequestSpec(url=f"{base}/redirect/2",
                                 options=Options(follow_redirects=True, max_redirects=5)),
        "json-bearer": RequestSpec(method="POST", url=f"{base}/echo",
                                   body=Body(kind="json", text='{"b": [1, 2], "a": "x"}'),
                                   auth=Auth(kind="bearer", token="tok-1")),
        "form": RequestSpec(method="POST", url=f"{base}/echo",
                            body=Body(kind="form", fields=(("a", "1"), ("b", "&="), ("a", "3")))),
        "multipart": RequestSpec(method="POST", url=f"{base}/echo", body=Body(
            kind="multipart", fields=(("title", "hi"), ("file", "@upload.txt")))),
        "text": RequestSpec(method="PUT", url=f"{base}/echo",
                            body=Body(kind="text", text=hostile + "\nline 2\x00",
                                      content_type="text/x-custom")),
        "file": RequestSpec(method="POST", url=f"{base}/echo",
                            body=Body(kind="file", path="upload.txt")),
        "basic": RequestSpec(url=f"{base}/basic-auth/u/p%40ss",
                             auth=Auth(kind="basic", username="u", password="p@ss")),
        "hostile-header": RequestSpec(url=f"{base}/echo", headers=(("X-Q", hostile),)),
        "https-ca-h2": RequestSpec(url=f"{https}/echo",
                                   options=Options(ca_bundle=ca, http2=True, timeout=7.5)),
        "https-insecure": RequestSpec(url=f"{https}/echo", options=Options(verify=False)),
    }


# Runs many generated scripts in one interpreter (each exec'd on its own, as __main__), so
# the slow import of httpx and aiohttp is paid once, not once per script.
RUNNER = """
import contextlib, io, json, sys
outputs = []
for code in json.load(sys.stdin):
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        exec(compile(code, "<export>", "exec"), {"__name__": "__main__"})
    outputs.append(buffer.getvalue())
sys.stdout.write(json.dumps(outputs))
"""


async def run_python(args: list[str], cwd: Path, stdin: bytes = b"",
                     env: dict[str, str] | None = None, *, fails: bool = False) -> str:
    process = await asyncio.create_subprocess_exec(
        sys.executable, *args, cwd=cwd, stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=env,
    )
    out, err = await asyncio.wait_for(process.communicate(stdin), RUN_TIMEOUT)
    assert (process.returncode != 0) == fails, err.decode()
    return (err if fails else out).decode()


def parse_output(out: str) -> tuple[str, list[tuple[str, str]], str]:
    """(status line, response headers, body) as a generated script prints them."""
    head, _, body = out.partition("\n\n")
    status, *header_lines = head.splitlines()
    headers = [(line.partition(": ")[0], line.partition(": ")[2]) for line in header_lines]
    return status, headers, body.removesuffix("\n")


def comparable(echoed: dict[str, Any], multipart: bool) -> dict[str, Any]:
    """The echo without what differs on every send (multipart boundaries)."""
    headers = echoed["headers"]
    body = echoed["body"]
    if multipart:
        headers = [[k, v.split("boundary=")[0]] for k, v in headers]
        body = len(body)
    return {"method": echoed["method"], "path": echoed["path"], "query": echoed["query"],
            "headers": headers, "body": body, "http_version": echoed["http_version"]}


async def test_scripts_send_what_the_backends_send(demo: Any, tmp_path: Path) -> None:
    (tmp_path / "upload.txt").write_text("uploaded bytes\n")
    cases = specs(demo.http_url, demo.https_url, str(demo.ca_path))
    # The backends read files relative to the working directory, like the scripts do.
    cwd = Path.cwd()
    import os

    os.chdir(tmp_path)
    try:
        comparisons = {name: await compare(spec) for name, spec in cases.items()}
    finally:
        os.chdir(cwd)
    jobs = [(name, library, export(spec)) for name, spec in cases.items()
            for library, export in (("httpx", to_httpx), ("aiohttp", to_aiohttp))]
    printed = json.loads(await run_python(
        ["-c", RUNNER], tmp_path, json.dumps([code for _, _, code in jobs]).encode()))
    for (name, library, _), out in zip(jobs, printed, strict=True):
        status, headers, body = parse_output(out)
        outcome = comparisons[name].outcomes[library]
        assert isinstance(outcome, ResponseSnapshot), (name, library, outcome)
        assert status.split()[1] == str(outcome.status), (name, library, status)
        assert ("HTTP/2" in status) == (outcome.http_version == "HTTP/2"), (name, library)
        assert [n.lower() for n, _ in headers] == [n.lower() for n, _ in outcome.headers]
        if outcome.content_type.startswith("application/json") and "/echo" in \
                outcome.request.url:
            multipart = cases[name].body.kind == "multipart"
            assert comparable(json.loads(body), multipart) == comparable(
                json.loads(outcome.body), multipart), (name, library)


async def test_a_script_runs_on_its_own(demo: Any, tmp_path: Path) -> None:
    spec = RequestSpec(method="PATCH", url=f"{demo.http_url}/echo", headers=(("X-A", "1"),),
                       body=Body(kind="json", text='{"a": 1}'))
    for library, export in (("httpx", to_httpx), ("aiohttp", to_aiohttp)):
        script = tmp_path / f"{library}_request.py"
        script.write_text(export(spec))
        status, _, body = parse_output(await run_python([str(script)], tmp_path))
        echoed = json.loads(body)
        assert status.split()[1] == "200", (library, status)
        assert (echoed["method"], json.loads(echoed["body"])) == ("PATCH", {"a": 1})
        assert ["X-A", "1"] in echoed["headers"]


async def test_a_script_reads_its_secrets_from_the_environment(
    demo: Any, tmp_path: Path
) -> None:
    variables = {"base": demo.http_url.rstrip("/"), "who": "alice"}
    # quotes and braces a script must not take literally (no '"': the body is JSON)
    secrets = {"TOKEN": "t'o'''k {x} ü", "API_KEY": "k&y=1 2+3", "my-key": "dash"}
    spec = RequestSpec(
        method="POST", url="{{base}}/echo", params=(("key", "{{API_KEY}}"), ("who", "{{who}}")),
        headers=(("X-Key", "pre-{{my-key}}"), ("X-Who", "{{who}}")),
        body=Body(kind="json", text='{"token": "{{TOKEN}}", "n": 1}'),
        auth=Auth(kind="bearer", token="{{API_KEY}}"),
    )
    expected = await compare(resolve(spec, variables, secrets))
    environment = {**os.environ, "TOKEN": secrets["TOKEN"], "API_KEY": secrets["API_KEY"],
                   "my_key": secrets["my-key"]}
    for library in ("httpx", "aiohttp"):
        exported = export_request(spec, library, variables, secrets)
        assert exported.environment == ("API_KEY", "my_key", "TOKEN")
        for value in secrets.values():
            assert value not in exported.text, library
        script = tmp_path / f"{library}_secret.py"
        script.write_text(exported.text)
        status, _, body = parse_output(await run_python([str(script)], tmp_path, env=environment))
        outcome = expected.outcomes[library]
        assert isinstance(outcome, ResponseSnapshot), outcome
        assert status.split()[1] == "200", (library, status)
        assert comparable(json.loads(body), False) == comparable(json.loads(outcome.body), False)
        # an unset secret stops the script: it never sends the request without it
        unset = {k: v for k, v in environment.items() if k != "TOKEN"}
        error = await run_python([str(script)], tmp_path, env=unset, fails=True)
        assert "KeyError: 'TOKEN'" in error


def test_scripts_are_python_and_values_stay_literals() -> None:
    evil = "'); import os; os.system('echo pwned'); ('"
    spec = RequestSpec(
        method="POST", url="https://h.test/" + evil,
        headers=((evil, evil),), params=((evil, evil),),
        body=Body(kind="multipart", fields=((evil, "@" + evil),)),
        auth=Auth(kind="basic", username=evil, password='"""' + evil),
        options=Options(proxy="http://p.test/" + evil, ca_bundle=evil),
    )
    for export in (to_httpx, to_aiohttp):
        tree = ast.parse(export(spec))
        calls = {node.func.attr for node in ast.walk(tree)
                 if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)}
        assert "system" not in calls
    for body in (Body(kind="json", text="{}"), Body(kind="form", fields=(("a", "b"),)),
                 Body(kind="text", text='"""'), Body(kind="file", path="x")):
        for export in (to_httpx, to_aiohttp):
            ast.parse(export(replace(spec, body=body)))


def test_every_option_is_explicit() -> None:
    code = to_httpx(RequestSpec(url="http://h.test/"))
    for needle in ("trust_env=False", "follow_redirects=False", "max_redirects=10",
                   "timeout=httpx.Timeout(30.0)", "proxy=None", "http2=False"):
        assert needle in code
    code = to_aiohttp(RequestSpec(url="http://h.test/", options=Options(http2=True)))
    # aiohttp fails when its count reaches the limit: 11 follows 10, as httpx's 10 does.
    for needle in ("trust_env=False", "allow_redirects=False", "max_redirects=11",
                   "ClientTimeout(total=30.0)", "proxy=None", "ssl=context",
                   "aiohttp has no HTTP/2"):
        assert needle in code
    assert set(REQUEST_EXPORTERS) == {"curl", "httpx", "aiohttp"}
