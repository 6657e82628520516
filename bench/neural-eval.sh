#!/usr/bin/env bash
# Held-out evaluation of the neural separator (issue 8): renders the held-out split of the synthetic corpus
# (unseen seeds, unseen soundfont), runs the shipped model alone and with its Wiener step, the model-free
# recipe, the trivial baselines and the oracle ideal ratio mask on stereo and mono mixes, prints SI-SDR
# improvement per stem with the neural-minus-model-free delta against the +3 dB target, the mixture-consistency
# error and speed, then streams a long file through the model in a 1 GiB heap.
# Writes bench/target/neural-eval/results.md and results.json.
#
# Usage: bench/neural-eval.sh [--songs heldout|midi] [--count N] [--seconds S] [--model MANIFEST]
#                             [--no-speed] [--generated HIDDEN] [--long-minutes M]   (default: 12 songs of 24 s, 60 min)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
long=60
model=""
songs=heldout
count=12
seconds=24
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --long-minutes) long="$2"; shift 2 ;;
    --songs) songs="$2"; shift 2 ;;
    --count) count="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --model) model="$2"; args+=("$1" "$2"); shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
scripts/install-deps.sh bench
mvn -q -B -ntp -pl bench -am -DskipTests compile dependency:build-classpath -Dmdep.outputFile="$PWD/bench/target/classpath.txt"
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
out=bench/target/neural-eval
mkdir -p "$out"
if [ "$songs" = heldout ]; then
  # the corpus's held-out split: unseen seeds and a soundfont never used in training (stemroom dataset)
  # corpus seed 2026: songs the trainer never saw, not even for validation (its held-out folder uses its own seed)
  corpus="$out/held-out-seed2026-$count-$seconds"
  if [ ! -f "$corpus/corpus.json" ]; then
    if java -cp "$cp" org.stemroom.workstation.cli.StemroomCli dataset --help >/dev/null 2>&1; then
      java -Xmx4g -cp "$cp" org.stemroom.workstation.cli.StemroomCli dataset -o "$corpus" --split held-out \
        --seed 2026 --songs "$count" --seconds "$seconds" -q
    else
      echo "stemroom dataset is not in this build: evaluating on separation-eval's MIDI songs instead" >&2
      corpus=midi
    fi
  fi
  songs="$corpus"
fi
java -Xmx6g -cp "$cp" org.stemroom.bench.separation.NeuralEval --out "$out" --songs "$songs" --count "$count" \
  --seconds "$seconds" "${args[@]}"
if [ "$long" != "0" ]; then
  [ -z "$model" ] && [ -f "$out/generated-model/manifest.json" ] && [[ " ${args[*]} " == *" --generated "* ]] \
    && model="$out/generated-model/manifest.json"
  java -Xmx1g -cp "$cp" org.stemroom.bench.separation.NeuralLongStream "$long" "$model" "$out/long-stream.json"
  python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
r = json.load(open(out + "/results.json"))
r["longStream"] = json.load(open(out + "/long-stream.json"))
json.dump(r, open(out + "/results.json", "w"), indent=2)
l = r["longStream"]
open(out + "/results.md", "a").write(
    "\n## Long file, bounded memory\n\n%.0f minutes of stereo 44.1 kHz streamed through neural (as shipped) in a %d MiB heap "
    "(-Xmx1g): peak used heap %d MiB (sampled every 20 ms), heap after the last GC %d MiB, %.1fx real time "
    "(wall), max abs(sum of stems - input) %.1e.\n" % (l["minutes"], l["maxHeapMiB"], l["peakHeapMiB"],
    l["heapAfterGcMiB"], l["xRealTimeWall"], l["maxConsistencyError"]))
PY
fi
echo "results: $out/results.md $out/results.json"
