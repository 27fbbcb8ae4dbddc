#!/bin/sh
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring Secret Service,
# so tests exercise a real OS keyring without touching the user's own. Falls back to running the
# command as is when the daemon is not installed (the keyring tests then skip, saying why).
set -eu
if ! command -v dbus-run-session >/dev/null 2>&1 || ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
    echo "note: gnome-keyring/dbus not installed; keyring tests will be skipped" >&2
    exec "$@"
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT INT TERM
mkdir -m 700 "$scratch/runtime"
export XDG_DATA_HOME="$scratch/data" XDG_RUNTIME_DIR="$scratch/runtime"
export FSD_PRIVATE_KEYRING=1
dbus-run-session -- sh -c 'printf test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@"' sh "$@"
