"""The only way WeasyPrint may read anything: files inside allowed folders, and data: URLs.

Every other URL (http, https, ftp, other files, special files) is refused, so
building a shared content pack cannot leak local files or reach the network.
"""

from __future__ import annotations

import mimetypes
import stat
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

MAX_RESOURCE_BYTES = 32 * 1024 * 1024


class RefusedURLError(ValueError):
    """A URL the build does not fetch; WeasyPrint logs it as a warning."""


class SafeFetcher(URLFetcher):
    def __init__(self, allowed_dirs: tuple[Path, ...]):
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
        self.allowed_dirs = tuple(path.resolve() for path in allowed_dirs)

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            raise RefusedURLError(f"refused {url}: the build reads no network resources")
        path = self.allowed_path(url)
        with path.open("rb") as file:
            body = file.read(MAX_RESOURCE_BYTES + 1)
        if len(body) > MAX_RESOURCE_BYTES:
            raise RefusedURLError(f"refused {url}: larger than {MAX_RESOURCE_BYTES // 2**20} MiB")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})

    def allowed_path(self, url: str) -> Path:
        """The regular file a file: URL names, if it lies inside an allowed folder."""
        path = Path(url2pathname(unquote(urlsplit(url).path))).resolve()
        if not any(path.is_relative_to(folder) for folder in self.allowed_dirs):
            raise RefusedURLError(f"refused {url}: outside the content and template folders")
        try:
            mode = path.stat().st_mode
        except OSError as error:
            raise RefusedURLError(f"refused {url}: {error.strerror}") from None
        if not stat.S_ISREG(mode):
            raise RefusedURLError(f"refused {url}: not a regular file")
        return path
