"""One request through several backends, and the verdict: the core used by the CLI and the UI.

A ``Session`` keeps one instance of each backend alive so repeated sends reuse
connections, as a real program would. ``compare`` never raises for a failed
send: each backend's outcome is a snapshot or a ``Failure``; only cancellation
propagates. Parallel mode sends through all backends at once; sequential mode
sends one after another and alternates who goes first between calls, so
neither library always pays for a cold cache.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping, Sequence
from types import TracebackType
from typing import Literal

from httpdiff import backends as registry
from httpdiff.backends import Backend, Settings
from httpdiff.backends.capture import one_line, qualified_name
from httpdiff.diff import findings
from httpdiff.errors import InvalidRequest
from httpdiff.model import Comparison, Failure, FailureKind, Outcome, RequestSpec, Timings
from httpdiff.noise import NoiseRules
from httpdiff.validate import check

Mode = Literal["parallel", "sequential"]
DEFAULT_BACKENDS: tuple[str, ...] = ("httpx", "aiohttp")
OutcomeCallback = Callable[[str, Outcome], None]


class Session:
    """Backends by name, created on first use and closed together."""

    def __init__(
        self,
        names: Sequence[str] = DEFAULT_BACKENDS,
        *,
        instances: Mapping[str, Backend] | None = None,
    ) -> None:
        """``instances`` supplies ready-made backends by name (a test double is just one more)."""
        given = dict(instances or {})
        for name in names:
            if name not in given and name not in registry.available():
                registry.create(name)  # raises UnknownName with the known names
        self.names: tuple[str, ...] = tuple(names)
        self._backends: dict[str, Backend] = given
        self._turn = 0

    def backend(self, name: str) -> Backend:
        if name not in self._backends:
            self._backends[name] = registry.create(name)
        return self._backends[name]

    def next_order(self, names: Sequence[str]) -> list[str]:
        """The names rotated by one more each call: who goes first alternates."""
        order = list(names)
        if order:
            shift = self._turn % len(order)
            order = order[shift:] + order[:shift]
        self._turn += 1
        return order

    async def aclose(self) -> None:
        backends, self._backends = list(self._backends.values()), {}
        await asyncio.gather(*(b.aclose() for b in backends), return_exceptions=True)

    async def __aenter__(self) -> Session:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


async def _send_one(
    session: Session, name: str, spec: RequestSpec, settings: Settings
) -> Outcome:
    started = time.perf_counter()
    try:
        return await session.backend(name).send(spec, settings)
    except asyncio.CancelledError:
        raise
    except Exception as exc:  # a backend bug must still be a result, not a crash
        return Failure(
            backend=name,
            kind=FailureKind.OTHER,
            exception_type=qualified_name(exc),
            message=one_line(exc),
            timings=Timings(total=(time.perf_counter() - started) * 1000),
        )


async def send_all(
    spec: RequestSpec,
    session: Session,
    *,
    names: Sequence[str] | None = None,
    settings: Settings | None = None,
    mode: Mode = "parallel",
    on_outcome: OutcomeCallback | None = None,
) -> dict[str, Outcome]:
    """Outcomes keyed by backend name, in the order the names were given."""
    chosen = list(names or session.names)
    settings = settings or Settings()
    outcomes: dict[str, Outcome] = {}
    for name in chosen:
        await session.backend(name).prepare(spec, settings)

    async def run(name: str) -> None:
        outcomes[name] = await _send_one(session, name, spec, settings)
        if on_outcome is not None:
            on_outcome(name, outcomes[name])

    if mode == "parallel":
        async with asyncio.TaskGroup() as group:
            for name in chosen:
                group.create_task(run(name))
    else:
        for name in session.next_order(chosen):
            await run(name)
    return {name: outcomes[name] for name in chosen}


async def compare(
    spec: RequestSpec,
    session: Session | None = None,
    *,
    names: Sequence[str] | None = None,
    settings: Settings | None = None,
    rules: NoiseRules | None = None,
    mode: Mode = "parallel",
    on_outcome: OutcomeCallback | None = None,
) -> Comparison:
    """Send ``spec`` through each backend and diff the outcomes.

    Raises ``InvalidRequest`` before sending anything if the request cannot be
    sent as written. With no ``session``, a temporary one is opened and closed.
    """
    check(spec)
    if session is None:
        async with Session(names or DEFAULT_BACKENDS) as temporary:
            return await compare(
                spec, temporary, names=names, settings=settings, rules=rules, mode=mode,
                on_outcome=on_outcome,
            )
    outcomes = await send_all(
        spec, session, names=names, settings=settings, mode=mode, on_outcome=on_outcome
    )
    found = findings(outcomes, rules or NoiseRules())
    return Comparison(request=spec, outcomes=outcomes, findings=found)


__all__ = ["DEFAULT_BACKENDS", "InvalidRequest", "Mode", "Session", "compare", "send_all"]
