"""``sitmap FILE`` in its own process, for the two-simultaneous-starts test
(tests/ui/test_single_instance.py).

    python tests/ui/two_starts_driver.py FILE

Prints ``WAITING`` and waits for a line on stdin (the test releases both starts together), then
runs ``viewer.app.main([FILE])`` as the ``sitmap`` launcher does, telling the test where it is:

* ``LOCK WAIT`` when it asks for the start-up lock, ``LOCK TAKEN`` / ``LOCK BUSY`` with the answer;
* ``CHECKED handed`` when a running SitMap took its file; ``CHECKED none`` when it found none,
  and then it waits for another line on stdin before it goes on to listen. This holds the race
  open: the test lets it go on only once the other start has either reached the lock (and so
  must wait) or also found no SitMap (the race that made two windows);
* ``TITLE <title>`` each time the window's title is set (the title names the open file);
* ``EXIT <code>`` when ``main`` returns (a start that handed its file over returns at once).

Run with PYTHONPATH at the repository root, QT_QPA_PLATFORM=offscreen and
QTWEBENGINE_CHROMIUM_FLAGS=--no-sandbox.
"""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    from viewer import app
    from viewer.ui import single_instance
    from viewer.ui.main_window import MainWindow

    real_hand_over = single_instance.hand_over

    def hand_over(paths, name=None) -> bool:
        took = real_hand_over(paths, name)
        print(f"CHECKED {'handed' if took else 'none'}", flush=True)
        if not took:
            sys.stdin.readline()
        return took

    class TellingLock(single_instance.QLockFile):
        def tryLock(self, timeout=0) -> bool:  # noqa: N802 (Qt API)
            print("LOCK WAIT", flush=True)
            taken = super().tryLock(timeout)
            print(f"LOCK {'TAKEN' if taken else 'BUSY'}", flush=True)
            return taken

    single_instance.hand_over = hand_over
    single_instance.QLockFile = TellingLock

    set_title = MainWindow.setWindowTitle

    def telling(self, title: str) -> None:
        set_title(self, title)
        print(f"TITLE {title}", flush=True)

    MainWindow.setWindowTitle = telling
    print("WAITING", flush=True)
    sys.stdin.readline()
    code = app.main(argv[1:2])
    print(f"EXIT {code}", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv))
