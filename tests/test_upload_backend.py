"""The backbone pieces the upload view stands on: limits, duplicates, supersede and roll-back chains,
content-addressed originals, and that every string the upload area shows has Vietnamese."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from babel.messages.extract import extract_from_file

from core.db import transaction
from core.schema import ensure_database
from etl.limits import Limits
from etl.load import load_bytes
from etl.store import rollback_upload
from etl.validate import parse_bytes
from i18n import catalogue
from query.uploads import current_levels, loaded_uploads, original_file, upload_assessments, upload_history
from tests.uploadkit import good_file, hai_phong_communes, levels

ROOT = Path(__file__).resolve().parent.parent
MY_FILES = [
    "auth/accounts.py",
    "auth/passwords.py",
    "ui/access.py",
    "pages/upload.py",
    "pages/history.py",
    "pages/account.py",
    "etl/annotate.py",
]


@pytest.fixture
def db(tmp_db: Path) -> Path:
    return ensure_database(tmp_db)


def test_every_upload_area_string_has_a_vietnamese_translation():
    vi = catalogue("vi")
    missing = []
    for f in MY_FILES:
        for _, msg, _, _ in extract_from_file("python", ROOT / f, keywords={"t": None, "N_": None}):
            text = msg if isinstance(msg, str) else msg[0]
            if text not in vi:
                missing.append(f"{f}: {text}")
    assert missing == []


def test_limits_refuse_quickly_and_clearly(tmp_path):
    unit = hai_phong_communes(1)[0]
    data = good_file(tmp_path, unit).read_bytes()
    small = Limits(max_file_bytes=1024, max_unpacked_bytes=10 * 2**20, max_ratio=200, max_rows=50_000)
    assert [p.code for p in parse_bytes("a.xlsx", data, limits=small).problems] == ["file-too-large"]
    few_rows = Limits(max_rows=20)
    [prob] = parse_bytes("a.xlsx", data, limits=few_rows).problems
    assert prob.code == "too-many-rows" and "20" in prob.message_en
    assert [p.code for p in parse_bytes("notes.txt", b"hello").problems] == ["unsupported-format"]
    assert [p.code for p in parse_bytes("fake.xlsx", b"MZ\x90\x00binary").problems] == ["file-unreadable"]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<x/>")
        z.writestr("xl/worksheets/sheet1.xml", b" " * 30_000_000)
    assert [p.code for p in parse_bytes("bomb.xlsx", buf.getvalue()).problems] == ["archive-too-large"]


def test_limits_are_configurable_by_environment():
    code = "from etl.limits import LIMITS as L; print(L.max_file_bytes, L.max_unpacked_bytes, L.max_rows)"
    env = {
        **os.environ,
        "ISO18091_MAX_FILE_MB": "3",
        "ISO18091_MAX_UNPACKED_MB": "7",
        "ISO18091_MAX_ROWS": "123",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == [str(3 * 2**20), str(7 * 2**20), "123"]


def test_same_bytes_twice_is_a_no_op_and_originals_are_content_addressed(db, tmp_path):
    unit = hai_phong_communes(1, skip=2)[0]
    path = good_file(tmp_path, unit, seed=5)
    first = load_bytes("../x/../../a name.xlsx", path.read_bytes(), db, "ana")
    again = load_bytes("other name.xlsx", path.read_bytes(), db, "binh")
    assert (first.status, again.status) == ("loaded", "duplicate")
    hist = upload_history(db).set_index("upload_id")
    assert hist.at[first.upload_id, "file_name"] == "a name.xlsx"
    sha = hist.at[first.upload_id, "sha256"]
    stored = original_file(hist.at[first.upload_id, "stored_path"], db)
    assert stored is not None and stored.name == f"{sha}.xlsx" and stored.read_bytes() == path.read_bytes()
    assert pd.isna(hist.at[again.upload_id, "stored_path"])
    assert original_file(hist.at[again.upload_id, "stored_path"], db) is None
    assert loaded_uploads([sha, "0" * 64], db) == {sha: first.upload_id}
    assert original_file("../../../etc/passwd", db) is None


def test_roll_back_restores_through_a_chain_of_corrections(db, tmp_path):
    unit = hai_phong_communes(1, skip=4)[0]
    key = (unit.locality_id, 2024, "self")
    ups = [
        load_bytes(p.name, p.read_bytes(), db, "ana")
        for p in (good_file(tmp_path, unit, seed=s) for s in (1, 2, 3))
    ]
    a, b, c = (u.upload_id for u in ups)
    assert current_levels([key], db)[key] == levels(3)
    assert upload_assessments(c, db)["restores_upload_id"].tolist() == [b]
    with transaction(db) as con:  # withdraw the middle one: the latest stays current
        assert rollback_upload(con, b, "boss") == 1
    assert current_levels([key], db)[key] == levels(3)
    with transaction(db) as con:  # now the latest: the first is current again
        assert rollback_upload(con, c, "boss") == 1
    assert current_levels([key], db)[key] == levels(1)
    with transaction(db) as con:  # rolling back twice changes nothing
        assert rollback_upload(con, c, "boss") == 0
    outcomes = upload_history(db).set_index("upload_id")["outcome"]
    assert (outcomes[a], outcomes[b], outcomes[c]) == ("loaded", "rolled_back", "rolled_back")
    # The rolled-back bytes can be loaded again, and then supersede the first.
    again = load_bytes("again.xlsx", good_file(tmp_path, unit, seed=3).read_bytes(), db, "ana")
    assert again.status == "loaded" and current_levels([key], db)[key] == levels(3)
