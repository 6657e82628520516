#!/usr/bin/env bash
# Builds stemroom and runs the main job on built-in defaults: `stemroom demo` synthesizes a short song,
# mixes it to a mono "old master", and renders it to stereo and 5.1 in a built-in room. No download needed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/install-deps.sh build
mvn -B -ntp -q -DskipTests package
exec ./stemroom demo "$@"
