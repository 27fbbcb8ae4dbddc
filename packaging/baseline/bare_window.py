"""The budget's baseline: a bare PySide6-Essentials window, frozen the same way as the app.

With --quit-when-shown it exits as soon as the window is on screen (for start-time figures).
"""

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel


def main() -> int:
    app = QApplication(sys.argv)
    window = QLabel("Hello from a bare PySide6 window")
    window.resize(480, 240)
    window.show()
    if "--quit-when-shown" in sys.argv:
        QTimer.singleShot(0, app.quit)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
