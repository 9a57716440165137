#!/usr/bin/env bash
# Install everything the test suite needs on a fresh Debian machine, then run lint and tests.
# This is the README's test command and what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q chromium
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt
.venv/bin/ruff check .
.venv/bin/mypy core
# Whole test files spread over 2 processes (pytest-xdist), in the order tests/conftest.py gives
# (its SLOW_FIRST files first): a file's module fixtures (servers, a Dask cluster) start once,
# and one process's wait for a server, browser or subprocess is the other's CPU time. `-n 0` runs serially.
.venv/bin/python -m pytest -q -n 2 --dist loadfile --no-loadscope-reorder "$@"
