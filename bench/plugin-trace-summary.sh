#!/usr/bin/env bash
# Summarizes a per-block trace written by the test host's --trace (bench/plugin-bench.sh TRACE=FILE): per-block
# wall and audio-thread CPU (mean, p99, p99.9, max), the blocks over half the period, and for each of those what
# the trace can say about who took the time:
#   busy    : CPU over half the period and CPU <= wall (+0.2 ms rounding): the audio thread was charged the time.
#             Either the plugin's code worked that long, or the hypervisor took the CPU away: this VM does not
#             account steal time (the steal column of /proc/stat stays 0), so stolen time is charged to the thread
#             that was running, and a SCHED_FIFO thread is never preempted inside the guest. The trace alone cannot
#             tell these apart; the block's neighbours and the JVM's logs (safepoints, deoptimizations) can
#   cpu>wall: CPU > wall + 0.2 ms. One thread cannot run longer than the wall clock: an accounting artefact of
#             stolen time, the machine's
#   waited  : wall over half the period but CPU under it: the thread was preempted or blocked, not working
# Trace lines: "index start_epoch_ms wall_ms cpu_ms user_ms sys_ms minor_faults major_faults" and, from hosts that
# write them, "separator_ms parallel_ms jit_ms other_ms": the CPU the process's other threads got during the block
# (separator worker, separation helpers, JIT compilers, the rest). Each listed block shows them, and a table compares
# how often each group ran during the slowest blocks (wall at or over the p99.9) against during all the others: on two cores, a group that runs far more
# often around slow blocks than around the others is what the audio thread competed with.
# With JVMLOG (a JVM log written with decorators timemillis,tid, e.g. STEMROOM_JVM_OPTIONS=
# -Xlog:safepoint,gc,deoptimization=debug,jit+compilation=debug:file=JVMLOG:timemillis,tid) each listed block also gets
# the JVM events from 20 ms before it to its end, and AUDIO_TID (the host's audio_tid) counts deoptimizations taken
# on the audio thread: a block with none of these events around it had only the plugin's steady code to run.
# Usage: bench/plugin-trace-summary.sh TRACE [PERIOD_MS (default 512/48000 s)] [SKIP_FIRST_BLOCKS (default 0)]
#        [JVMLOG] [AUDIO_TID]
set -euo pipefail
trace="${1:?usage: $0 TRACE [PERIOD_MS] [SKIP]}"
period="${2:-$(awk 'BEGIN { printf "%.6f", 512 / 48000 * 1000 }')}"
skip="${3:-0}"
jvmlog="${4:-}"
audio_tid="${5:-}"
stat() { # column -> "mean p99 p99.9 max"
  awk -v s="$skip" -v c="$1" '$1 >= s { print $c }' "$trace" | sort -g | awk '
    { v[NR] = $1; sum += $1 }
    END { if (NR == 0) { print "0 0 0 0"; exit }
          i99 = int(NR * 0.99) + 1; i999 = int(NR * 0.999) + 1; if (i99 > NR) i99 = NR; if (i999 > NR) i999 = NR
          printf "%.4f %.4f %.4f %.4f\n", sum / NR, v[i99], v[i999], v[NR] }'
}
n=$(awk -v s="$skip" '$1 >= s' "$trace" | wc -l)
echo "trace $trace: $n blocks (first $skip skipped), period $period ms"
for col in 3:wall 4:cpu; do
  read -r mean p99 p999 max < <(stat "${col%%:*}")
  awk -v name="${col#*:}" -v a="$mean" -v b="$p99" -v c="$p999" -v d="$max" -v p="$period" 'BEGIN {
    printf "%-4s mean %.4f ms (%.2f %%)  p99 %.4f (%.2f %%)  p99.9 %.4f (%.2f %%)  max %.4f ms (%.2f %%)\n",
      name, a, 100 * a / p, b, 100 * b / p, c, 100 * c / p, d, 100 * d / p }'
done
awk -v s="$skip" -v p="$period" '
  $1 >= s {
    half = p / 2; w = $3; c = $4
    if (w > half || c > half) {
      over++
      if (c > w + 0.2) { steal++; kind = "cpu>wall" }
      else if (c > half) { code++; kind = "busy" }
      else { waited++; kind = "waited" }
      if (w > p) late++
      others = NF >= 12 ? sprintf("; CPU of other threads: separator %.2f, parallel %.2f, jit %.2f, rest %.2f ms", $9, $10, $11, $12) : ""
      if (shown < 25) { lines[++shown] = sprintf("  block %d at %.3f: wall %.3f ms, cpu %.3f (user %.3f sys %.3f), faults %d/%d: %s%s", $1, $2, w, c, $5, $6, $7, $8, kind, others); from[shown] = $2 - 20; to[shown] = $2 + w }
    }
    if (c <= w + 0.2 && c > maxcode) maxcode = c
  }
  END {
    printf "blocks over half the period (wall or CPU): %d (busy %d, cpu>wall %d, waited %d); over the whole period (wall): %d\n", over, code, steal, waited, late
    printf "largest CPU of a block whose CPU fits in its wall: %.4f ms (%.2f %%)\n", maxcode, 100 * maxcode / p
    for (i = 1; i <= shown; i++) printf "%s\t%.3f\t%.3f\n", lines[i], from[i], to[i]
  }' "$trace" | while IFS=$'\t' read -r line from to; do
  if [ -z "$from" ]; then echo "$line"; continue; fi
  echo "$line"
  if [ -n "$jvmlog" ] && [ -f "$jvmlog" ]; then
    # JVM lines look like "[1795648249392ms][12345] ...": events inside [block start - 20 ms, block end]
    awk -v a="$from" -v b="$to" 'match($0, /^\[[0-9]+ms\]/) { t = substr($0, 2, RLENGTH - 4) + 0; if (t >= a && t <= b + 1) { n++; if (n <= 3) print "      jvm: " substr($0, 1, 150) } }
      END { if (n == 0) print "      jvm: no safepoint, GC, compilation or deoptimization event around this block"; else if (n > 3) print "      jvm: ... " n " events in all" }' "$jvmlog"
  fi
done
if [ -n "$jvmlog" ] && [ -f "$jvmlog" ] && [ -n "$audio_tid" ]; then
  echo "deoptimizations on the audio thread (tid $audio_tid): $(grep -c "^\[[0-9]*ms\]\[$audio_tid\].*trap_bci" "$jvmlog" || true)"
fi
# who else ran during the slowest blocks (wall at or over the p99.9), against all other blocks (hosts that write the
# other threads' CPU)
read -r _ _ wall999 _ < <(stat 3)
awk -v s="$skip" -v thr="$wall999" '
  $1 >= s && NF >= 12 {
    slow = $3 >= thr
    n[slow]++
    for (g = 0; g < 4; g++) { v = $(9 + g); if (v > 0.05) ran[slow, g]++; sum[slow, g] += v }
  }
  END {
    if (n[0] + n[1] == 0) exit
    split("separator parallel jit rest", name, " ")
    printf "other threads running during a block (> 0.05 ms CPU): share of the slowest blocks (wall >= p99.9 %.3f ms: %d) vs all others (%d), mean ms\n", thr, n[1], n[0]
    for (g = 0; g < 4; g++)
      printf "  %-9s slow %5.1f %% (%.2f ms)   others %5.1f %% (%.2f ms)\n", name[g + 1],
        n[1] ? 100 * ran[1, g] / n[1] : 0, n[1] ? sum[1, g] / n[1] : 0, 100 * ran[0, g] / n[0], sum[0, g] / n[0]
  }' "$trace"
