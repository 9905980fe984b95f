"""Replaying a Dockerfile without Docker: its install steps into a fresh virtual environment.

FROM is the Python running the tests; ENV, WORKDIR and COPY are followed inside a scratch
directory standing for the image's root; of each RUN only the `pip install` steps run (with
the virtual environment's pip), since user and directory set-up belongs to the image.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from dockerfile_parse import DockerfileParser


@dataclass
class Image:
    root: Path
    bin: Path
    env: dict[str, str]
    workdir: Path
    exposed: list[str] = field(default_factory=list)
    entrypoint: list[str] = field(default_factory=list)
    healthcheck: list[str] = field(default_factory=list)

    def inside(self, path: str) -> Path:
        return self.root / path.lstrip("/")


def replay(dockerfile: Path, context: Path, root: Path) -> Image:
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = {**os.environ, "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    env.pop("PYTHONPATH", None)
    image = Image(root, venv / "bin", env, root)
    for instruction in DockerfileParser(str(dockerfile)).structure:
        _step(image, instruction["instruction"], instruction["value"], context)
    return image


def _step(image: Image, kind: str, value: str, context: Path) -> None:
    if kind == "ENV":
        for pair in shlex.split(value):
            name, _, text = pair.partition("=")
            image.env[name] = text
    elif kind == "WORKDIR":
        image.workdir = image.inside(value) if value.startswith("/") else image.workdir / value
        image.workdir.mkdir(parents=True, exist_ok=True)
    elif kind == "COPY":
        *sources, target = shlex.split(value)
        for source in sources:
            _copy(context / source, image.workdir / target, many=len(sources) > 1)
    elif kind == "RUN":
        for step in value.split("&&"):
            argv = shlex.split(step)
            if argv[:2] == ["pip", "install"]:
                pip = [str(image.bin / "python"), "-m", "pip", "install", "-q", *argv[2:]]
                subprocess.run(pip, cwd=image.workdir, env=image.env, check=True)
    elif kind == "EXPOSE":
        image.exposed += value.split()
    elif kind == "ENTRYPOINT":
        image.entrypoint = json.loads(value)
    elif kind == "HEALTHCHECK":
        image.healthcheck = json.loads(value.split("CMD", 1)[1])


def _copy(source: Path, target: Path, *, many: bool) -> None:
    if many or str(target).endswith("/") or target.is_dir():
        target.mkdir(parents=True, exist_ok=True)
        target = target / source.name
    if source.is_dir():
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
    else:
        shutil.copy2(source, target)
