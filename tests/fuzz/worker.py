"""Runs one hostile file through one reader in a worker process, bounded in time and memory.

Used by the fuzz tests through a multiprocessing pool ("spawn": no Qt state is inherited). A case
that does not finish in LIMIT_S is stopped by SIGALRM inside the worker; one stuck in C code that
ignores the alarm is caught by the parent's own timeout.
"""

from __future__ import annotations

import contextlib
import resource
import signal
import time
import traceback
from pathlib import Path

LIMIT_S = 10
MEMORY_LIMIT = 3 * 2**30  # a zip bomb that inflates in memory fails as MemoryError, reported as a crash


class CaseTimeout(BaseException):
    """BaseException, so no reader's `except Exception` can swallow it."""


@contextlib.contextmanager
def time_limit(seconds: float):
    def expire(signum, frame):
        raise CaseTimeout(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def limit_memory() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = MEMORY_LIMIT if hard == resource.RLIM_INFINITY else min(MEMORY_LIMIT, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def saveable(features) -> str | None:
    """Imported features must survive being saved in a project and read back."""
    from viewer.model.project import project_bytes
    from viewer.model.scenario import Scenario, parse_scenario_bytes

    s = Scenario(title="fuzz", features=list(features), facts=[])
    back = parse_scenario_bytes(project_bytes(s), "saved.geojson")
    if back.features != s.features:
        return "features changed on save and reopen"
    return None


def run_case(reader: str, path: str, limit_s: float = LIMIT_S) -> dict:
    from viewer.model import exchange
    from viewer.model.scenario import ScenarioError, load_scenario

    p = Path(path)
    started = time.monotonic()
    out: dict = {"reader": reader, "file": p.name}
    try:
        with time_limit(limit_s):
            if reader == "load_scenario":
                result = load_scenario(p)
                out["count"] = len(result.features)
            elif reader == "import_annotations":
                result = exchange.import_annotations(p.read_bytes(), p.name)
                out["count"] = len(result)
                problem = saveable(result)
                if problem:
                    out.update(status="unsaveable", message=problem)
                    return out
            elif reader == "open_map":  # lenient: a file opened as a map (viewer.model.io.open_any)
                from viewer.model.io.open_any import open_map_file
                from viewer.model.project import project_bytes
                from viewer.model.scenario import parse_scenario_bytes

                scenario, report = open_map_file(p)
                out["count"] = len(scenario.features)
                out["report"] = str(report)
                if parse_scenario_bytes(project_bytes(scenario), "saved.geojson").features != scenario.features:
                    out.update(status="unsaveable", message="features changed on save and reopen")
                    return out
            else:
                raise ValueError(f"unknown reader {reader}")
        out.update(status="accepted", message="")
    except ScenarioError as e:
        out.update(status="refused", message=str(e))
    except CaseTimeout as e:
        out.update(status="hang", message=str(e))
    except BaseException as e:  # noqa: BLE001 - any other exception is what the fuzzing looks for
        out.update(status="crash", message=f"{type(e).__name__}: {e}"[:500], traceback=traceback.format_exc()[-3000:])
    finally:
        out["seconds"] = round(time.monotonic() - started, 3)
    return out
