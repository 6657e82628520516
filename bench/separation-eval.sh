#!/usr/bin/env bash
# Separation evaluation: renders a small multitrack test set with fluidsynth (ground-truth stems), mixes it in
# stereo and mono, runs every separator and prints SDR / SI-SDR per stem next to the bounds (mixture, best-gain
# mixture, oracle IRM) and trivial baselines; then the default recipe's speed and the ONNX path's overhead.
# Usage: bench/separation-eval.sh [--no-speed | --speed-only] [--corpus DIR [--count N]]
#   --speed-only  only the speed rows: one minute of stereo 44.1 kHz through the default recipe (wall and CPU
#                 seconds, best of 3) and the ONNX path's pre/post-processing share with an MDX-shaped model
#   --corpus DIR  score a corpus folder written by `stemroom dataset` (e.g. neural-eval.sh's held-out set,
#                 bench/target/neural-eval/held-out-seed2026-12-24) instead of the five generated songs
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
speed="--speed"
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-speed) speed=""; shift ;;
    --speed-only) speed="--speed-only"; shift ;;
    --corpus|--count) args+=("$1" "$2"); shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
scripts/install-deps.sh bench
mvn -q -B -ntp -pl bench -am -DskipTests compile dependency:build-classpath -Dmdep.outputFile="$PWD/bench/target/classpath.txt"
cp="bench/target/classes:separation/target/classes:trainer/target/classes:room-ir/target/classes:java-core/target/classes:$(cat bench/target/classpath.txt)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC')"
java -Xmx4g -cp "$cp" org.stemroom.bench.separation.SeparationEval --work bench/target/separation-eval $speed ${args[@]+"${args[@]}"}
[ -n "$speed" ] && java -Xmx4g -cp "$cp" org.stemroom.bench.separation.OnnxOverhead
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
