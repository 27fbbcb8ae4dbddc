#!/usr/bin/env bash
# Linux: the one-folder bundle, then dist/faststore-desktop-VERSION-linux-ARCH.tar.gz and
# dist/faststore-desktop_VERSION_ARCH.deb. Run from anywhere; PYTHON defaults to .venv/bin/python.
#   packaging/linux/build.sh            bundle + archives
#   packaging/linux/build.sh --archives archives from an existing bundle (no PyInstaller run)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
DIST=${DIST:-$ROOT/dist}
WORK=${WORK:-$ROOT/build/pyinstaller}
NAME=faststore-desktop
APP_ID=io.faststore.desktop
# The desktop entry is named after QGuiApplication.desktopFileName (app.py): Wayland matches a
# window's app_id to it for the window's icon and its grouping with the launcher.
HERE=$ROOT/packaging/linux
BUNDLE=$DIST/$NAME

# What Qt's xcb and wayland platform plugins load from the system (the wheels bring Qt itself).
# glibc >= 2.34: the Qt 6 wheels are built against it.
DEPENDS="libc6 (>= 2.34), libstdc++6, zlib1g, libglib2.0-0, libdbus-1-3, libfontconfig1, \
libfreetype6, libegl1, libgl1, libopengl0, libxkbcommon0, libxkbcommon-x11-0, libx11-6, \
libx11-xcb1, libxcb1, libxcb-cursor0, libxcb-icccm4, libxcb-image0, libxcb-keysyms1, \
libxcb-randr0, libxcb-render0, libxcb-render-util0, libxcb-shape0, libxcb-shm0, libxcb-sync1, \
libxcb-xfixes0, libxcb-xkb1, libwayland-client0, libwayland-cursor0, libwayland-egl1"
# git gives deployments their commit; a Secret Service keeps the data key (else a passphrase).
RECOMMENDS="git, gnome-keyring | kwalletmanager | keepassxc"

version=$("$PYTHON" -c 'from faststore_desktop import __version__; print(__version__)')
arch=$(dpkg --print-architecture 2>/dev/null || uname -m)

if [ "${1:-}" != "--archives" ]; then
    rm -rf "$BUNDLE"
    "$PYTHON" "$ROOT/packaging/collect_licenses.py"  # the licences of what this OS bundles
    QT_QPA_PLATFORM=offscreen "$PYTHON" -m PyInstaller --noconfirm --log-level WARN \
        --distpath "$DIST" --workpath "$WORK" "$ROOT/packaging/faststore-desktop.spec"
fi
test -x "$BUNDLE/$NAME" || { echo "no bundle at $BUNDLE; build it first" >&2; exit 1; }

# -- .tar.gz: the bundle plus the desktop integration files, to unpack anywhere ---------------
tarball=$DIST/$NAME-$version-linux-$(uname -m).tar.gz
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
cp -a "$BUNDLE" "$staging/$NAME-$version"
cp "$HERE/$NAME.desktop" "$staging/$NAME-$version/"
cp "$ROOT/resources/icons/app/$NAME.svg" "$staging/$NAME-$version/$NAME.svg"
tar -C "$staging" --owner=0 --group=0 -czf "$tarball" "$NAME-$version"
echo "wrote $tarball"

# -- .deb: /opt/faststore-desktop, a command in /usr/bin, menu entry, icons, AppStream ---------
if ! command -v dpkg-deb >/dev/null 2>&1; then
    echo "note: dpkg-deb not found (not a Debian-based system): no .deb this time" >&2
    exit 0
fi
root=$staging/deb
mkdir -p "$root/DEBIAN" "$root/opt" "$root/usr/bin" "$root/usr/share/applications" \
    "$root/usr/share/metainfo" "$root/usr/share/icons/hicolor/scalable/apps"
cp -a "$BUNDLE" "$root/opt/$NAME"
ln -s "/opt/$NAME/$NAME" "$root/usr/bin/$NAME"
install -m 644 "$HERE/$NAME.desktop" "$root/usr/share/applications/$NAME.desktop"
sed -e "s/@VERSION@/$version/" -e "s/@DATE@/$(date -u +%Y-%m-%d)/" \
    "$HERE/$APP_ID.metainfo.xml" > "$root/usr/share/metainfo/$APP_ID.metainfo.xml"
install -m 644 "$ROOT/resources/icons/app/$NAME.svg" "$root/usr/share/icons/hicolor/scalable/apps/"
for size in 16 24 32 48 64 128 256 512; do
    dir=$root/usr/share/icons/hicolor/${size}x${size}/apps
    mkdir -p "$dir"
    install -m 644 "$ROOT/resources/icons/app/$NAME-$size.png" "$dir/$NAME.png"
done
if command -v appstreamcli >/dev/null 2>&1; then
    appstreamcli validate --no-net --pedantic "$root/usr/share/metainfo/$APP_ID.metainfo.xml"
else
    echo "note: appstreamcli not found; the AppStream metainfo was not validated" >&2
fi
if command -v desktop-file-validate >/dev/null 2>&1; then
    desktop-file-validate "$root/usr/share/applications/$NAME.desktop"
fi
installed_kb=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<CONTROL
Package: $NAME
Version: $version
Architecture: $arch
Maintainer: FastStore Desktop contributors <faststore-desktop@users.noreply.invalid>
Installed-Size: $installed_kb
Depends: $DEPENDS
Recommends: $RECOMMENDS
Section: devel
Priority: optional
Description: Manage FastStore WebOps variables and secrets from the desktop
 Text variables and write-only secrets of FastStore stores, redeploys and
 their live logs, a checked vtex.env and the migration of legacy secrets
 files, in one desktop application.
CONTROL
# Menus and icon caches are refreshed by dpkg triggers (desktop-file-utils, hicolor-icon-theme).
deb=$DIST/${NAME}_${version}_${arch}.deb
dpkg-deb --root-owner-group --build -Zxz "$root" "$deb" >/dev/null
echo "wrote $deb"
