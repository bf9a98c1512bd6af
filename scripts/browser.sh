# Sourced by scripts/test: headless Chromium and its WebDriver from Debian's packages
# (`chromium`, `chromium-driver`) for tests/test_web_browser.py, installed when missing and we
# are root. Nothing downloads a browser or a driver of its own: Selenium is handed
# /usr/bin/chromedriver. Without them the browser test is skipped, with a message.

if ! { command -v chromium && command -v chromedriver; } >/dev/null 2>&1 \
  && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing Chromium and chromium-driver from Debian's packages..."
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi
if ! { command -v chromium && command -v chromedriver; } >/dev/null 2>&1; then
  echo "Chromium or chromium-driver is not installed: the browser test will be skipped" >&2
fi
