#!/usr/bin/env bash
# macOS: "dist/FastStore Desktop.app" (the spec writes its Info.plist and icon), then
# dist/faststore-desktop-VERSION-macos-ARCH.dmg.
#
# Signing and notarization run only when their credentials are set:
#   FSD_CODESIGN_IDENTITY   "Developer ID Application: Name (TEAMID)", in the login keychain
#   FSD_NOTARY_PROFILE      a notarytool keychain profile (xcrun notarytool store-credentials), or
#   FSD_NOTARY_KEY_PATH, FSD_NOTARY_KEY_ID, FSD_NOTARY_ISSUER  an App Store Connect API key (.p8)
# No password is ever passed on a command line (other processes can read those).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
DIST=${DIST:-$ROOT/dist}
HERE=$ROOT/packaging/macos
APP="$DIST/FastStore Desktop.app"

version=$("$PYTHON" -c 'from faststore_desktop import __version__; print(__version__)')
arch=$(uname -m)
dmg=$DIST/faststore-desktop-$version-macos-$arch.dmg

rm -rf "$APP" "$DIST/faststore-desktop"
"$PYTHON" "$ROOT/packaging/collect_licenses.py"  # the licences of what this OS bundles
"$PYTHON" -m PyInstaller --noconfirm --log-level WARN --distpath "$DIST" \
    --workpath "$ROOT/build/pyinstaller" "$ROOT/packaging/faststore-desktop.spec"
plutil -lint "$APP/Contents/Info.plist"

if [ -n "${FSD_CODESIGN_IDENTITY:-}" ]; then
    # Inside out: every library and nested program first, then the app with the hardened
    # runtime (required for notarization) and a secure timestamp. No --deep: it signs in an
    # order Apple advises against and would apply the app's entitlements to every library.
    find "$APP/Contents" -type f \( -name '*.dylib' -o -name '*.so' -o -perm -u+x \) -print0 |
        while IFS= read -r -d '' file; do
            if file "$file" | grep -q 'Mach-O'; then
                codesign --force --timestamp --options runtime --sign "$FSD_CODESIGN_IDENTITY" "$file"
            fi
        done
    # Qt's frameworks are bundles: sealed as such once their binaries are signed.
    find "$APP/Contents" -type d -name '*.framework' -prune -print0 |
        while IFS= read -r -d '' framework; do
            codesign --force --timestamp --options runtime --sign "$FSD_CODESIGN_IDENTITY" "$framework"
        done
    codesign --force --timestamp --options runtime --entitlements "$HERE/entitlements.plist" \
        --sign "$FSD_CODESIGN_IDENTITY" "$APP"
    codesign --verify --strict --verbose=2 "$APP"
else
    echo "note: FSD_CODESIGN_IDENTITY not set: the app is not signed (Gatekeeper will warn)" >&2
fi

# The disk image: the app and a link to /Applications to drag it onto.
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
cp -R "$APP" "$staging/"
ln -s /Applications "$staging/Applications"
rm -f "$dmg"
hdiutil create -volname "FastStore Desktop $version" -srcfolder "$staging" -fs HFS+ \
    -format UDZO -ov "$dmg"
if [ -n "${FSD_CODESIGN_IDENTITY:-}" ]; then
    codesign --force --timestamp --sign "$FSD_CODESIGN_IDENTITY" "$dmg"
fi

notary=()
if [ -n "${FSD_NOTARY_PROFILE:-}" ]; then
    notary=(--keychain-profile "$FSD_NOTARY_PROFILE")
elif [ -n "${FSD_NOTARY_KEY_PATH:-}" ]; then
    notary=(--key "$FSD_NOTARY_KEY_PATH" --key-id "$FSD_NOTARY_KEY_ID" --issuer "$FSD_NOTARY_ISSUER")
fi
if [ ${#notary[@]} -gt 0 ] && [ -n "${FSD_CODESIGN_IDENTITY:-}" ]; then
    xcrun notarytool submit "$dmg" "${notary[@]}" --wait
    xcrun stapler staple "$dmg"
    xcrun stapler validate "$dmg"
    spctl --assess --type open --context context:primary-signature --verbose "$dmg"
else
    echo "note: no notarization credentials (or no signature): the image is not notarized" >&2
fi
echo "wrote $dmg"
