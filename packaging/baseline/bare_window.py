"""The budget's baseline: a bare PySide6-Essentials window, frozen the same way as the app.

It prints "shown" once show() returns, as `--smoke` prints "main window shown" (measure.py
times both to that line); with --quit-when-shown it then exits.
"""

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel


def main() -> int:
    app = QApplication(sys.argv)
    window = QLabel("Hello from a bare PySide6 window")
    window.resize(480, 240)
    window.show()
    print("shown", flush=True)
    if "--quit-when-shown" in sys.argv:
        QTimer.singleShot(0, app.quit)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
