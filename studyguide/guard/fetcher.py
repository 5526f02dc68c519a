"""The only way WeasyPrint may read anything: files inside allowed folders, and data: URLs.

Every other URL (http, https, ftp, other files, special files) is refused, so
building a shared content pack cannot leak local files or reach the network.
Files are read up to a size limit, and a raster image with more pixels than
the limit is refused before WeasyPrint decodes it.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

from .files import FileRefusedError, read_limited, size_text
from .images import pixels_problem, raster_pixels
from .limits import MAX_RESOURCE_BYTES


class RefusedURLError(ValueError):
    """A URL the build does not fetch; WeasyPrint logs it as a warning."""


class SafeFetcher(URLFetcher):
    def __init__(self, allowed_dirs: tuple[Path, ...]):
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
        self.allowed_dirs = tuple(path.resolve() for path in allowed_dirs)

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            response = super().fetch(url, headers)
            return _checked(url, response.read(MAX_RESOURCE_BYTES + 1), response.headers)
        if scheme != "file":
            raise RefusedURLError(f"refused {url}: the build reads no network resources")
        path = self.allowed_path(url)
        try:
            body = read_limited(path, MAX_RESOURCE_BYTES)
        except FileRefusedError as refused:
            raise RefusedURLError(f"refused {url}: it {refused}") from None
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return _checked(url, body, {"Content-Type": content_type})

    def allowed_path(self, url: str) -> Path:
        """The file a file: URL names, if it lies inside an allowed folder."""
        path = Path(url2pathname(unquote(urlsplit(url).path))).resolve()
        if not any(path.is_relative_to(folder) for folder in self.allowed_dirs):
            raise RefusedURLError(f"refused {url}: outside the content and template folders")
        return path


def _checked(url: str, body: bytes, headers) -> URLFetcherResponse:
    """The response, unless the body is too large or is a raster image with too many pixels."""
    if len(body) > MAX_RESOURCE_BYTES:
        raise RefusedURLError(f"refused {url[:80]}: it is larger than {size_text(MAX_RESOURCE_BYTES)}")
    pixels = raster_pixels(body)  # WeasyPrint decodes whatever Pillow reads, whatever the file is called
    too_large = pixels is not None and pixels_problem(pixels)
    if too_large:
        raise RefusedURLError(f"refused {url[:80]}: it {too_large}")
    return URLFetcherResponse(url, body, headers)
