"""Step 3c: get the notebook ready, as the tutorial's first cell does, on any machine."""

from __future__ import annotations

from dataclasses import dataclass

from .. import settings
from .backends import Backend
from .execution_role import resolve_execution_role
from .image_uri import xgboost_image_uri


@dataclass(frozen=True)
class Notebook:
    """The facts every later step needs: where it runs, what image, which role, which prefix."""

    region: str
    image_uri: str
    role_arn: str
    prefix: str = settings.PREFIX

    def success_line(self) -> str:
        """The line the tutorial's cell prints."""
        return (
            f"Success - the MySageMakerInstance is in the {self.region} region. "
            f"You will use the {self.image_uri} container for your SageMaker endpoint."
        )

    def report(self) -> list[str]:
        """The lines `setup` prints: the notebook's own, then the role it settled on."""
        return [self.success_line(), f"Execution role: {self.role_arn}"]


def prepare_notebook(backend: Backend, role: str | None, xgboost_version: str) -> Notebook:
    """Resolve the image first (local, can reject input), then the role (may call AWS)."""
    image_uri = xgboost_image_uri(backend.region, xgboost_version)
    return Notebook(backend.region, image_uri, resolve_execution_role(backend, role))
