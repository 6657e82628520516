#!/usr/bin/env bash
# Checks the launcher `stemroom` itself, after the build (scripts/test.sh runs it after `mvn verify`).
#
# Why: the launcher picks a different Java start for some commands (convolve: a java.base-only runtime that it makes
# with jlink on first use and a class-data archive dumped from the classes the first real run loaded; render, batch
# and demo: their own collector and compile thresholds). None of that runs in the Maven tests, which call the Java
# code in-process, and none of it may change an output bit. So each command runs three ways on the same input: with
# STEMROOM_JAVA_OPTS set (the JDK's own java with plain options: the reference), then twice through the launcher's
# own start (the first run makes the runtime and the archive, the second uses them), and every output must be
# byte-identical to the reference's. The launcher and the jar are copied to a scratch folder first, so a developer's
# own runtime and archives are neither used nor replaced.
#
# Usage: scripts/launcher-check.sh [path/to/stemroom.jar]   (default: workstation/target/stemroom.jar)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
jar="${1:-workstation/target/stemroom.jar}"
[ -f "$jar" ] || { echo "launcher-check: no jar at $jar (build first: mvn -DskipTests package)" >&2; exit 2; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
root="$tmp/root"
mkdir -p "$root/workstation/target"
cp stemroom "$root/stemroom"
cp "$jar" "$root/workstation/target/stemroom.jar"
launch="$root/stemroom"
failures=0

fail() { echo "launcher-check: FAIL: $*" >&2; failures=$((failures + 1)); }

same() { # same REF FILE...: every FILE byte-identical to REF
  local ref="$1" f
  shift
  for f in "$@"; do
    if cmp -s "$ref" "$f"; then echo "  same bytes: ${f#"$tmp"/}"; else fail "${f#"$tmp"/} differs from ${ref#"$tmp"/}"; fi
  done
}

# Inputs: a 3 s sweep (3 s of audio plus its 3 s of silence; mono) and a 22 s one (25 s: a convolve of 20 s or more
# takes the launcher's long-input options).
"$launch" ir sweep --length 3 --rate 48000 -o "$tmp/short.wav" > /dev/null
"$launch" ir sweep --length 22 --rate 44100 -o "$tmp/long.wav" > /dev/null

echo "convolve: reference (JDK's java, STEMROOM_JAVA_OPTS), then the launcher's start twice"
for input in short long; do
  for threads in 1 2; do
    args=("$tmp/$input.wav" --room live-room --wet 0.3 --threads "$threads")
    STEMROOM_JAVA_OPTS="-Xmx1g" "$launch" convolve "${args[@]}" -o "$tmp/$input-$threads-ref.wav" > /dev/null
    "$launch" convolve "${args[@]}" -o "$tmp/$input-$threads-a.wav" > /dev/null
    "$launch" convolve "${args[@]}" -o "$tmp/$input-$threads-b.wav" > /dev/null
    same "$tmp/$input-$threads-ref.wav" "$tmp/$input-$threads-a.wav" "$tmp/$input-$threads-b.wav"
  done
done
java_home="$(readlink -f "$(command -v java)")"
java_home="${java_home%/bin/java}"
if [ -x "$java_home/bin/jlink" ] && [ -f "$java_home/jmods/java.base.jmod" ]; then
  # the runtime and the archive were made and are in use (their absence would mean the fast start silently fell back)
  [ -x "$root/workstation/target/java-base/bin/java" ] || fail "convolve: the java.base runtime was not made"
  [ -f "$root/workstation/target/cds/convolve-static.jsa" ] || fail "convolve: its class-data archive was not dumped"
else
  echo "  (this JDK has no jlink or jmods: convolve ran on the JDK's java, as the launcher says it will)"
fi

# render: the short input (6 s) takes the launcher's C1-only start (a WAV under 8 s), the long one (25 s) tiered compilation
echo "render: reference (JDK's java, STEMROOM_JAVA_OPTS), then the launcher's start"
for input in short long; do
  STEMROOM_JAVA_OPTS="-Xmx2g" "$launch" render "$tmp/$input.wav" --layout 5.1 -o "$tmp/render-$input-ref" > /dev/null
  "$launch" render "$tmp/$input.wav" --layout 5.1 -o "$tmp/render-$input-a" > /dev/null
  count=0
  while IFS= read -r -d '' f; do
    rel="${f#"$tmp/render-$input-ref/"}"
    case "$rel" in render.json|report.html) continue ;; esac # they hold timings and the options the JVM ran with
    same "$f" "$tmp/render-$input-a/$rel"
    count=$((count + 1))
  done < <(find "$tmp/render-$input-ref" -type f -print0 | sort -z)
  [ "$count" -ge 3 ] || fail "render $input: only $count outputs to compare"
done

if [ "$failures" -ne 0 ]; then
  echo "launcher-check: $failures failure(s)" >&2
  exit 1
fi
echo "launcher-check: all outputs byte-identical to the reference runs"
