"""Statuses read in light and dark palettes, with an icon as well as a colour."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette
from pytestqt.qtbot import QtBot

from faststore_desktop.ui.widgets.status_badge import (
    StatusBadge,
    is_dark,
    status_color,
    status_icon,
    status_text,
)
from faststore_desktop.webops.models import DeploymentStatus

pytestmark = pytest.mark.usefixtures("qapp")

#: Window backgrounds of common light and dark themes (Fusion, Windows, macOS, GNOME).
LIGHT_BACKGROUNDS = ("#ffffff", "#efefef", "#f0f0f0", "#ececec", "#fafafa")
DARK_BACKGROUNDS = ("#1e1e1e", "#2d2d2d", "#353535", "#242424", "#323232")


def palette(window: str) -> QPalette:
    result = QPalette()
    result.setColor(QPalette.ColorRole.Window, QColor(window))
    result.setColor(QPalette.ColorRole.Base, QColor(window))
    return result


def luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast(first: QColor, second: QColor) -> float:
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("status", list(DeploymentStatus))
def test_status_colour_keeps_text_contrast_on_light_and_dark_windows(
    status: DeploymentStatus,
) -> None:
    for background in LIGHT_BACKGROUNDS + DARK_BACKGROUNDS:
        ratio = contrast(status_color(status, palette(background)), QColor(background))
        assert ratio >= 4.5, f"{status} on {background}: {ratio:.2f}"


def test_each_status_has_its_own_colour_and_icon() -> None:
    for colours in (palette("#ffffff"), palette("#1e1e1e")):
        tones = {status_color(s, colours).name() for s in DeploymentStatus}
        icons = {
            bytes(status_icon(s, colours).pixmap(16).toImage().constBits())
            for s in DeploymentStatus
        }
        assert len(tones) == len(DeploymentStatus)
        assert len(icons) == len(DeploymentStatus)
    assert is_dark(palette("#1e1e1e")) and not is_dark(palette("#ffffff"))


def test_badge_names_its_status_for_assistive_tools(qtbot: QtBot) -> None:
    badge = StatusBadge(DeploymentStatus.IN_PROGRESS)
    qtbot.addWidget(badge)
    assert badge.accessibleName() == "Status: In progress"
    badge.set_status(DeploymentStatus.FAILED)
    assert badge.toolTip() == status_text(DeploymentStatus.FAILED) == "Failed"
    assert badge.sizeHint().width() > badge.fontMetrics().horizontalAdvance("Failed")
