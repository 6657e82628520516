#!/usr/bin/env bash
# Runs the full test suite on a fresh Debian 12 machine with Java 17 and Maven: installs the Debian packages
# the tests use (reference files, peers, a headless browser), then builds and tests every module.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/install-deps.sh build test
exec mvn -B -ntp verify "$@"
