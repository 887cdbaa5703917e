"""The demo server's private CA and its certificate for ``127.0.0.1`` and ``localhost``.

Generated with trustme on first use and kept in ``<data dir>/demo-ca/`` so that a user who passed
``ca.pem`` to ``--cacert`` (or trusted it elsewhere) keeps a working setup across runs. The files
are reused only after an in-memory TLS handshake proves they still fit together (key matches
certificate, chain verifies, both names match, dates valid); anything missing or corrupt is
regenerated. When only the server certificate is bad but the CA is fine, a new certificate is
issued from the existing CA, so the user's trust in ``ca.pem`` survives.
"""

from __future__ import annotations

import contextlib
import os
import ssl
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

if TYPE_CHECKING:
    import trustme

#: Names the server certificate must be valid for; the demo URLs use the IP literal.
IDENTITIES = ("127.0.0.1", "localhost")
#: Bound on handshake round trips in the self-check; a TLS 1.3 handshake needs two or three.
_MAX_HANDSHAKE_ROUNDS = 10


@dataclass(frozen=True, slots=True)
class CertPaths:
    """Where the four PEM files live; ``ca`` is what users pass as ``--cacert``."""

    folder: Path

    @property
    def ca(self) -> Path:
        return self.folder / "ca.pem"

    @property
    def ca_key(self) -> Path:
        return self.folder / "ca-key.pem"

    @property
    def cert(self) -> Path:
        """The server certificate followed by its chain."""
        return self.folder / "server.pem"

    @property
    def key(self) -> Path:
        return self.folder / "server-key.pem"


def default_data_dir() -> Path:
    """``$HTTPDIFF_DATA_DIR`` if set (tests point it at a tmp dir), else the platform's data dir."""
    override = os.environ.get("HTTPDIFF_DATA_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir("httpdiff"))


def ensure_certs(data_dir: Path | None = None) -> CertPaths:
    """Return usable certificate files under ``data_dir/demo-ca``, creating what is missing."""
    paths = CertPaths((data_dir if data_dir is not None else default_data_dir()) / "demo-ca")
    if _usable(paths):
        return paths
    import trustme  # only when generating: it pulls in cryptography (a quarter second)

    paths.folder.mkdir(parents=True, exist_ok=True)
    ca = _load_ca(paths)
    if ca is None:
        ca = trustme.CA(organization_name="httpdiff demo")
        _write(paths.ca_key, ca.private_key_pem.bytes(), secret=True)
        _write(paths.ca, ca.cert_pem.bytes())
    leaf = ca.issue_cert(*IDENTITIES, organization_name="httpdiff demo")
    _write(paths.key, leaf.private_key_pem.bytes(), secret=True)
    _write(paths.cert, b"".join(blob.bytes() for blob in leaf.cert_chain_pems))
    if not _usable(paths):
        raise RuntimeError(f"generated demo certificates in {paths.folder} do not verify")
    return paths


def server_context(paths: CertPaths) -> ssl.SSLContext:
    """A server-side context offering h2 and http/1.1, as the TLS listener uses it."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(paths.cert, paths.key)
    context.set_alpn_protocols(["h2", "http/1.1"])
    return context


def _load_ca(paths: CertPaths) -> trustme.CA | None:
    """The stored CA if its certificate and key load and belong together, else None."""
    import trustme

    try:
        ca = trustme.CA.from_pem(paths.ca.read_bytes(), paths.ca_key.read_bytes())
        probe = ca.issue_cert(*IDENTITIES)
        with tempfile.TemporaryDirectory() as tmp:
            trial = CertPaths(Path(tmp))
            _write(trial.ca, paths.ca.read_bytes())
            _write(trial.key, probe.private_key_pem.bytes())
            _write(trial.cert, b"".join(blob.bytes() for blob in probe.cert_chain_pems))
            return ca if _usable(trial) else None
    except Exception:  # any parse failure of a corrupt file means "make a new CA"
        return None


def _usable(paths: CertPaths) -> bool:
    """True when a client trusting only ``ca.pem`` completes a handshake for every identity."""
    try:
        server = server_context(paths)
        client = ssl.create_default_context(cafile=str(paths.ca))
        for name in IDENTITIES:
            _handshake(client, server, name)
    except (OSError, ssl.SSLError, ValueError):
        return False
    return True


def _handshake(client_ctx: ssl.SSLContext, server_ctx: ssl.SSLContext, name: str) -> None:
    """Run a TLS handshake through memory buffers; raises ssl.SSLError when it cannot finish."""
    c_in, c_out, s_in, s_out = (ssl.MemoryBIO() for _ in range(4))
    client = client_ctx.wrap_bio(c_in, c_out, server_hostname=name)
    server = server_ctx.wrap_bio(s_in, s_out, server_side=True)
    for _ in range(_MAX_HANDSHAKE_ROUNDS):
        finished = True
        for side in (client, server):
            try:
                side.do_handshake()
            except ssl.SSLWantReadError:
                finished = False
        s_in.write(c_out.read())
        c_in.write(s_out.read())
        if finished:
            return
    raise ssl.SSLError(f"TLS self-check for {name} did not finish")


def _write(path: Path, data: bytes, *, secret: bool = False) -> None:
    """Atomic write (temp file + rename) so a crash never leaves half a PEM behind."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        if not secret:
            os.chmod(tmp, 0o644)  # mkstemp creates 0600; the CA and chain are public
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
