"""Bytes to text for the text-like loaders: UTF-8 (with or without BOM), UTF-16 with a BOM, or
Windows-1252 (a superset of Latin-1) when the bytes are not UTF-8; binary data is refused."""

from __future__ import annotations

import codecs

from dxatlas.ingest.errors import LoadError

_CONTROL = frozenset(range(0, 32)) - {9, 10, 12, 13}


def looks_binary(head: bytes) -> bool:
    """Whether the first bytes of a file look like binary data rather than text."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:
        return True
    if not head:
        return False
    controls = sum(byte in _CONTROL for byte in head)
    return controls / len(head) > 0.05


def decode_text(data: bytes) -> tuple[str, str]:
    """The text of `data` and the encoding used; `LoadError` when no text encoding fits."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:
            raise LoadError(f"invalid UTF-16 text ({error.reason} at byte {error.start})") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        first_bad = utf8_error.start
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise LoadError(
            f"not UTF-8 nor Windows-1252/Latin-1 text (bad byte 0x{data[first_bad]:02x} "
            f"at offset {first_bad})"
        ) from None
    if looks_binary(text[:4096].encode("utf-8")):
        raise LoadError("binary data, not text")
    return text, "cp1252"
