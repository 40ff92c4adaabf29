"""Frozen versions: manifests, tamper evidence, and hoshin freeze never overwriting.

The manifest covers every file of a version (text, glossary, change records, history
entry) and chains the previous version's manifest; signatures are OpenSSH's.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from hoshin.cli import main
from hoshin.core.frozen import MANIFEST, FreezeRequest, freeze, verify_version
from hoshin.core.history import load_revisions
from hoshin.core.manifest import FORMAT_HEADER, HISTORY_ENTRY, SIGNATURE, manifest_digest
from hoshin.core.yamlio import DataError

from .conftest import REPO


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "p"
    root.mkdir()
    shutil.copy(REPO / "conf.py", root / "conf.py")
    for folder in ("source", "revisions"):
        shutil.copytree(REPO / folder, root / folder)
    return root


@pytest.mark.parametrize("vid", ["_62", "_63", "_83"])
def test_embedded_versions_match_their_manifests(vid: str) -> None:
    assert verify_version(REPO / "revisions" / vid) == []
    manifest = (REPO / "revisions" / vid / MANIFEST).read_text("utf-8")
    assert manifest.startswith(FORMAT_HEADER) and f"  {HISTORY_ENTRY}\n" in manifest
    if vid != "_62":
        assert "  changes.yaml\n" in manifest
        previous = {"_63": "_62", "_83": "_63"}[vid]
        digest = manifest_digest(REPO / "revisions" / previous)
        assert f"{digest}  ../{previous}/{MANIFEST}\n" in manifest


def test_manifest_is_sha256sum_format() -> None:
    if shutil.which("sha256sum") is None:
        pytest.skip("no sha256sum")
    proc = subprocess.run(["sha256sum", "--quiet", "-c", MANIFEST], cwd=REPO / "revisions" / "_83",
                          capture_output=True, text=True)  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_edited_file_is_named(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = project / "revisions" / "_83" / "source" / "3" / "3-1-1.md"
    page.write_text(page.read_text("utf-8").replace("推進", "促進", 1), "utf-8")
    errors = verify_version(project / "revisions" / "_83")
    assert len(errors) == 1 and errors[0].path.endswith("revisions/_83/source/3/3-1-1.md")
    assert "edited after freezing" in errors[0].message
    assert main(["-C", str(project), "check"]) == 2
    assert "revisions/_83/source/3/3-1-1.md:1:1: frozen file edited" in capsys.readouterr().err


def test_added_file_is_named(project: Path) -> None:
    (project / "revisions" / "_63" / "source" / "extra.md").write_text("# 追加\n", "utf-8")
    errors = verify_version(project / "revisions" / "_63")
    assert [e.path.endswith("revisions/_63/source/extra.md") for e in errors] == [True]
    assert "added to a frozen version" in errors[0].message


def test_removed_file_is_named_at_its_manifest_line(project: Path) -> None:
    (project / "revisions" / "_62" / "source" / "colophon.md").unlink()
    errors = verify_version(project / "revisions" / "_62")
    assert len(errors) == 1 and errors[0].path.endswith("revisions/_62/MANIFEST.sha256")
    manifest = (project / "revisions" / "_62" / MANIFEST).read_text("utf-8").split("\n")
    line = next(i for i, ln in enumerate(manifest, 1) if ln.endswith("  source/colophon.md"))
    assert errors[0].line == line and "colophon.md" in errors[0].message


def test_build_refuses_a_tampered_version_before_writing(project: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    (project / "revisions" / "_63" / "source" / "index.md").write_text("改ざん\n", "utf-8")
    assert main(["-C", str(project), "build"]) == 2
    err = capsys.readouterr().err
    assert "revisions/_63/source/index.md:1:1: frozen file edited" in err
    assert not (project / "_build" / "html").exists()


def test_diff_refuses_a_tampered_side(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "revisions" / "_83" / "source" / "index.md").unlink()
    assert main(["-C", str(project), "diff", "_63", "_83"]) == 2
    assert "frozen file removed" in capsys.readouterr().err


def test_freeze_copies_writes_manifest_and_appends_history(project: Path) -> None:
    pending = project / "revisions" / "current"
    pending.mkdir()
    (pending / "changes.yaml").write_text("changes: []\n", "utf-8")
    (project / "glossary").mkdir()
    (project / "glossary" / "a.yaml").write_text("terms: []\n", "utf-8")
    assert main(["-C", str(project), "freeze", "_84", "--event", "第4回有識者会議",
                 "--date", "2021-06-03", "--summary", "第4回会議の意見を反映"]) == 0  # fmt: skip
    target = project / "revisions" / "_84"
    assert verify_version(target) == []
    manifest = (target / MANIFEST).read_text("utf-8")
    assert "  source/index.md\n" in manifest and "  glossary/a.yaml\n" in manifest
    data = load_revisions(project)
    assert data.errors == [] and data.ids == ["_62", "_63", "_83", "_84"]
    v84 = data.get("_84")
    assert (
        v84 is not None and v84.date_text == "令和3年6月3日" and v84.events == ("第4回有識者会議",)
    )
    assert (target / "changes.yaml").read_text("utf-8") == "changes: []\n"
    assert not (pending / "changes.yaml").exists()
    assert "# 版の履歴（古い順）" in (project / "revisions" / "history.yaml").read_text("utf-8")


def test_diff_reads_the_same_with_and_without_the_scan_cache(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """hoshin freeze scans the new version for later diffs; the cache never changes a result."""
    cache = project / "_build" / ".cache" / "hoshin-scans.pickle"
    assert main(["-C", str(project), "freeze", "_84", "--date", "2021-06-03"]) == 0
    assert cache.is_file()
    page = project / "source" / "3" / "3-1-2.md"
    page.write_text(page.read_text("utf-8") + "\n追記した一文です。\n", "utf-8")
    capsys.readouterr()
    results = []
    for drop in (False, True, False):
        if drop:
            cache.unlink()
        assert main(["-C", str(project), "diff", "_83", "current", "--format", "json"]) == 0
        results.append(capsys.readouterr().out)
    assert results[0] == results[1] == results[2]
    assert "追記した一文です。" in results[0]
    cache.write_bytes(b"broken")  # a damaged cache is ignored and replaced
    assert main(["-C", str(project), "diff", "_83", "current", "--format", "json"]) == 0
    assert capsys.readouterr().out == results[0]


def test_freeze_refuses_to_overwrite(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = (project / "revisions" / "_83" / MANIFEST).read_bytes()
    history = (project / "revisions" / "history.yaml").read_bytes()
    assert main(["-C", str(project), "freeze", "_83"]) == 2
    assert "version '_83' already exists; frozen versions are never overwritten" in (
        capsys.readouterr().err
    )
    assert (project / "revisions" / "_83" / MANIFEST).read_bytes() == before
    assert (project / "revisions" / "history.yaml").read_bytes() == history


def test_freeze_refuses_an_existing_folder_and_bad_ids(project: Path) -> None:
    (project / "revisions" / "_90" / "source").mkdir(parents=True)
    with pytest.raises(DataError, match="already exists"):
        freeze(project, FreezeRequest("_90", "x"))
    for bad in ("current", "../x", "a b"):
        with pytest.raises(DataError, match="cannot be a version id"):
            freeze(project, FreezeRequest(bad, "x"))
    with pytest.raises(DataError, match="is not YYYY-MM-DD"):
        freeze(project, FreezeRequest("_91", "x", date="令和3年"))
    assert load_revisions(project).ids == ["_62", "_63", "_83"]


# ---------------------------------------------------------------------------------------
# every file covered, versions chained (issue 18 item 8)
# ---------------------------------------------------------------------------------------


def _rewrite_line(version: Path, rel: str) -> None:
    """What a careful forger does: edit a file, then put its new sha256 into the manifest."""
    manifest = version / MANIFEST
    digest = hashlib.sha256((version / rel).read_bytes()).hexdigest()
    text = re.sub(rf"^[0-9a-f]{{64}}  {re.escape(rel)}$", f"{digest}  {rel}",
                  manifest.read_text("utf-8"), flags=re.M)  # fmt: skip
    manifest.write_text(text, "utf-8")


def _check(project: Path, capsys: pytest.CaptureFixture[str], *names: str) -> tuple[int, str]:
    """Run check from inside the project, as an editor does (paths in messages are relative)."""
    capsys.readouterr()
    only = [arg for name in (names or ("frozen",)) for arg in ("--only", name)]
    with contextlib.chdir(project):
        code = main(["--lang", "en", "check", *only])
    return code, capsys.readouterr().err


def test_text_and_manifest_rewritten_together_are_caught_by_the_next_version(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    v63 = project / "revisions" / "_63"
    page = v63 / "source" / "3" / "3-1-1.md"
    page.write_text(page.read_text("utf-8").replace("推進", "促進", 1), "utf-8")
    _rewrite_line(v63, "source/3/3-1-1.md")
    assert main(["-C", str(project), "check", "--only", "frozen"]) == 2  # (any language)
    code, err = _check(project, capsys)
    assert code == 2
    line = next(i for i, ln in enumerate((project / "revisions" / "_83" / MANIFEST)
                .read_text("utf-8").split("\n"), 1) if ln.endswith("../_63/MANIFEST.sha256"))  # fmt: skip
    assert (f"revisions/_63/MANIFEST.sha256:1:1: manifest changed after version _83 was frozen "
            f"(its sha256 differs from revisions/_83/MANIFEST.sha256 line {line}); an older "
            "version was rewritten") in err  # fmt: skip
    assert "3-1-1.md" not in err  # the forged line itself matches: the chain is what tells


def test_edited_change_records_are_caught(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    records = project / "revisions" / "_83" / "changes.yaml"
    records.write_text(records.read_text("utf-8").replace("reason: ", "reason: 改めて", 1), "utf-8")
    code, err = _check(project, capsys)
    assert code == 2
    assert "revisions/_83/changes.yaml:1:1: frozen file edited after freezing" in err


def test_edited_history_entry_is_caught_at_its_line_naming_the_field(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    history = project / "revisions" / "history.yaml"
    text = history.read_text("utf-8")
    history.write_text(text.replace("summary: 第2回有識者会議の指摘", "summary: 第二回有識者会議の指摘"),
                       "utf-8")  # fmt: skip
    code, err = _check(project, capsys)
    line = next(i for i, ln in enumerate(text.split("\n"), 1) if ln.endswith("id: _63"))
    assert code == 2
    assert (f"revisions/history.yaml:{line}:9: history entry of version '_63' differs from the "
            "one frozen with it (revisions/_63/history-entry.json): summary; a frozen version's "
            "entry must not change (if the change is intended, run 'hoshin freeze --rehash')"
            ) in err  # fmt: skip


def test_reformatting_history_yaml_changes_nothing(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Key order, quoting, flow or block lists and an explicit null are not content."""
    history = project / "revisions" / "history.yaml"
    text = history.read_text("utf-8")
    text = text.replace("    events: [第3回有識者会議, 庁内意見照会, 事務局による見直し]\n",
                        "    events:\n      - '第3回有識者会議'\n      - 庁内意見照会\n"
                        "      - \"事務局による見直し\"\n")  # fmt: skip
    text = text.replace("    edition: null\n    name: 素案（第2回有識者会議の前）\n",
                        "    name: 素案（第2回有識者会議の前）\n")  # fmt: skip
    assert text != history.read_text("utf-8")
    history.write_text(text, "utf-8")
    assert _check(project, capsys) == (0, "")


def test_old_format_names_the_migration_and_rehash_shows_then_writes(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A manifest of the first format (text only) and what `hoshin freeze --rehash` does."""
    for vid in ("_62", "_63", "_83"):
        version = project / "revisions" / vid
        (version / HISTORY_ENTRY).unlink()
        text = [ln for ln in (version / MANIFEST).read_text("utf-8").split("\n")
                if (ln.endswith((".md", ".yaml", ".svg", ".png")) and "  source/" in ln)
                or "  glossary/" in ln]  # fmt: skip
        (version / MANIFEST).write_text("\n".join(text) + "\n", "utf-8")
    code, err = _check(project, capsys)
    assert code == 2
    assert ("revisions/_83/MANIFEST.sha256:1:1: manifest in the old format: it does not cover "
            "changes.yaml, the history entry or the previous version; run 'hoshin freeze "
            "--rehash' once and commit the result") in err  # fmt: skip
    before = (project / "revisions" / "_83" / MANIFEST).read_bytes()
    assert main(["-C", str(project), "--lang", "en", "freeze", "--rehash"]) == 1  # not a tty
    said = capsys.readouterr()
    assert "_83: manifest " in said.out and "  newly covered: changes.yaml" in said.out
    assert "  records the manifest of the previous version _63" in said.out
    assert "nothing written: run again with --yes" in said.err
    assert (project / "revisions" / "_83" / MANIFEST).read_bytes() == before
    assert main(["-C", str(project), "--lang", "en", "freeze", "--rehash", "--yes"]) == 0
    assert "rewrote 3 manifests" in capsys.readouterr().out
    assert _check(project, capsys) == (0, "")
    for vid in ("_62", "_63", "_83"):  # the same bytes as the committed migration
        assert (project / "revisions" / vid / MANIFEST).read_bytes() == (
            REPO / "revisions" / vid / MANIFEST).read_bytes()  # fmt: skip


def test_rehash_refuses_edited_text_and_blesses_an_intended_entry_change(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = project / "revisions" / "_62" / "source" / "index.md"
    original = page.read_bytes()
    page.write_bytes(original + b"\n")
    assert main(["-C", str(project), "--lang", "en", "freeze", "--rehash", "--yes"]) == 2
    assert ("revisions/_62/source/index.md:1:1: frozen text differs from its manifest; restore "
            "it") in capsys.readouterr().err  # fmt: skip
    page.write_bytes(original)
    history = project / "revisions" / "history.yaml"
    history.write_text(history.read_text("utf-8").replace("    status: draft\n",
                       "    status: published\n", 1), "utf-8")  # fmt: skip
    old83 = manifest_digest(project / "revisions" / "_83")
    assert main(["-C", str(project), "--lang", "en", "freeze", "--rehash", "--yes"]) == 0
    out = capsys.readouterr().out
    assert "  history entry changed: status" in out and "rewrote 3 manifests" in out
    assert manifest_digest(project / "revisions" / "_83") != old83  # the chain moves on
    assert _check(project, capsys) == (0, "")


def test_freeze_covers_records_and_entry_and_chains(project: Path) -> None:
    pending = project / "revisions" / "current"
    pending.mkdir()
    (pending / "changes.yaml").write_text("changes: []\n", "utf-8")
    assert main(["-C", str(project), "freeze", "_84", "--date", "2021-06-03"]) == 0
    target = project / "revisions" / "_84"
    manifest = (target / MANIFEST).read_text("utf-8")
    assert f"{manifest_digest(project / 'revisions' / '_83')}  ../_83/{MANIFEST}\n" in manifest
    assert "  changes.yaml\n" in manifest and f"  {HISTORY_ENTRY}\n" in manifest
    entry = json.loads((target / HISTORY_ENTRY).read_text("utf-8"))
    assert entry == {"id": "_84", "date": "2021-06-03", "events": [], "status": "draft",
                     "summary": "_84 を凍結"}  # fmt: skip
    assert verify_version(target) == []
    if shutil.which("sha256sum"):  # the chain link is checked by sha256sum too
        proc = subprocess.run(["sha256sum", "--quiet", "-c", MANIFEST], cwd=target,
                              capture_output=True, text=True)  # fmt: skip
        assert proc.returncode == 0, proc.stdout + proc.stderr


def test_freeze_refuses_to_chain_onto_a_damaged_version(project: Path) -> None:
    (project / "revisions" / "_83" / "changes.yaml").write_text("changes: []\n", "utf-8")
    with pytest.raises(DataError, match="frozen file edited after freezing"):
        freeze(project, FreezeRequest("_84", "x"))
    assert not (project / "revisions" / "_84").exists()


# ---------------------------------------------------------------------------------------
# signatures (OpenSSH)
# ---------------------------------------------------------------------------------------


@pytest.fixture
def keys(tmp_path: Path) -> dict[str, Path]:
    if shutil.which("ssh-keygen") is None:
        pytest.fail("ssh-keygen is missing: install openssh-client (Makefile APT_PACKAGES)")
    made = {}
    for name in ("city", "stranger"):
        key = tmp_path / "keys" / name
        key.parent.mkdir(exist_ok=True)
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key)],
                       check=True)  # fmt: skip
        made[name] = key
    return made


def _allow(project: Path, principal: str, key: Path) -> None:
    public = " ".join(key.with_suffix(".pub").read_text("utf-8").split()[:2])
    (project / "revisions" / "allowed_signers").write_text(f"{principal} {public}\n", "utf-8")


def test_signed_freeze_verifies_and_a_bad_signature_names_file_and_signer(
    project: Path, keys: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _allow(project, "joho@city.example", keys["city"])
    assert main(["-C", str(project), "--lang", "en", "freeze", "_84",
                 "--sign", str(keys["city"])]) == 0  # fmt: skip
    signature = project / "revisions" / "_84" / SIGNATURE
    assert signature.is_file() and "signed: " in capsys.readouterr().out
    assert _check(project, capsys, "frozen", "signatures") == (0, "")
    # a manifest rewritten after signing (here: a harmless extra comment line)
    manifest = project / "revisions" / "_84" / MANIFEST
    manifest.write_text(manifest.read_text("utf-8") + "# \n", "utf-8")
    code, err = _check(project, capsys, "signatures")
    assert code == 2
    assert ("revisions/_84/MANIFEST.sha256.sig:1:1: signature by joho@city.example does not "
            "verify: MANIFEST.sha256 changed after it was signed, or the signature is damaged"
            ) in err  # fmt: skip


def test_signature_by_a_key_not_allowed_is_refused(
    project: Path, keys: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["-C", str(project), "freeze", "_84", "--sign", str(keys["stranger"])]) == 0
    fingerprint = subprocess.run(["ssh-keygen", "-lf", str(keys["stranger"])], check=True,
                                 capture_output=True, text=True).stdout.split()[1]  # fmt: skip
    code, err = _check(project, capsys, "signatures")
    assert code == 2 and (f"revisions/_84/MANIFEST.sha256.sig:1:1: signed by key {fingerprint}, "
                          "but there is no allowed-signers file revisions/allowed_signers") in err  # fmt: skip
    _allow(project, "joho@city.example", keys["city"])
    code, err = _check(project, capsys, "signatures")
    assert code == 2 and (f"signed by key {fingerprint}, which is not in "
                          "revisions/allowed_signers") in err  # fmt: skip
    (project / "revisions" / "_84" / SIGNATURE).write_text("garbage\n", "utf-8")
    code, err = _check(project, capsys, "signatures")
    assert "revisions/_84/MANIFEST.sha256.sig:1:1: not an OpenSSH signature" in err


def test_rehash_with_sign_signs_and_without_removes_stale_signatures(
    project: Path, keys: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _allow(project, "joho@city.example", keys["city"])
    rehash = ["-C", str(project), "--lang", "en", "freeze", "--rehash", "--yes"]
    assert main([*rehash, "--sign", str(keys["city"])]) == 0
    assert "rewrote 0 manifests, signed 3" in capsys.readouterr().out
    assert _check(project, capsys, "frozen", "signatures") == (0, "")
    history = project / "revisions" / "history.yaml"
    history.write_text(history.read_text("utf-8").replace("    status: draft\n",
                       "    status: published\n"), "utf-8")  # fmt: skip
    assert main(rehash) == 0
    assert "signature removed (it signs the old manifest" in capsys.readouterr().out
    assert not list((project / "revisions").glob(f"*/{SIGNATURE}"))
