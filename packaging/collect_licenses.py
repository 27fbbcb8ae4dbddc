"""Write resources/licenses/: the licence texts of what the packaged app bundles, and an index.

    python packaging/collect_licenses.py

Run it after changing dependencies. Texts come from each installed distribution's own licence
files; Qt's LGPL-3.0 and GPL-3.0 from the system's common licences (Debian:
/usr/share/common-licenses) or, failing that, the copies already in resources/licenses/. The
About dialog reads `components.json`.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "licenses"
COMMON_LICENSES = Path("/usr/share/common-licenses")

QT_NOTICE = """\
Qt 6 and Qt for Python (PySide6, Shiboken6)

FastStore Desktop uses the Qt 6 libraries and Qt for Python under the
GNU Lesser General Public License version 3 (LGPL-3.0), whose text
follows, with the GNU General Public License version 3 it builds on.
Qt is (C) The Qt Company Ltd and other contributors.

The Qt libraries are shipped unmodified, as separate shared libraries
in the application folder (PySide6/Qt/lib on Linux, the Qt6*.dll files
on Windows, Contents/Frameworks in the macOS app), so you may replace
them with your own build of the same Qt version.

Source code of every released version:
  Qt:             https://download.qt.io/official_releases/qt/
                  https://code.qt.io/cgit/qt/
  Qt for Python:  https://download.qt.io/official_releases/QtForPython/
                  https://code.qt.io/cgit/pyside/pyside-setup.git/
The version in this build is shown next to Qt in the About dialog.
"""


@dataclass(frozen=True)
class Component:
    """One bundled component: `distribution` names its package metadata (for the version)."""

    name: str
    license: str
    url: str
    distribution: str = ""
    files: list[str] = field(default_factory=list)
    note: str = ""


#: (display name, distribution, licence, where its source is). Keyring backends' helpers are
#: per OS: SecretStorage and jeepney on Linux, pywin32-ctypes on Windows. A package that is not
#: installed is not bundled either, and is left out (each OS's build runs this script first).
PYTHON_PACKAGES = (
    ("qasync", "qasync", "BSD-2-Clause", "https://github.com/CabbageDevelopment/qasync"),
    ("HTTPX", "httpx", "BSD-3-Clause", "https://github.com/encode/httpx"),
    ("HTTP Core", "httpcore", "BSD-3-Clause", "https://github.com/encode/httpcore"),
    ("h11", "h11", "MIT", "https://github.com/python-hyper/h11"),
    ("AnyIO", "anyio", "MIT", "https://github.com/agronholm/anyio"),
    ("idna", "idna", "BSD-3-Clause", "https://github.com/kjd/idna"),
    ("certifi", "certifi", "MPL-2.0", "https://github.com/certifi/python-certifi"),
    ("keyring", "keyring", "MIT", "https://github.com/jaraco/keyring"),
    # keyring's and jaraco.context's back-ports for Python < 3.12, and what they need.
    ("importlib_metadata", "importlib_metadata", "Apache-2.0",
     "https://github.com/python/importlib_metadata"),
    ("zipp", "zipp", "MIT", "https://github.com/jaraco/zipp"),
    ("lazy-importer", "lazy-importer", "Apache-2.0", "https://pypi.org/project/lazy-importer/"),
    ("backports.tarfile", "backports.tarfile", "MIT",
     "https://github.com/jaraco/backports.tarfile"),
    ("jaraco.classes", "jaraco.classes", "MIT", "https://github.com/jaraco/jaraco.classes"),
    ("jaraco.context", "jaraco.context", "MIT", "https://github.com/jaraco/jaraco.context"),
    ("jaraco.functools", "jaraco.functools", "MIT", "https://github.com/jaraco/jaraco.functools"),
    ("more-itertools", "more-itertools", "MIT", "https://github.com/more-itertools/more-itertools"),
    ("SecretStorage", "SecretStorage", "BSD-3-Clause", "https://github.com/mitya57/secretstorage"),
    ("jeepney", "jeepney", "MIT", "https://gitlab.com/takluyver/jeepney"),
    ("cryptography (includes OpenSSL)", "cryptography", "Apache-2.0 OR BSD-3-Clause",
     "https://github.com/pyca/cryptography"),
    ("CFFI", "cffi", "MIT-0", "https://github.com/python-cffi/cffi"),
    ("pycparser", "pycparser", "BSD-3-Clause", "https://github.com/eliben/pycparser"),
    ("platformdirs", "platformdirs", "MIT", "https://github.com/tox-dev/platformdirs"),
    ("Starlette", "starlette", "BSD-3-Clause", "https://github.com/encode/starlette"),
    ("Uvicorn", "uvicorn", "BSD-3-Clause", "https://github.com/encode/uvicorn"),
    ("Click", "click", "BSD-3-Clause", "https://github.com/pallets/click"),
    ("typing_extensions", "typing_extensions", "PSF-2.0",
     "https://github.com/python/typing_extensions"),
    ("pywin32-ctypes", "pywin32-ctypes", "BSD-3-Clause",
     "https://github.com/enthought/pywin32-ctypes"),
)  # fmt: skip


def python_component() -> Component:
    source = Path(sys.base_prefix) / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}"
    text = _first_existing(
        source / "LICENSE.txt", Path(sys.base_prefix) / "LICENSE.txt", OUT / "Python.txt"
    )
    return Component(
        name=f"Python {sys.version_info[0]}.{sys.version_info[1]}",
        license="PSF-2.0",
        url="https://www.python.org/downloads/source/",
        distribution="<python>",  # the About dialog shows the running interpreter's version
        files=[_write("Python.txt", text)],
        note="The interpreter and its standard library, with SQLite (public domain), "
        "libffi (MIT), zlib and expat, which it bundles.",
    )


def qt_component() -> Component:
    files = [_write("Qt-NOTICE.txt", QT_NOTICE)]
    for spdx, common in (("LGPL-3.0", "LGPL-3"), ("GPL-3.0", "GPL-3")):
        existing = OUT / f"{spdx}.txt"
        text = _first_existing(COMMON_LICENSES / common, existing)
        files.append(_write(f"{spdx}.txt", text))
    return Component(
        name="Qt 6 and Qt for Python (PySide6, Shiboken6)",
        license="LGPL-3.0-only",
        url="https://download.qt.io/official_releases/QtForPython/",
        distribution="PySide6-Essentials",
        files=files,
    )


def package_component(name: str, dist_name: str, spdx: str, url: str) -> Component | None:
    """The component of an installed package, with its licence files; None when not installed."""
    try:
        dist = metadata.distribution(dist_name)
    except metadata.PackageNotFoundError:
        return None
    texts = [
        f"{file.name}\n\n{Path(file.locate()).read_text(encoding='utf-8', errors='replace')}"
        for file in dist.files or ()
        if _is_license_file(str(file))
    ]
    if not texts:
        raise SystemExit(f"{dist_name}: no licence file in its installed metadata")
    return Component(
        name=name,
        license=spdx,
        url=url,
        distribution=dist_name,
        files=[_write(f"{dist_name}.txt", "\n\n".join(texts))],
    )


def _is_license_file(path: str) -> bool:
    name = path.rsplit("/", 1)[-1].upper()
    in_dist_info = ".dist-info/" in path
    return in_dist_info and name.startswith(("LICENSE", "LICENCE", "COPYING", "NOTICE"))


def _first_existing(*candidates: Path) -> str:
    for path in candidates:
        if path.is_file():
            return path.read_text(encoding="utf-8")
    raise SystemExit(f"none of these licence files exists: {', '.join(map(str, candidates))}")


def _write(name: str, text: str) -> str:
    (OUT / name).write_text(text, encoding="utf-8")
    return name


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    components = [qt_component(), python_component()]
    packages = (package_component(*entry) for entry in PYTHON_PACKAGES)
    components += [component for component in packages if component is not None]
    index = [asdict(component) for component in components]
    (OUT / "components.json").write_text(json.dumps(index, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {len(components)} components to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
