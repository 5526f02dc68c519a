"""What every output of a build is made from and with, handed to each as one value."""

from __future__ import annotations

from dataclasses import dataclass

from ..build.options import BuildOptions
from ..content.model import Guide
from ..engine.partcache import PartCache
from ..engine.weasy import Resources
from ..html.templates import PageRenderer


@dataclass(frozen=True)
class Job:
    guide: Guide  # the cards chosen, their markup rendered
    options: BuildOptions
    renderer: PageRenderer  # the templates, and the build's collector of their problems
    resources: Resources  # what a render may read
    cache: PartCache  # the parts kept from the last builds
