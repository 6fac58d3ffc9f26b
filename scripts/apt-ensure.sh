#!/bin/sh
# apt-ensure.sh BINARY PACKAGE: install Debian's PACKAGE unless BINARY exists.
# Browser tests drive Debian's Chromium (Playwright never downloads a browser);
# the benchmarks drive wrk; one test puts nginx in front of the app.
set -eu
binary=$1
package=$2
if [ -x "$binary" ]; then
    exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "$binary is missing: install Debian's '$package' package as root." >&2
    exit 1
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$package" >/dev/null
