"""The backend interface: one async ``send``, ``aclose``, and async-context-manager use.

Modelled on httpx's transport base: a backend is tiny, so adding a client
(urllib3, pycurl, niquests...) is one module plus a registry entry. ``send``
never raises for a failed request: it returns a ``Failure``. It may raise
``asyncio.CancelledError`` when the caller cancels.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import TracebackType
from typing import ClassVar

from httpdiff.backends.capture import qualified_name
from httpdiff.errors import InvalidRequest
from httpdiff.model import DEFAULT_MAX_BODY_BYTES, Failure, FailureKind, Outcome, RequestSpec
from httpdiff.validate import check


@dataclass(frozen=True, slots=True)
class Settings:
    """How a backend sends, beyond the request's own options."""

    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    # A fresh connection for every send (the bench's cold mode) instead of a reused pool.
    fresh_connection: bool = False
    # False: a snapshot for timing only (the bench's mode). The body is still read to
    # the cap and timed, but neither it nor its text, the response headers or the
    # request as sent are kept: copying them is most of a backend's own cost per
    # send, and a bench of a large body would otherwise hold every copy in memory.
    # Status, version, redirects, timings, connection facts and failures are kept.
    keep_content: bool = True
    # False: the libraries' timing hooks stay off. Only download and total are timed
    # (the other phases are None), plus whether the connection was reused. The bench's
    # --no-phases mode: the hooks cost ~5% of a fast loopback request.
    phases: bool = True


class Backend:
    """Base class of every backend; subclasses set ``name`` and implement ``send``."""

    name: ClassVar[str] = ""
    # Phases the library never reports, whatever the request (shown as "not observable").
    unobservable: ClassVar[frozenset[str]] = frozenset()
    # The last request that passed ``check``: a bench sends one spec thousands of times.
    _checked: RequestSpec | None = None

    async def send(self, spec: RequestSpec, settings: Settings) -> Outcome:
        raise NotImplementedError

    async def prepare(self, spec: RequestSpec, settings: Settings) -> None:
        """Build what sending ``spec`` needs (clients, SSL contexts) before any clock starts.

        In parallel mode the backends share one event loop, so set-up work done inside
        one backend's send would be counted in the other's timings. Never raises: a
        problem here shows up again, as a ``Failure``, in ``send``.
        """

    def refusal(self, spec: RequestSpec) -> Failure | None:
        """The ``invalid_request`` Failure for a request that cannot be sent, else None.

        A spec is immutable, so one that passed is not checked again, unless it names
        files (a body, multipart parts, a CA bundle): those may have gone since.
        """
        if spec is self._checked:
            return None
        try:
            check(spec)
        except InvalidRequest as exc:
            return Failure(self.name, FailureKind.INVALID_REQUEST, qualified_name(exc), str(exc))
        if spec.body.kind not in ("file", "multipart") and not spec.options.ca_bundle:
            self._checked = spec
        return None

    async def aclose(self) -> None:
        """Close pooled connections; the backend may not be used afterwards."""

    async def __aenter__(self) -> Backend:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
