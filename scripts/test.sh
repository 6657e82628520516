#!/usr/bin/env bash
# Runs the full test suite on a fresh Debian 12 machine with Java 17 and Maven: installs the Debian packages
# the tests use (reference files, peers, a headless browser), then builds and tests every module.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/install-deps.sh build test
mvn -B -ntp verify "$@"
# the launcher's own start-up paths (its JVM options, the convolve runtime and archives) against the JDK's plain java,
# output bytes compared; only on a full run, where verify has just built the jar
if [ $# -eq 0 ]; then scripts/launcher-check.sh; fi
