"""Run a command as a child subreaper and report the descendants it leaves behind.

``python tests/orphan_watch.py SECONDS -- COMMAND...`` runs COMMAND, waits for it, then waits up to
SECONDS for every process it started (adopted by this one when their parents end) to end too.
It prints one JSON line: {"probe": bool, "returncode": int, "stderr": str, "left": int}.
"probe" says whether adoption works here (a background ``sleep`` of a shell that ended became
this process's child); "left" counts descendants still alive at the deadline (they are killed).
It reads no other process's files: only ``prctl`` and ``waitpid``, so it works wherever /proc
hides other processes' environments.
"""

import ctypes
import json
import os
import signal
import subprocess
import sys

PR_SET_CHILD_SUBREAPER = 36


class _Deadline(Exception):
    pass


def _on_alarm(signum, frame):
    raise _Deadline


def _adopted_alive() -> bool:
    """Whether a child of this process is still alive (reaping any that have ended)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return False
        if pid == 0:
            return True


def _kill_adopted() -> int:
    """Kill this process's remaining children; how many there were (at least one)."""
    killed = 0
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(") ", 1)[1].split()[1])
            if ppid == os.getpid():
                os.kill(int(entry), signal.SIGKILL)
                killed += 1
        except (OSError, ValueError, IndexError):
            continue
    return max(killed, 1)


def _probe() -> bool:
    shell = subprocess.run(["sh", "-c", "sleep 30 >/dev/null 2>&1 & echo $!"], capture_output=True, text=True)
    orphan = int(shell.stdout.strip())
    try:
        pid, _ = os.waitpid(orphan, os.WNOHANG)  # ChildProcessError when it was not adopted
        return pid == 0
    except ChildProcessError:
        return False
    finally:
        try:
            os.kill(orphan, signal.SIGKILL)
            os.waitpid(orphan, 0)
        except (ProcessLookupError, ChildProcessError):
            pass


def main(argv: list[str]) -> int:
    seconds = float(argv[1])
    command = argv[argv.index("--") + 1:]
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        print(json.dumps({"probe": False, "returncode": -1, "stderr": "prctl failed", "left": 0}))
        return 0
    probe = _probe()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _, err = child.communicate()
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    alive = False
    try:
        while True:
            try:
                os.waitpid(-1, 0)  # blocks until an adopted descendant ends
            except ChildProcessError:
                break  # none left
    except _Deadline:
        alive = _adopted_alive()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    left = _kill_adopted() if alive else 0
    print(json.dumps({"probe": probe, "returncode": child.returncode, "stderr": err, "left": left}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
