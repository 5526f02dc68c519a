"""HTML to PDF through WeasyPrint, and PDFs written so a failure never costs the last good one."""

from __future__ import annotations

import logging
import os
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path

from .diagnostics import BuildError


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int
    warnings: tuple[str, ...]


def render_pdf(html: str, base_dir: Path, allowed_dirs: tuple[Path, ...], name: str,
               dated: date | None = None) -> RenderedPdf:
    """The PDF for an HTML document whose relative URLs resolve inside base_dir.

    The same HTML and date always give the same bytes.
    """
    import weasyprint  # imported here: the import alone takes most of a second

    from .fetcher import SafeFetcher

    fetcher = SafeFetcher(allowed_dirs)
    with _captured_warnings() as warnings, _source_date(dated):
        try:
            document = weasyprint.HTML(
                string=html, base_url=base_dir.resolve().as_uri() + "/", url_fetcher=fetcher
            ).render()
            data = document.write_pdf(pdf_identifier=name.encode(), attachments=[])
        except (Exception, weasyprint.urls.FatalURLFetchingError) as error:
            raise BuildError(f"rendering {name} failed: {type(error).__name__}: {error}") from error
    return RenderedPdf(data, len(document.pages), tuple(warnings))


@contextmanager
def _source_date(dated: date | None):
    """Pins the timestamp fontTools writes into the fonts it instantiates for the PDF."""
    epoch = 0 if dated is None else int(datetime.combine(dated, time(), UTC).timestamp())
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


@contextmanager
def _captured_warnings():
    """Collects what WeasyPrint logs as warnings, which it would otherwise only print."""
    records: list[str] = []
    handler = _ListHandler(records)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield records
    finally:
        logger.removeHandler(handler)


class _ListHandler(logging.Handler):
    def __init__(self, records: list[str]):
        super().__init__(logging.WARNING)
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record.getMessage())


def write_atomic(path: Path, data: bytes) -> None:
    """Write the file in one step: readers see the old content or the new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
