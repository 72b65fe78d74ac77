"""Bytes of a text file into text: UTF-8 first, a legacy encoding only where UTF-8 fails.

A file that is UTF-8 except for a line or two pasted from elsewhere keeps its UTF-8 lines as
they are; only the lines that are not valid UTF-8 are read as Windows-1252 (or Mac Roman), and
:attr:`Decoded.odd_lines` says which, so the reader can name their rows. A file with no valid
UTF-8 beyond ASCII is read whole in the legacy encoding that makes more sense of its accented
letters: Windows-1252, or Mac Roman (old Mac Excel's "CSV"), which gets a warning. Latin-1 is
never tried: it "succeeds" on anything.

>>> d = decode("m.csv", "Zoë\\n".encode() + "Renée\\n".encode("cp1252"))
>>> d.text.splitlines(), d.encoding, d.fallback, d.odd_lines
(['Zoë', 'Renée'], 'utf-8', 'cp1252', [1])
>>> decode("m.csv", "Renée Núñez\\n".encode("mac_roman")).fallback
'mac_roman'
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from mentoring.model.errors import Issue, LoadError

__all__ = ["Decoded", "decode"]


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


_LEGACY_NAMES = {"cp1252": "Windows-1252", "mac_roman": "Mac Roman"}


@dataclass
class Decoded:
    """The text, the encoding it was read with, and the lines read in a fallback encoding.

    ``encoding`` is the file's encoding (``"utf-8"`` for a UTF-8 file with a few odd lines);
    ``fallback`` the legacy encoding used for ``odd_lines`` (indices of the lines of ``text``
    as ``io.StringIO(text, newline="").readlines()`` splits them), or ``None``.
    """

    text: str
    encoding: str
    issues: list[Issue] = field(default_factory=list)
    fallback: str | None = None
    odd_lines: list[int] = field(default_factory=list)


def decode(name: str, data: bytes) -> Decoded:
    """Decode a text file, saying which encoding was used and where it was not UTF-8.

    Raises
    ------
    LoadError
        When no encoding makes sense of the bytes, a BOM lies, or the text is full of control
        characters (not a spreadsheet).
    """
    if data.startswith(codecs.BOM_UTF8):
        found = Decoded(_strict(name, data[3:], "utf-8"), "utf-8-sig")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        found = Decoded(_strict(name, data, "utf-16"), "utf-16")
    else:
        found = _without_bom(name, data)
    if found.encoding not in ("utf-8", "utf-8-sig") and found.fallback is None:
        found.issues.append(
            Issue(
                name,
                None,
                None,
                "encoding",
                f"the file was read as {found.encoding}, not UTF-8.",
                "info",
                hint="Check that accented names look right; if not, save the file as CSV UTF-8.",
            )
        )
    text = found.text
    if "\x00" in text:
        count = text.count("\x00")
        found.text = text = text.replace("\x00", "")
        found.issues.append(
            Issue(
                name,
                None,
                None,
                "nul_bytes",
                f"the file contained {count} NUL byte(s), which were removed.",
                "warning",
                hint="The file may be damaged; check the rows look right or export it again.",
            )
        )
    controls = len(_CONTROL.findall(text))
    if controls >= 10 and controls > len(text) // 20:
        raise LoadError(
            f"{name}: this does not look like a spreadsheet (it is full of unreadable "
            "characters). Export the member list as CSV UTF-8 or Excel (.xlsx) and load that file."
        )
    return found


def _unrecognised(name: str) -> LoadError:
    return LoadError(
        f"{name}: the text is in an encoding that cannot be recognised (neither UTF-8, "
        "UTF-16 nor Windows-1252), or the file is not a spreadsheet. Save it from your "
        "spreadsheet program as 'CSV UTF-8' or as an Excel workbook (.xlsx)."
    )


def _without_bom(name: str, data: bytes) -> Decoded:
    for candidate in _bom_less_utf16(data):
        try:
            return Decoded(data.decode(candidate), candidate)
        except UnicodeDecodeError:
            pass
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    lines = data.splitlines(keepends=True)
    odd: list[int] = []
    utf8_beyond_ascii = False
    texts: list[str | None] = []
    for i, line in enumerate(lines):
        try:
            texts.append(line.decode("utf-8"))
            utf8_beyond_ascii = utf8_beyond_ascii or not line.isascii()
        except UnicodeDecodeError:
            texts.append(None)
            odd.append(i)
    raw = b"".join(lines[i] for i in odd)
    fallback = _legacy(raw)
    if fallback is None:
        raise _unrecognised(name)
    if not utf8_beyond_ascii:
        # Nothing here is UTF-8 beyond ASCII: the whole file is in the legacy encoding.
        text = data.decode(fallback)
        if fallback == "cp1252":
            return Decoded(text, fallback)
        rows = [i for i, line in enumerate(lines) if not line.isascii()]
        return Decoded(text, fallback, fallback=fallback, odd_lines=rows)
    parts = [t if t is not None else lines[i].decode(fallback) for i, t in enumerate(texts)]
    return Decoded("".join(parts), "utf-8", fallback=fallback, odd_lines=odd)


def _legacy(raw: bytes) -> str | None:
    """Windows-1252 or Mac Roman, whichever makes more sense of the accented letters."""
    try:
        windows: str | None = raw.decode("cp1252")
    except UnicodeDecodeError:
        windows = None
    mac = raw.decode("mac_roman")
    # Mac Roman decodes any bytes; only text without control characters may be read so.
    mac_ok = not _CONTROL.search(mac)
    if windows is None:
        return "mac_roman" if mac_ok and _letters_score(mac) > 0 else None
    if mac_ok and _letters_score(mac) > _letters_score(windows):
        return "mac_roman"
    return "cp1252"


def _letters_score(text: str) -> int:
    """How much the non-ASCII characters look like the accented letters of names.

    A lower-case accented letter scores; a run of non-ASCII characters, an upper-case letter
    inside a lower-case word ("RenŽe") or a symbol between two letters ("Nœ–ez") counts
    against.
    """
    score = 0
    for i, ch in enumerate(text):
        if ch.isascii():
            continue
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if not before.isascii():
            # Names have an accented letter here and there, not runs of them ("Ã«", "Åçè").
            score -= 2
        elif ch.isalpha():
            if ch.isupper() and before.isalpha() and before.islower():
                score -= 2
            elif ch.islower() or not before.isalpha():
                score += 1
        elif before.isalpha() and after.isalpha():
            score -= 2
    return score


def _strict(name: str, data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise LoadError(
            f"{name}: the file says it is {encoding.upper()} but byte {exc.start} is not valid "
            f"{encoding.upper()}; the file may be damaged. Export it again as CSV UTF-8."
        ) from exc


def _bom_less_utf16(data: bytes) -> tuple[str, ...]:
    # Some exporters write UTF-16 without a byte order mark; mostly-ASCII text then has a NUL
    # in every other byte, which no single-byte encoding would produce.
    sample = data[:4000]
    if len(sample) < 4 or len(sample) % 2:
        return ()
    even, odd = sample[0::2], sample[1::2]
    half = len(sample) // 2
    if odd.count(0) > 0.4 * half and even.count(0) < 0.05 * half:
        return ("utf-16-le",)
    if even.count(0) > 0.4 * half and odd.count(0) < 0.05 * half:
        return ("utf-16-be",)
    return ()


def legacy_name(encoding: str) -> str:
    """How an encoding is called in messages ("Windows-1252", "Mac Roman")."""
    return _LEGACY_NAMES.get(encoding, encoding)
