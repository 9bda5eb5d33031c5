# Debian's Chromium for the HTML report's browser test (tests/export/test_browser.py).
# Installed with apt-get when missing and we are root (as on CI); otherwise the test says how to get it.
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "make: installing Debian's chromium for the report's browser test (apt-get, about a minute)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends chromium >/dev/null \
    || echo "make: could not install chromium; the browser test will say how to get it" >&2
else
  echo "make: chromium is not installed (apt-get install chromium); the browser test will skip" >&2
fi
exit 0
