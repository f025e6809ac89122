#!/usr/bin/env bash
# Create .venv and install extract with its NLP models (all from PyPI; nothing is downloaded at run time).
# Re-running is cheap: the install is skipped while pyproject.toml is unchanged.
# As root on Debian, it also installs Chromium and CJK fonts (the HTML diff report is checked in a headless
# browser by the tests); elsewhere that test is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=".venv/.extract-installed"
want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e '.[dev,hf,ray]'
  echo "$want" > "$stamp"
fi
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "setup: installing chromium and fonts-noto-cjk with apt-get" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
