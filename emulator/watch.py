"""`serve --watch`: reload the scenario file when it changes, keep the old one when it breaks.

The file's directory is watched, not the file: editors often save by writing a new file and
renaming it over the old one, which a watch on the file itself would lose.
"""

from __future__ import annotations

import sys
from pathlib import Path

import watchfiles

from emulator.errors import ScenarioError
from emulator.runtime import Runtime
from emulator.scenario import load_path

# Long enough to see an editor's save as one change, short enough to feel immediate.
DEBOUNCE_MS = 200
READY_CHECK_MS = 300


async def watch_scenario(path: Path, runtime: Runtime, clock: str | None = None) -> None:
    target = path.resolve()

    def is_target(_change: watchfiles.Change, changed: str) -> bool:
        return Path(changed).resolve() == target

    watching = False
    async for changes in watchfiles.awatch(
        target.parent,
        watch_filter=is_target,
        debounce=DEBOUNCE_MS,
        step=20,
        # An empty yield now and then says the watcher is running: announced once, so a
        # person (or a test) knows that from here on a change is seen.
        yield_on_timeout=True,
        rust_timeout=READY_CHECK_MS,
    ):
        if not changes:
            if not watching:
                print(f"watching {target} for changes", flush=True)
                watching = True
            continue
        await reload(target, runtime, clock)


async def reload(path: Path, runtime: Runtime, clock: str | None = None) -> bool:
    """Load `path` into `runtime`; on problems, print them and keep serving the old one."""
    try:
        scenario = load_path(path).with_clock_mode(clock)
    except ScenarioError as exc:
        print(
            f"{path} changed but has problems; still serving the previous scenario:",
            file=sys.stderr,
            flush=True,
        )
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr, flush=True)
        return False
    await runtime.load(scenario)
    print(f"reloaded scenario {scenario.name or path.stem} from {path}", flush=True)
    return True
