"""Signatures of frozen versions with OpenSSH (``ssh-keygen -Y sign`` / ``-Y verify``).

A city already has SSH keys (or can make one with ``ssh-keygen -t ed25519``); no other
tool is needed. ``hoshin freeze --sign KEY`` writes ``revisions/<id>/MANIFEST.sha256.sig``
in the namespace :data:`NAMESPACE`; since the manifest covers every file of the version
and the previous version's manifest, one signature vouches for the version and its whole
history. ``hoshin check`` verifies every signature that exists against the allowed-signers
file :data:`ALLOWED_SIGNERS` (OpenSSH's format: ``<principal> <key type> <public key>``).
Pure Python (runs ``ssh-keygen``), no Sphinx.
"""

from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
from pathlib import Path

from hoshin.core.history import display_path
from hoshin.core.manifest import MANIFEST, SIGNATURE
from hoshin.core.yamlio import DataError

NAMESPACE = "hoshin-freeze"
#: The allowed-signers file, relative to the project folder.
ALLOWED_SIGNERS = "revisions/allowed_signers"
SSH_KEYGEN_HINT = (
    "ssh-keygen not found: install OpenSSH's client (Debian: apt install openssh-client)"
)


def _ssh_keygen() -> str | None:
    return shutil.which("ssh-keygen")


def _run(args: list[str], stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(args, input=stdin, capture_output=True, check=False, timeout=60)


def sign_manifest(version_dir: Path, key: Path) -> Path:
    """Sign ``version_dir/MANIFEST.sha256`` with the private ``key`` (or its ``.pub`` with an agent)."""
    program = _ssh_keygen()
    if program is None:
        raise DataError("--sign", 1, 1, SSH_KEYGEN_HINT)
    if not key.is_file():
        raise DataError(display_path(key), 1, 1, "signing key not found")
    manifest = version_dir / MANIFEST
    signature = version_dir / SIGNATURE
    signature.unlink(missing_ok=True)  # ssh-keygen asks before overwriting
    proc = subprocess.run([program, "-Y", "sign", "-f", str(key), "-n", NAMESPACE, str(manifest)],
                          capture_output=True, check=False, timeout=300)  # fmt: skip
    if proc.returncode != 0 or not signature.is_file():
        said = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DataError(display_path(key), 1, 1,
                        f"ssh-keygen could not sign with this key: {said[-1] if said else proc.returncode}")  # fmt: skip
    return signature


def verify_signature(version_dir: Path, allowed_signers: Path) -> tuple[str, DataError | None]:
    """Verify ``version_dir``'s signature; return (who signed, the error when it does not hold).

    Who signed is the principal of ``allowed_signers`` whose key made the signature, else
    ``key SHA256:…`` (the key's fingerprint, read from the signature itself).
    """
    signature = version_dir / SIGNATURE
    shown = display_path(signature)
    program = _ssh_keygen()
    if program is None:
        return "", DataError(shown, 1, 1, SSH_KEYGEN_HINT)
    key = signature_key(signature)
    if key is None:
        return "", DataError(shown, 1, 1, "not an OpenSSH signature (damaged?)")
    if not allowed_signers.is_file():
        return key, DataError(shown, 1, 1,
                              f"signed by {key}, but there is no allowed-signers file "
                              f"{display_path(allowed_signers)} to say whose key it is")  # fmt: skip
    found = _run(
        [program, "-Y", "find-principals", "-s", str(signature), "-f", str(allowed_signers)]
    )
    principals = found.stdout.decode("utf-8", "replace").split() if found.returncode == 0 else []
    if not principals:
        return key, DataError(shown, 1, 1,
                              f"signed by {key}, which is not in {display_path(allowed_signers)}")  # fmt: skip
    manifest = version_dir / MANIFEST
    message = manifest.read_bytes() if manifest.is_file() else b""
    for principal in principals:
        proc = _run([program, "-Y", "verify", "-f", str(allowed_signers), "-I", principal,
                     "-n", NAMESPACE, "-s", str(signature)], message)  # fmt: skip
        if proc.returncode == 0:
            return principal, None
    who = principals[0]
    return who, DataError(shown, 1, 1,
                          f"signature by {who} does not verify: {MANIFEST} changed after it was "
                          "signed, or the signature is damaged")  # fmt: skip


def signature_key(signature: Path) -> str | None:
    """``key SHA256:…`` of the public key inside an OpenSSH signature (PROTOCOL.sshsig), or None."""
    try:
        text = signature.read_text(encoding="ascii")
        body = "".join(line for line in text.splitlines() if line and not line.startswith("-----"))
        blob = base64.b64decode(body, validate=True)
    except (OSError, UnicodeError, ValueError):
        return None
    if not blob.startswith(b"SSHSIG") or len(blob) < 14:
        return None
    size = int.from_bytes(blob[10:14], "big")
    public_key = blob[14 : 14 + size]
    if len(public_key) != size:
        return None
    fingerprint = base64.b64encode(hashlib.sha256(public_key).digest()).decode().rstrip("=")
    return f"key SHA256:{fingerprint}"
