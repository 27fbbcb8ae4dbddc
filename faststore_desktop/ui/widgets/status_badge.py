"""A deployment status shown with a colour AND an icon, so it reads without colour vision too.

Colours come in two tones: a dark one for light palettes and a light one for dark palettes, each
chosen to keep a contrast ratio of at least 4.5:1 against the window background.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QT_TRANSLATE_NOOP, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QIcon,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from faststore_desktop.webops.models import DeploymentStatus

#: (colour on a light background, colour on a dark background)
_TONES: dict[DeploymentStatus, tuple[str, str]] = {
    DeploymentStatus.QUEUED: ("#9a4a00", "#fbbf24"),
    DeploymentStatus.IN_PROGRESS: ("#1d4ed8", "#7ab8ff"),
    DeploymentStatus.SUCCESS: ("#15703a", "#4ade80"),
    DeploymentStatus.FAILED: ("#b91c1c", "#ff8a8a"),
    DeploymentStatus.CANCELED: ("#57534e", "#c4c0bb"),
}

_LABELS: dict[DeploymentStatus, str] = {
    DeploymentStatus.QUEUED: str(QT_TRANSLATE_NOOP("DeploymentStatus", "Queued")),
    DeploymentStatus.IN_PROGRESS: str(QT_TRANSLATE_NOOP("DeploymentStatus", "In progress")),
    DeploymentStatus.SUCCESS: str(QT_TRANSLATE_NOOP("DeploymentStatus", "Success")),
    DeploymentStatus.FAILED: str(QT_TRANSLATE_NOOP("DeploymentStatus", "Failed")),
    DeploymentStatus.CANCELED: str(QT_TRANSLATE_NOOP("DeploymentStatus", "Canceled")),
}


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def _palette(palette: QPalette | None) -> QPalette:
    return palette if palette is not None else QGuiApplication.palette()


def status_color(status: DeploymentStatus, palette: QPalette | None = None) -> QColor:
    light, dark = _TONES[status]
    return QColor(dark if is_dark(_palette(palette)) else light)


def status_text(status: DeploymentStatus) -> str:
    """The status as the user reads it (translated)."""
    return QGuiApplication.translate("DeploymentStatus", _LABELS[status])


def status_icon(status: DeploymentStatus, palette: QPalette | None = None) -> QIcon:
    return _icon(status, is_dark(_palette(palette)))


@cache
def _icon(status: DeploymentStatus, dark: bool) -> QIcon:
    icon = QIcon()
    for size in (16, 24, 32, 48):
        icon.addPixmap(_draw(status, dark, size))
    return icon


def _draw(status: DeploymentStatus, dark: bool, size: int) -> QPixmap:
    """A filled disc in the status colour with a glyph cut in the background tone."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    colour = QColor(_TONES[status][1 if dark else 0])
    glyph = QColor("#1b1b1f" if dark else "#ffffff")
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    unit = size / 16
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawEllipse(QRectF(0.5 * unit, 0.5 * unit, 15 * unit, 15 * unit))
    pen = QPen(glyph, 1.8 * unit, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    _GLYPHS[status](painter, unit)
    painter.end()
    return pixmap


def _check(painter: QPainter, u: float) -> None:
    path = QPainterPath(QPointF(4.5 * u, 8.3 * u))
    path.lineTo(7 * u, 10.8 * u)
    path.lineTo(11.5 * u, 5.5 * u)
    painter.drawPath(path)


def _cross(painter: QPainter, u: float) -> None:
    painter.drawLine(QPointF(5.3 * u, 5.3 * u), QPointF(10.7 * u, 10.7 * u))
    painter.drawLine(QPointF(10.7 * u, 5.3 * u), QPointF(5.3 * u, 10.7 * u))


def _clock(painter: QPainter, u: float) -> None:
    painter.drawLine(QPointF(8 * u, 4.3 * u), QPointF(8 * u, 8 * u))
    painter.drawLine(QPointF(8 * u, 8 * u), QPointF(10.6 * u, 9.6 * u))


def _running(painter: QPainter, u: float) -> None:
    # Three dots in a row: "working on it", distinct from the clock of Queued.
    painter.setBrush(painter.pen().color())
    painter.setPen(Qt.PenStyle.NoPen)
    for x in (4.6, 8, 11.4):
        painter.drawEllipse(QPointF(x * u, 8 * u), 1.25 * u, 1.25 * u)


def _slash(painter: QPainter, u: float) -> None:
    reach = 3.2 * u  # from the centre along each axis: a 45° stroke
    painter.drawLine(QPointF(8 * u - reach, 8 * u + reach), QPointF(8 * u + reach, 8 * u - reach))


_GLYPHS = {
    DeploymentStatus.QUEUED: _clock,
    DeploymentStatus.IN_PROGRESS: _running,
    DeploymentStatus.SUCCESS: _check,
    DeploymentStatus.FAILED: _cross,
    DeploymentStatus.CANCELED: _slash,
}


class StatusBadge(QWidget):
    """A pill with the status icon and name, tinted in the status colour."""

    _PADDING = 6

    def __init__(
        self, status: DeploymentStatus = DeploymentStatus.QUEUED, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self._status = status
        self.set_status(status)

    @property
    def status(self) -> DeploymentStatus:
        return self._status

    def set_status(self, status: DeploymentStatus) -> None:
        self._status = status
        self.setAccessibleName(self.tr("Status: {}").format(status_text(status)))
        self.setToolTip(status_text(status))
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        icon = metrics.height()
        width = self._PADDING * 3 + icon + metrics.horizontalAdvance(status_text(self._status))
        return QSize(width, metrics.height() + self._PADDING)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = status_color(self._status, self.palette())
        tint = QColor(colour)
        tint.setAlpha(36)
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(QPen(colour, 1))
        painter.setBrush(tint)
        radius = rect.height() / 2
        painter.drawRoundedRect(rect, radius, radius)
        icon_size = self.fontMetrics().height() - 2
        top = (self.height() - icon_size) // 2
        status_icon(self._status, self.palette()).paint(
            painter, self._PADDING, top, icon_size, icon_size
        )
        painter.setPen(colour)
        text_rect = self.rect().adjusted(self._PADDING * 2 + icon_size, 0, -self._PADDING, 0)
        painter.drawText(
            text_rect,
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            status_text(self._status),
        )
        painter.end()
