#!/usr/bin/env bash
# Plugin bench for a machine with many cores and no neighbours (issue 7's slowest-block figure, which the shared 2-core
# VM cannot show: its own jitter control has periods over 5 ms). INSTANCES test hosts run at once, each pinned to its
# own pair of cores (the 2-core machine the target is set for, INSTANCES times over), each driving the VST3 bundle
# exactly as bench/plugin-bench.sh does (48 kHz, 512 frames, stereo in, 5.1 out, the scoring-stage room, the bench
# preset, SCHED_FIFO audio thread, one block per block period), BLOCKS blocks each. Beside them, one rt_jitter control
# per instance, pinned to a core of its own and paced the same way, over the same minutes: its slow periods are the
# machine's. The blocks of all instances are pooled (mean, p99, p99.9, max, how many over half the period), and each
# instance's trace is summarized by bench/plugin-trace-summary.sh. Each block over half the period is then lined up
# with the machine: the steal on its instance's two cores (sampled every 100 ms into steal.txt) and the controls'
# slowest period beside it; one with neither is counted as the plugin's own.
# The instances share the machine's last-level cache and memory bandwidth, so the pooled figures are, if anything,
# pessimistic against one instance alone on a 2-core machine.
# CONTROL=companion gives each control a pair of cores and rt_jitter's worker-shaped companion thread (60 ms of
# memory-heavy work every 750 ms on the pair's other core), the plugin's own shape without the JVM: a machine that
# slows a busy pair (a host scheduling its busier virtual CPUs less) slows these controls as it slows the plugin.
# Each instance also writes the plugin's per-block stage times (BlockStageTimes: separator, placement, room, mix)
# into stages-N.txt, and each slow block is listed with them: slow in every stage at once is the machine's doing,
# slow in one stage is that stage's work.
# Each instance's blocks are also split by whether the separator's worker ran during them (over 0.05 ms of its CPU,
# the trace's column 9): blocks over 2 and 3.5 ms of audio-thread CPU and the room stage's mean, with and without.
# INSTANCE_OPTIONS="i=OPTS;j=OPTS" adds JVM options to those instances only (e.g. "1=-Dname=value;3=-Dname=value"):
# one variant beside the other in the same minutes, on the same machine.
# Usage: [INSTANCES=4] [COLD=3] [CONTROL=plain|companion] [INSTANCE_OPTIONS="i=OPTS;..."] [OUTDIR=dir] [BUNDLE=dir]
#        [HOST=file] [JITTER_BIN=file] [STEMROOM_JAVA_HOME=jdk] bench/plugin-bench-pinned.sh [BLOCKS (default 25000)]
# Needs 3 x INSTANCES cores (4 x INSTANCES with CONTROL=companion), taskset, and the rights to run SCHED_FIFO threads (root, or rtprio in limits.conf). Root
# in a cgroup without a real-time budget is refused too (seen on a Firecracker VM: the shell's cgroup was
# /process_api/...): there, first `echo $$ > /sys/fs/cgroup/cgroup.procs` (cgroup v2's root has the budget).
# Without SCHED_FIFO the audio thread shares its two cores with the JIT compilers and the separator's worker as an
# equal, and its slow blocks are theirs: the verdict is then withheld.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
blocks="${1:-25000}"
instances="${INSTANCES:-4}"
cold="${COLD:-3}"
control="${CONTROL:-plain}"
case "$control" in
  plain) per_control=1; companion=() ;;
  companion) per_control=2; companion=(--companion memory) ;;
  *) echo "plugin-bench-pinned: CONTROL must be plain or companion, not $control" >&2; exit 2 ;;
esac
bundle="${BUNDLE:-plugin-shim/target/stemroom.vst3}"
host="${HOST:-plugin-shim/target/native/vst3_host}"
jitter="${JITTER_BIN:-plugin-shim/target/native/rt_jitter}"
outdir="${OUTDIR:-$(mktemp -d)}"
preset=bench/plugin-bench-preset.json
period_ms=$(awk 'BEGIN { printf "%.6f", 512 / 48000 * 1000 }')
cores=$(nproc)
command -v taskset >/dev/null || { echo "plugin-bench-pinned: taskset (util-linux) is needed" >&2; exit 2; }
if [ "$cores" -lt $(((2 + per_control) * instances)) ]; then
  echo "plugin-bench-pinned: $instances instances need $(((2 + per_control) * instances)) cores (2 each plus $per_control for each $control control); this machine has $cores" >&2
  exit 2
fi
for f in "$host" "$jitter" "$bundle/Contents/x86_64-linux/stemroom.so"; do
  [ -e "$f" ] || { echo "plugin-bench-pinned: $f is missing (build with: mvn -B -ntp -DskipTests package -pl plugin-shim -am)" >&2; exit 2; }
done
mkdir -p "$outdir"
echo "machine: $cores cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)"
echo "kernel: $(uname -r); load average: $(cut -d' ' -f1-3 /proc/loadavg); steal (jiffies, all cores): $(awk '/^cpu / { print $9 }' /proc/stat)"

echo "== cold instantiation on cores 0,1 (fresh process, JVM start included), $cold runs"
for i in $(seq 1 "$cold"); do
  STEMROOM_TRACE=1 taskset -c 0,1 "$host" run "$bundle" --blocks 1 --state-in "$preset" 2>"$outdir/cold-$i.err" \
    | tee "$outdir/cold-$i.out" | awk -F= '/^cold_start_ms=/ { w = $2 } /^cold_start_cpu_ms=/ { c = $2 }
        /^jvm_path=/ { j = $2 } /^status=/ { s = $2 } END { printf "  cold start %s ms wall, %s ms CPU; status %s; JVM %s\n", w, c, s, j }'
done
grep -q '^status=running' "$outdir/cold-1.out" || { echo "plugin-bench-pinned: the plugin did not start its engine (see $outdir/cold-1.err)" >&2; tail -20 "$outdir/cold-1.err" >&2; exit 1; }
# the JVM's deoptimization log names which deoptimizations hit the audio thread; JDK 17 has no such log tag, and an
# option the JVM refuses would leave the plugin passing audio through, so ask the JVM the plugin found first
java_bin="$(dirname "$(dirname "$(dirname "$(sed -n 's/^jvm_path=//p' "$outdir/cold-1.out")")")")/bin/java"
deopt_opts() { :; }
if "$java_bin" -Xlog:deoptimization=debug -version >/dev/null 2>&1; then
  deopt_opts() { echo "-Xlog:deoptimization=debug:file=$outdir/deopt-$1.log:timemillis,tid"; }
else
  echo "  ($java_bin has no deoptimization log: deoptimizations are not counted)"
fi

echo "== $instances instances x $blocks paced blocks (cores 0-$((2 * instances - 1)) in pairs), $instances $control controls (cores $((2 * instances))-$(((2 + per_control) * instances - 1)))"
# Every 100 ms, each core's steal (the hypervisor running someone else on it, in jiffies of 10 ms) into steal.txt:
# "epoch_ms steal_cpu0 steal_cpu1 ...", so that each slow block can be lined up with the steal on its own two cores
# (the machine-wide total before and after cannot say which block it hit). On the last core, away from the runs.
sample_steal() {
  while :; do
    local line="${EPOCHREALTIME/./}" name user nice sys idle iow irq sirq steal rest
    line="${line:0:-3}"
    while read -r name user nice sys idle iow irq sirq steal rest; do
      case "$name" in cpu[0-9]*) line+=" $steal" ;; esac
    done </proc/stat
    echo "$line"
    sleep 0.1
  done
}
sample_steal >"$outdir/steal.txt" &
sampler=$!
taskset -pc $((cores - 1)) "$sampler" >/dev/null 2>&1 || true
start=$(date +%s)
pids=()
for i in $(seq 0 $((instances - 1))); do
  extra=""
  IFS=';' read -ra per <<<"${INSTANCE_OPTIONS:-}"
  for kv in "${per[@]}"; do [ "${kv%%=*}" = "$i" ] && extra+=" ${kv#*=}"; done
  env STEMROOM_JVM_OPTIONS="$(deopt_opts "$i")$extra" STEMROOM_STAGE_TRACE="$outdir/stages-$i.txt" \
    taskset -c $((2 * i)),$((2 * i + 1)) "$host" run "$bundle" --blocks "$blocks" --block 512 --in-ch 2 --out-ch 6 \
    --state-in "$preset" --rt 70 --pace 1 --trace "$outdir/trace-$i.txt" >"$outdir/host-$i.out" 2>"$outdir/host-$i.err" &
  pids+=($!)
  first=$((2 * instances + per_control * i))
  taskset -c "$first-$((first + per_control - 1))" "$jitter" --periods "$blocks" --work-ms 0.7 --rt 70 "${companion[@]}" \
    --trace "$outdir/jitter-$i.txt" >"$outdir/jitter-$i.out" 2>&1 &
  pids+=($!)
done
failed=0
for p in "${pids[@]}"; do wait "$p" || failed=1; done
kill "$sampler" 2>/dev/null || true
echo "  ran $(( $(date +%s) - start )) s; load average now $(cut -d' ' -f1-3 /proc/loadavg); steal now $(awk '/^cpu / { print $9 }' /proc/stat)"
[ "$failed" = 0 ] || echo "  a process exited non-zero (see $outdir)"

echo "== each instance"
for i in $(seq 0 $((instances - 1))); do
  tid="$(sed -n 's/^audio_tid=//p' "$outdir/host-$i.out")"
  deopts="not logged"
  [ -n "$tid" ] && [ -f "$outdir/deopt-$i.log" ] && deopts="$(grep -c "^\[[0-9]*ms\]\[$tid\].*trap_bci" "$outdir/deopt-$i.log" || true)"
  # an engine that failed to start passes audio through in microseconds: its blocks must not count as a pass
  grep -q '^rt_refused=1' "$outdir/host-$i.out" && { echo "  instance $i: SCHED_FIFO was refused (see the usage notes above)"; failed=1; }
  grep -q '^status_after=running' "$outdir/host-$i.out" || { echo "  instance $i: the engine was not running: $(sed -n 's/^status_after=//p' "$outdir/host-$i.out")"; failed=1; }
  awk -F= -v i="$i" -v d="$deopts" '
    /^blocks=/ { b = $2 } /^block_mean_ms=/ { m = $2 } /^block_max_ms=/ { x = $2 } /^blocks_over_half_period=/ { h = $2 }
    /^block_cpu_max_ms=/ { c = $2 } /^status_after=/ { s = $2 } /^rt_refused=/ { r = $2 } /^process_failed=/ { f = $2 }
    END { printf "  instance %s: %s blocks, mean %.4f ms, max %.4f ms (audio-thread CPU max %.4f), over half %s, deopts on the audio thread %s, failed %s%s; %s\n",
                 i, b, m, x, c, h, d, f, (r ? ", SCHED_FIFO REFUSED" : ""), s }' "$outdir/host-$i.out"
  bench/plugin-trace-summary.sh "$outdir/trace-$i.txt" "$period_ms" 0 "" "$tid" >"$outdir/summary-$i.txt" 2>&1 || true
  # blocks 2000 on (past the start), with and without the separator's worker running during them
  extra=""
  for kv in "${per[@]}"; do [ "${kv%%=*}" = "$i" ] && extra+=" ${kv#*=}"; done
  awk -v sf="$outdir/stages-$i.txt" -v opts="${extra:- (no extra options)}" '
    BEGIN { rows = 0; while ((getline line < sf) > 0) if (line !~ /^#/) { split(line, f, " "); room[rows++] = f[5] } }
    { tr[NR - 1] = $0; n = NR }
    END { off = rows - n
      for (j = 0; j < n; j++) { split(tr[j], f, " "); if (f[1] < 2000) continue
        w = (f[9] > 0.05) ? "with" : "without"; c[w]++; cpu[w] += f[4]; if (f[4] > 2) o2[w]++; if (f[4] > 3.5) o35[w]++
        if (f[4] > mx[w]) mx[w] = f[4]; r = off + f[1]; if (r >= 0 && r < rows) { rs[w] += room[r]; rn[w]++ } }
      printf "    JVM options%s; blocks from 2000:", opts
      for (k = 1; k <= 2; k++) { w = k == 1 ? "without" : "with"
        printf " %s the worker running %d, CPU mean %.3f max %.3f ms, over 2 ms %d, over 3.5 ms %d, room mean %.3f%s",
          w, c[w], c[w] ? cpu[w] / c[w] : 0, mx[w], o2[w] + 0, o35[w] + 0, rn[w] ? rs[w] / rn[w] : 0, k == 1 ? ";" : "\n" } }' "$outdir/trace-$i.txt"
done

echo "== pooled over all instances' blocks (wall of process(), and the audio thread's own CPU), period $period_ms ms"
cat "$outdir"/trace-*.txt | awk -v p="$period_ms" '{ print $3, $4 }' | sort -g -k1,1 | awk -v p="$period_ms" -v ok="$((1 - failed))" '
  { w[NR] = $1; sw += $1; sc += $2; if ($2 > mc) mc = $2; if ($1 > p / 2) half++; if ($1 > p) full++ }
  END {
    n = NR; if (n == 0) { print "  no blocks traced"; exit 1 }
    printf "  blocks %d; wall mean %.4f ms = %.2f %%; p99 %.4f = %.2f %%; p99.9 %.4f = %.2f %%; max %.4f = %.2f %% of the period\n",
      n, sw / n, 100 * sw / n / p, w[int(n * 0.99)], 100 * w[int(n * 0.99)] / p, w[int(n * 0.999)], 100 * w[int(n * 0.999)] / p, w[n], 100 * w[n] / p
    printf "  audio-thread CPU mean %.4f ms = %.2f %%, max %.4f ms = %.2f %%; blocks over half the period: %d; over the whole period: %d\n",
      sc / n, 100 * sc / n / p, mc, 100 * mc / p, half + 0, full + 0
    printf "  target: mean < 15 %% and max < 50 %% of the period: %s\n", !ok ? "no verdict (a run failed or ran without SCHED_FIFO, above)" : (100 * sw / n / p < 15 && w[n] < p / 2) ? "met" : "NOT met" }'

echo "== $control controls (rt_jitter, 0.7 ms of fixed arithmetic per period, paced and prioritised as the audio threads$([ "$control" = companion ] && echo "; a worker-shaped companion on the pair's other core"))"
for i in $(seq 0 $((instances - 1))); do
  awk -F= -v i="$i" '{ v[$1] = $2 } END { printf "  control %s: %s periods, median %s ms, p99.9 %s, max %s; over 2 ms %s, over 5 ms %s, over 10 ms %s%s\n",
    i, v["periods"], v["wall_median_ms"], v["wall_p999_ms"], v["wall_max_ms"], v["periods_over_2ms"], v["periods_over_5ms"], v["periods_over_10ms"],
    ("companion" in v) ? sprintf(" (over 2 ms with the companion running %s, without %s; companion ran in %s periods)", v["periods_over_2ms_with_companion"], v["periods_over_2ms_without_companion"], v["periods_with_companion"]) : "" }' "$outdir/jitter-$i.out"
done
echo "== each block over half the period, lined up with the machine (steal on its instance's two cores from the 100 ms"
echo "   samples around it, in jiffies of 10 ms; the controls' slowest period overlapping it, ±1 period, any core)"
# a block over half the period with no steal on its cores and no control stalled beside it is the plugin's own
for i in $(seq 0 $((instances - 1))); do
  # the plugin's stage times of each slow block (the stage file's last blocks are the trace's blocks, in order) and
  # each stage's median over the instance's blocks
  stages="$outdir/stages-$i.txt"
  medians="- - - -"
  if [ -f "$stages" ]; then
    medians="$(for c in 3 4 5 6; do grep -v '^#' "$stages" | awk -v c="$c" '{ print $c }' | sort -g \
      | awk '{ v[NR] = $1 } END { printf "%s ", NR ? v[int((NR + 1) / 2)] : "-" }'; done)"
  fi
  awk -v i="$i" -v p="$period_ms" -v sf="$stages" -v n="$(wc -l <"$outdir/trace-$i.txt")" -v med="$medians" '
    BEGIN { rows = 0; while ((getline line < sf) > 0) if (line !~ /^#/) { split(line, f, " "); sr[rows++] = f[3] " " f[4] " " f[5] " " f[6] }
            off = rows - n }
    $3 > p / 2 { r = off + $1; print i, $1, $2, $3, $4, ((rows && r >= 0 && (r in sr)) ? sr[r] : "- - - -"), med }' "$outdir/trace-$i.txt"
done | awk -v p="$period_ms" -v steal="$outdir/steal.txt" -v controls="$(ls "$outdir"/jitter-*.txt 2>/dev/null | tr '\n' ' ')" '
  BEGIN {
    ns = 0
    while ((getline line < steal) > 0) { n = split(line, f, " "); ns++; st[ns] = f[1]; for (c = 2; c <= n; c++) sv[ns, c - 2] = f[c] }
    nc = split(controls, cf, " "); nj = 0
    for (k = 1; k <= nc; k++) while ((getline line < cf[k]) > 0) { split(line, f, " "); if (f[3] > 2) { nj++; jt[nj] = f[2]; jw[nj] = f[3] } }
  }
  { inst = $1; t0 = $3; t1 = $3 + $4; stolen = 0
    a = 0; b = 0
    for (s = 1; s <= ns; s++) { if (st[s] <= t0) a = s; if (st[s] >= t1 && !b) b = s }
    if (a && b) for (c = 2 * inst; c <= 2 * inst + 1; c++) stolen += sv[b, c] - sv[a, c]
    worst = 0
    for (k = 1; k <= nj; k++) if (jt[k] < t1 + p && jt[k] + jw[k] > t0 - p && jw[k] > worst) worst = jw[k]
    why = stolen > 0 || worst > p / 2 ? "the machine" : (worst > 2 ? "unclear" : "the plugin")
    if (why == "the plugin") own++; else if (why == "the machine") machine++; else unclear++
    printf "  instance %d block %d: wall %.3f ms, CPU %.3f; steal on its cores %s jiffies (over %.0f ms of samples); controls: slowest period %s ms -> %s\n",
      inst, $2, $4, $5, (a && b ? stolen : "?"), (a && b ? st[b] - st[a] : 0), (worst ? sprintf("%.3f", worst) : "none over 2"), why
    if ($6 != "-") {
      split("separator placement room mix", name, " "); line = "    stages (ms, and times the instance median):"; top = 0; excess = 0
      for (k = 1; k <= 4; k++) { v = $(5 + k); m = $(9 + k); x = v - m; excess += x > 0 ? x : 0; if (x > topx || !top) { top = k; topx = x }
        line = line sprintf(" %s %.3f (x%.1f)", name[k], v, (m > 0 ? v / m : 0)) }
      printf "%s; %.0f %% of the excess over the medians in %s\n", line, (excess > 0 ? 100 * topx / excess : 0), name[top] }
  }
  END { printf "  blocks over half the period: %d with steal on their cores or a control over half the period beside them (the machine), %d with a control over 2 ms (unclear), %d with neither (the plugin)\n", machine, unclear, own }'
echo "files: $outdir"
exit "$failed"
