"""Every malformed corpus file through the two places a coordinator meets it: the command line
and the app's Upload page. Each shows a sentence, never a traceback."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from app_support import page, private_db  # noqa: F401

from mentoring.cli import main

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted(p for p in (ROOT / "tests" / "corpus").iterdir() if p.name != "make_corpus.py")


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_validate_command_answers_every_corpus_file_with_a_sentence(path):
    out, err = io.StringIO(), io.StringIO()
    code = main(["validate", str(path)], stdout=out, stderr=err)
    text = out.getvalue() + err.getvalue()
    assert code in (0, 1, 2), text
    assert "Traceback" not in text and "internal error" not in text
    if code == 2:
        assert path.name in err.getvalue(), "an unusable file is named in its message"
    else:
        assert "rows read" in out.getvalue()


# A spread of the corpus (unusable, messy-but-usable, binary) through the real upload page.
APP_CASES = [
    "empty.csv",
    "random_bytes_named.xlsx",
    "encrypted.xlsx",
    "zip_bomb.xlsx",
    "duplicate_headers.csv",
    "utf16_le_bom_tab.txt",
    "ragged_extra_fields.csv",
    "formula_injection_text.csv",
    "workbook_formulas.xlsx",
    "na_like_names.csv",
]


@pytest.mark.parametrize("name", APP_CASES)
def test_upload_page_answers_corpus_files_without_a_traceback(name):
    at = page("upload").run()
    data = (ROOT / "tests" / "corpus" / name).read_bytes()
    at.file_uploader(key="upload_files_widget").set_value((name, data, "application/octet-stream"))
    at.run()
    at.button(key="load_files").click().run()
    assert not at.exception, at.exception
    shown = " ".join(str(e.value) for e in (*at.error, *at.success, *at.warning, *at.info))
    assert shown, "the page says something about the file"
    assert "Traceback" not in shown
