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

from httpdiff.model import DEFAULT_MAX_BODY_BYTES, Outcome, RequestSpec


@dataclass(frozen=True, slots=True)
class Settings:
    """How a backend sends, beyond the request's own options."""

    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    # A fresh connection for every send (the bench's cold mode) instead of a reused pool.
    fresh_connection: bool = False


class Backend:
    """Base class of every backend; subclasses set ``name`` and implement ``send``."""

    name: ClassVar[str] = ""

    async def send(self, spec: RequestSpec, settings: Settings) -> Outcome:
        raise NotImplementedError

    async def prepare(self, spec: RequestSpec, settings: Settings) -> None:
        """Build what sending ``spec`` needs (clients, SSL contexts) before any clock starts.

        In parallel mode the backends share one event loop, so set-up work done inside
        one backend's send would be counted in the other's timings. Never raises: a
        problem here shows up again, as a ``Failure``, in ``send``.
        """

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
