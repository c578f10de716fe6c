#!/bin/sh
# Install the Debian packages Navigator needs (Voikko for Finnish morphology) when run as root
# and they are missing. Without root, say what to install and go on: Navigator falls back
# to a stemmer and warns. With --test, also Chromium and ChromeDriver for the browser tests
# (those tests fail with a message naming the package when it is missing).
PACKAGES="libvoikko1 voikko-fi"
[ "${1:-}" = "--test" ] && PACKAGES="chromium"
missing=""
for pkg in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
    echo "note: install$missing with your package manager (Voikko: better Finnish matching; chromium: the browser tests)." >&2
    exit 0
fi
if [ "$(id -u)" != "0" ]; then
    echo "note: run 'sudo apt-get install$missing' (Voikko: better Finnish matching; chromium: the browser tests)." >&2
    exit 0
fi
echo "Installing Debian packages:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends $missing >/dev/null \
    || { echo "error: apt-get could not install$missing" >&2; exit 1; }
