#!/usr/bin/env bash
# Plugin bench: the VST3 bundle driven by the project's test host exactly as a DAW drives it.
#   - per-block time at 48 kHz / 512 frames, stereo in, 5.1 out, the longest built-in room (scoring-stage, a 2.2 s
#     IR, RT60 about 1.7 s): mean, p99, p99.9 and
#     max over BLOCKS blocks (default 100000), against the block period (10.667 ms); targets mean < 15 %, max < 50 %
#   - cold instantiation, JVM start included: a fresh host process from dlopen to the end of setupProcessing
#     (target < 2 s), RUNS times: wall, the CPU of all the process's threads (what a loaded machine cannot hide),
#     that CPU by thread (JIT compilers, control thread, separator worker) and the start-up phases
# JITTER=1 then runs the control, plugin-shim/target/native/rt_jitter: a thread paced and prioritised like the audio
# thread that does the same fixed arithmetic every period (no memory, no JVM): its slow periods are the machine's
# (the kernel's or the hypervisor's, whose steal time this VM charges to the running thread), to set beside the
# plugin's slow blocks over the same number of periods.
# Usage: [RT=1] [PACE=1] [TRACE=FILE [JVMLOG=FILE]] [JITTER=1 [JITTER_COMPANION=memory|remap]] bench/plugin-bench.sh [BLOCKS] [RUNS]. PACE=1 hands the plugin one block per block period
# (10.667 ms), as a sound card drives a DAW, so the separator's worker gets the time it has in a real session;
# unpaced, the host calls as fast as it can and most blocks are served by the separator's fallback.
# Timings on a shared 2-core machine are noisy: report the load.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
blocks="${1:-100000}"
runs="${2:-3}"
bundle=plugin-shim/target/stemroom.vst3
host=plugin-shim/target/native/vst3_host
if [ ! -x "$host" ] || [ ! -x plugin-shim/target/native/rt_jitter ] || [ ! -f "$bundle/Contents/x86_64-linux/stemroom.so" ]; then
  mvn -B -ntp -q -DskipTests package -pl plugin-shim -am
fi
preset=bench/plugin-bench-preset.json
period_ms=$(awk 'BEGIN { printf "%.4f", 512 / 48000 * 1000 }')
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), cores: $(nproc)"

echo "== cold instantiation (fresh process, JVM start included: dlopen to the end of setupProcessing + setActive)"
phases="$(mktemp)"
coldout="$(mktemp)"
for i in $(seq 1 "$runs"); do
  STEMROOM_TRACE=1 "$host" run "$bundle" --blocks 1 --state-in "$preset" 2>"$phases" | tee "$coldout" | awk -F= '
    /^cold_start_ms=/ { wall = $2 } /^cold_start_cpu_ms=/ { cpu = $2 } /^cds_archive_used=/ { cds = $2 }
    /^cold_start_thread_cpu_ms=/ { threads = $2 }
    END { printf "cold start: %s ms wall, %s ms CPU (all threads; class-data archive used: %s)\n  CPU by thread (ms): %s\n", wall, cpu, cds, threads }'
  # the start-up phases (STEMROOM_TRACE): wall and the control thread's CPU of each
  sed -n 's/^stemroom: java \(.*\)/  \1/p; s/^stemroom: \(setupProcessing: .*\)/  \1/p' "$phases" | head -9
done
rm -f "$phases"

echo "== $blocks blocks of 512 frames, stereo -> 5.1, scoring-stage room (2.2 s IR); RT=${RT:-0} (SCHED_FIFO audio thread), PACE=${PACE:-0} (one block per period)"
rt=()
[ "${RT:-0}" = "1" ] && rt=(--rt 70)   # as a DAW runs its audio thread (needs root or rtprio rights)
[ "${PACE:-0}" = "1" ] && rt+=(--pace 1)
[ -n "${TRACE:-}" ] && rt+=(--trace "$TRACE")   # per-block wall/CPU/user/sys/page faults, see vst3_host.c
# JVMLOG=FILE: the JVM logs its safepoints, collections, compilations and deoptimizations there, lined up with the
# trace's slow blocks by the summary below (needs TRACE)
# Without JVMLOG the JVM still logs its deoptimizations (a few lines), so every run says how many hit the audio thread:
# one there throws the compiled audio path away and runs it interpreted for a while (the warm-up's job is to leave none)
# JDK 17 has no deoptimization log tag, and a JVM option the JVM refuses leaves the plugin passing audio through:
# ask the JVM the plugin found (the cold runs' jvm_path) before adding it
java_bin="$(dirname "$(dirname "$(dirname "$(sed -n 's/^jvm_path=//p' "$coldout")")")")/bin/java"
rm -f "$coldout"
deoptlog="$(mktemp)"
jvm_opts=(STEMROOM_JVM_OPTIONS="-Xlog:deoptimization=debug:file=$deoptlog:timemillis,tid")
[ -n "${JVMLOG:-}" ] && jvm_opts=(STEMROOM_JVM_OPTIONS="-Xlog:safepoint,gc,deoptimization=debug,jit+compilation=debug:file=$JVMLOG:timemillis,tid")
if ! "$java_bin" -Xlog:deoptimization=debug -version >/dev/null 2>&1; then
  echo "($java_bin has no deoptimization log: deoptimizations are not counted)"
  jvm_opts=(STEMROOM_JVM_OPTIONS=)
  no_deopt_log=1
  [ -n "${JVMLOG:-}" ] && jvm_opts=(STEMROOM_JVM_OPTIONS="-Xlog:safepoint,gc,jit+compilation=debug:file=$JVMLOG:timemillis,tid")
fi
out="$(mktemp)"
env "${jvm_opts[@]}" "$host" run "$bundle" --blocks "$blocks" --block 512 --in-ch 2 --out-ch 6 --state-in "$preset" "${rt[@]}" 2>/dev/null > "$out" || true
audio_tid="$(sed -n 's/^audio_tid=//p' "$out")"
if [ -n "$audio_tid" ] && [ -z "${no_deopt_log:-}" ]; then
  deopts="$(grep "^\[[0-9]*ms\]\[$audio_tid\].*trap_bci" "${JVMLOG:-$deoptlog}" || true)"
  echo "deoptimizations on the audio thread: $(printf '%s' "$deopts" | grep -c . || true)"
  printf '%s\n' "$deopts" | grep . | cut -c1-200 | sed 's/^/  /' || true
fi
rm -f "$deoptlog"
# an engine that did not start passes audio through in microseconds: say so before its figures
grep -q '^status_after=running' "$out" || echo "THE ENGINE WAS NOT RUNNING: the figures below are the pass-through's, not the plugin's ($(sed -n 's/^status_after=//p' "$out"))"
awk -F= -v period="$period_ms" '
      /^(latency|tail|status|status_after|status_after_5s|blocks|blocks_over_half_period|rt_priority|rt_refused)=/ { print }
      /^block_(mean|max|p99|p999)_ms=/ { printf "%s = %.4f ms = %.2f %% of the %.3f ms block period\n", $1, $2, 100 * $2 / period, period }
      /^block_cpu_(mean|max|p99|p999)_ms=/ { printf "%s = %.4f ms of audio-thread CPU = %.2f %% of the period (the plugin'"'"'s own cost, machine load aside)\n", $1, $2, 100 * $2 / period }' "$out"
rm -f "$out"
if [ "${JITTER:-0}" = "1" ]; then
  echo "== control: $blocks periods of fixed arithmetic (about the plugin's mean block), paced and prioritised as the audio thread"
  jrt=0
  [ "${RT:-0}" = "1" ] && jrt=70
  plugin-shim/target/native/rt_jitter --periods "$blocks" --work-ms 0.7 --rt "$jrt" | sed 's/^/  /'
  # JITTER_COMPANION=memory|remap: the control again beside a thread shaped like the separator's worker (60 ms of
  # memory-heavy work every 750 ms on the other core; "remap" also maps and unmaps its 48 MiB each time, as a
  # collector returning memory would): do the control's slow periods come with it running, as the plugin's did?
  if [ -n "${JITTER_COMPANION:-}" ]; then
    echo "== control with a worker-shaped companion thread (${JITTER_COMPANION})"
    plugin-shim/target/native/rt_jitter --periods "$blocks" --work-ms 0.7 --rt "$jrt" --companion "$JITTER_COMPANION" \
      | sed 's/^/  /'
  fi
fi
# the trace's worst blocks: was the audio thread charged their time or did it wait; with JVMLOG, the JVM's events
if [ -n "${TRACE:-}" ] && [ -f "$TRACE" ]; then
  bench/plugin-trace-summary.sh "$TRACE" "$period_ms" 0 "${JVMLOG:-}" "$audio_tid"
fi
