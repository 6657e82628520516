#!/usr/bin/env bash
# Separation evaluation: renders a small multitrack test set with fluidsynth (ground-truth stems), mixes it in
# stereo and mono, runs every separator and prints SDR / SI-SDR per stem next to the bounds (mixture, best-gain
# mixture, oracle IRM) and trivial baselines; then the default recipe's speed and the ONNX path's overhead.
# Usage: bench/separation-eval.sh [--no-speed]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/install-deps.sh bench
mvn -q -B -ntp -pl bench -am -DskipTests compile dependency:build-classpath -Dmdep.outputFile="$PWD/bench/target/classpath.txt"
cp="bench/target/classes:separation/target/classes:trainer/target/classes:room-ir/target/classes:java-core/target/classes:$(cat bench/target/classpath.txt)"
speed="--speed"
[ "${1:-}" = "--no-speed" ] && speed=""
java -Xmx4g -cp "$cp" org.stemroom.bench.separation.SeparationEval --work bench/target/separation-eval $speed
[ -n "$speed" ] && java -Xmx4g -cp "$cp" org.stemroom.bench.separation.OnnxOverhead
