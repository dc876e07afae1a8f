"""Turning what a user hands in (bytes of a file, stdin, a fetched page) into document text."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from claims.errors import InvalidInputError
from claims.fetch import FetchedPage

# Share of control characters above which a byte string is taken for binary data.
_BINARY_CONTROL_SHARE = 0.01


@dataclass(frozen=True, slots=True)
class DocumentInput:
    text: str
    origin: str
    title: str | None = None


def decode_text(data: bytes, origin: str, *, max_bytes: int, charset: str | None = None) -> str:
    """Decode `data` as UTF-8 (or `charset`) text; raise InvalidInputError if it is not text."""
    if len(data) > max_bytes:
        raise InvalidInputError(f"{origin} is {len(data)} bytes, over the limit of {max_bytes}")
    if not data.strip():
        raise InvalidInputError(f"{origin} is empty")
    if b"\x00" in data[:8192]:
        raise InvalidInputError(f"{origin} looks like a binary file, not text")
    encoding = charset or "utf-8"
    try:
        text = data.decode("utf-8-sig" if encoding.lower() in {"utf-8", "utf8"} else encoding)
    except (UnicodeDecodeError, LookupError):
        raise InvalidInputError(
            f"{origin} is not valid {encoding} text; convert it to UTF-8 first "
            "(for example with iconv -f latin1 -t utf-8)"
        ) from None
    controls = sum(
        1 for ch in text[:65536] if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f"
    )
    if controls > _BINARY_CONTROL_SHARE * min(len(text), 65536):
        raise InvalidInputError(f"{origin} looks like a binary file, not text")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InvalidInputError(f"{origin} has no text")
    return text


def document_from_page(page: FetchedPage, *, max_bytes: int) -> DocumentInput:
    """Extract the main text of a fetched page (HTML or plain text)."""
    kind = page.content_type.split(";")[0].strip().lower()
    if kind in {"text/plain", "text/markdown", ""}:
        text = decode_text(page.body, page.final_url, max_bytes=max_bytes, charset=page.charset)
        return DocumentInput(text=text, origin=page.final_url)
    if kind not in {"text/html", "application/xhtml+xml"}:
        raise InvalidInputError(f"{page.final_url} is {kind}, not an HTML page or plain text")
    import trafilatura

    html = decode_html(page)
    text = trafilatura.extract(html, include_comments=False, include_tables=False)
    if not text or not text.strip():
        raise InvalidInputError(f"found no article text at {page.final_url}")
    metadata = trafilatura.extract_metadata(html)
    title = metadata.title if metadata is not None else None
    return DocumentInput(text=text, origin=page.final_url, title=title)


def decode_html(page: FetchedPage) -> str:
    """Decode an HTML body by its declared charset, falling back to UTF-8 with replacement."""
    try:
        return page.body.decode(page.charset or "utf-8")
    except (UnicodeDecodeError, LookupError):
        return page.body.decode("utf-8", errors="replace")
