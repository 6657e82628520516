#!/usr/bin/env bash
# Times whole jobs by stemroom and by a peer tool on the same input and prints a ratio table.
#
#   bench/peers.sh            # all rows
#   bench/peers.sh resample   # only rows whose function name contains "resample"
#
# Each row is a function named row_<something> that produces its inputs (under $WORK), times the stemroom
# job and the peer job with `seconds CMD...` (best of $PEERS_RUNS runs, wall clock) and calls
#   row "NAME" STEMROOM_SECONDS PEER_SECONDS "PEER"
# To add a row, write such a function below; it is picked up automatically. Ratio = stemroom / peer
# (below 1: stemroom is faster). Timings include process start (JVM start for stemroom, ~0.3 s).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
PEERS_RUNS="${PEERS_RUNS:-3}"

scripts/install-deps.sh bench
command -v ffmpeg >/dev/null || { echo "peers.sh: ffmpeg is missing (scripts/install-deps.sh bench)" >&2; exit 1; }

BENCH_JAR="$root/bench/target/benchmarks.jar"
STEMROOM_JAR="$root/workstation/target/stemroom.jar"
# a jar older than any source or pom is rebuilt too: a bench of a stale jar measures old code (session 13's lead
# benched the session-start jar once that way)
stale_jar() {
  [ -n "$(find "$root" \( -path "$root/*/target" -o -path "$root/.git" \) -prune -o \( -path '*/src/main/*' -o -name pom.xml \) \
    -type f -newer "$1" -print -quit)" ]
}
if [ ! -f "$BENCH_JAR" ] || [ ! -f "$STEMROOM_JAR" ] || [ -n "${PEERS_REBUILD:-}" ] || stale_jar "$BENCH_JAR" \
    || stale_jar "$STEMROOM_JAR"; then
  echo "peers.sh: building stemroom and the benchmarks (mvn -DskipTests package)" >&2
  mvn -q -B -ntp -DskipTests -pl bench,workstation -am package >&2
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/stemroom-peers.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# bench_java CLASS ARGS...: runs a main of the benchmarks jar
bench_java() { java -cp "$BENCH_JAR" "$@"; }
# stemroom ARGS...: the command line
stemroom() { java -jar "$STEMROOM_JAR" "$@"; }
# stemroom_launcher ARGS...: the command line as users run it, through ./stemroom and its JVM options
stemroom_launcher() { "$root/stemroom" "$@"; }

# seconds CMD...: best time of $PEERS_RUNS runs of CMD (its output is discarded). Wall clock by default;
# PEERS_CLOCK=cpu measures user+system CPU seconds instead, steadier on a shared, loaded machine (it counts
# every thread, so the JVM's JIT and GC threads are charged to stemroom).
seconds() {
  local best="" t0 t1 d cpu
  : > "$WORK/runs.txt" # every run's time, for rows that print the spread (room_row)
  for _ in $(seq "$PEERS_RUNS"); do
    if [ "${PEERS_CLOCK:-wall}" = cpu ]; then
      cpu=$( { TIMEFORMAT='%3U %3S'; time "$@" >/dev/null 2>&1 || echo "FAILED" >&2; } 2>&1 )
      case "$cpu" in *FAILED*) echo "peers.sh: failed: $*" >&2; return 1;; esac
      d=$(echo "$cpu" | awk '{ print $1 + $2 }')
    else
      t0=$(date +%s.%N)
      "$@" >/dev/null 2>&1 || { echo "peers.sh: failed: $*" >&2; return 1; }
      t1=$(date +%s.%N)
      d=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
    fi
    printf '%.3f ' "$d" >> "$WORK/runs.txt"
    if [ -z "$best" ] || awk -v d="$d" -v b="$best" 'BEGIN { exit !(d < b) }'; then best=$d; fi
  done
  printf '%.3f' "$best"
}

ROWS_PRINTED=0
row() { # row NAME STEMROOM_SECONDS PEER_SECONDS [PEER_NAME]
  if [ "$ROWS_PRINTED" = 0 ]; then
    printf '%-44s %10s %10s %7s  %s\n' "job" "stemroom" "peer" "ratio" "peer tool"
    printf '%-44s %10s %10s %7s  %s\n' "---" "--------" "----" "-----" "---------"
  fi
  ROWS_PRINTED=1
  printf '%-44s %9.3fs %9.3fs %6.2fx  %s\n' "$1" "$2" "$3" "$(awk -v s="$2" -v p="$3" 'BEGIN { print s / p }')" "${4:-}"
}

# One minute of stereo 44.1 kHz music-like signal, 32-bit float WAV (made once, shared by rows).
minute_stereo_44k1() {
  local f="$WORK/minute-44k1.wav"
  [ -f "$f" ] || bench_java org.stemroom.bench.TestSignal "$f" 60 44100 2
  echo "$f"
}

# ---------------------------------------------------------------- rows (core-dsp)

row_resample_44k1_to_48k() {
  local in; in="$(minute_stereo_44k1)"
  local s p
  s=$(seconds bench_java org.stemroom.bench.ResampleFile "$in" "$WORK/sr-48k.wav" 48000)
  p=$(seconds ffmpeg -nostdin -hide_banner -loglevel error -y -i "$in" -af aresample=48000:resampler=soxr \
      -c:a pcm_f32le "$WORK/ff-48k.wav")
  row "resample 1 min stereo 44.1k->48k (f32 WAV)" "$s" "$p" "ffmpeg aresample soxr"
  # the stemroom stage times of one run, for the kernel's share of the total
  bench_java org.stemroom.bench.ResampleFile "$in" "$WORK/sr-48k.wav" 48000 2>&1 | sed 's/^/    /' >&2
}

# ---------------------------------------------------------------- rows (core-io)

# The shared minute as 16-bit FLAC (flac -5, the tool's default), made once.
minute_flac16() {
  local f="$WORK/minute-16.flac"
  if [ ! -f "$f" ]; then
    ffmpeg -nostdin -hide_banner -loglevel error -y -i "$(minute_stereo_44k1)" -c:a pcm_s16le "$WORK/minute-16.wav"
    flac -s -f -5 -o "$f" "$WORK/minute-16.wav"
  fi
  echo "$f"
}

row_flac_decode() {
  command -v flac >/dev/null || { echo "peers.sh: flac is missing (scripts/install-deps.sh bench); skipping" >&2; return 0; }
  local in; in="$(minute_flac16)"
  local s p q
  s=$(seconds bench_java org.stemroom.bench.ConvertFile "$in" "$WORK/sr-dec.wav")
  p=$(seconds flac -s -d -f -o "$WORK/flac-dec.wav" "$in")
  q=$(seconds ffmpeg -nostdin -hide_banner -loglevel error -y -i "$in" -c:a pcm_s16le "$WORK/ff-dec.wav")
  row "FLAC decode 1 min stereo 16-bit -> WAV" "$s" "$p" "flac -d (libFLAC, MD5 checked)"
  row "FLAC decode 1 min stereo 16-bit -> WAV" "$s" "$q" "ffmpeg"
  # Same samples? (stemroom's header is 80 bytes with its RF64 reserve, flac's canonical one 44.)
  if cmp -s <(tail -c +81 "$WORK/sr-dec.wav") <(tail -c +45 "$WORK/flac-dec.wav"); then
    echo "    decoded samples identical to flac -d" >&2
  else
    echo "    WARNING: decoded samples differ from flac -d" >&2
  fi
}

# ---------------------------------------------------------------- rows (room-ir)
# Convolution with 3 s room IRs against ffmpeg's afir (default 8192-sample partitions, gtype=none so neither side
# rescales the IR), same input, same IR, same output length (afir stops with the input: stemroom gets --tail 0).
# Threads: stemroom --threads N (outputs of each block shared over threads, same bits); ffmpeg -filter_threads N
# -threads N (afir's slice threading over channels; stemroom uses one thread below 2 minutes of input, see
# ConvolutionRender.HELPERS_FROM_SECONDS). After each row the output levels of both are compared. Not the same work
# in one respect: stemroom forces its output to the disk before the atomic rename (fsync), afir does not.

room_inputs() {
  local d="$WORK/room"
  [ -f "$d/ir-6ch-3s.wav" ] || { mkdir -p "$d"; bench_java org.stemroom.bench.room.RoomBenchInputs "$d"; }
  # the first convolve after a build writes the launcher's class-data archive at exit, and the first after a JDK
  # update (or ever) makes its java.base runtime (slower): one convolve per bench run is not timed
  [ -f "$d/archive-run.wav" ] || stemroom_launcher convolve "$d/mono-60s.wav" --ir "$d/ir-6ch-3s.wav" --tail 0 -q \
      -o "$d/archive-run.wav" >&2
  echo "$d"
}

# room_row NAME THREADS INPUT IR PREFILTER
room_row() {
  local name="$1" threads="$2" in="$3" ir="$4" pre="$5" s p clock other=cpu
  # both clocks in one run (the issue's target is a throughput ratio; the CPU clock is the steadier under load)
  [ "${PEERS_CLOCK:-wall}" = cpu ] && other=wall
  local runs_s runs_p spread=""
  for clock in "${PEERS_CLOCK:-wall}" "$other"; do
    s=$(PEERS_CLOCK=$clock seconds stemroom_launcher convolve "$in" --ir "$ir" --wet 1 --dry 0 --normalize none --tail 0 \
        --threads "$threads" -q -o "$WORK/room/ours.wav")
    runs_s=$(cat "$WORK/runs.txt")
    p=$(PEERS_CLOCK=$clock seconds ffmpeg -nostdin -hide_banner -loglevel error -y -threads "$threads" \
        -filter_threads "$threads" -i "$in" -i "$ir" -filter_complex "${pre}afir=gtype=none[out]" -map "[out]" \
        -c:a pcm_f32le "$WORK/room/peer.wav")
    runs_p=$(cat "$WORK/runs.txt")
    # every run, not only the best: the issue's target is the ratio in every rerun, so the spread matters
    spread="$spread    every run ($clock): stemroom ${runs_s}| afir ${runs_p}"$'\n'
    if [ "$clock" = "${PEERS_CLOCK:-wall}" ]; then
      row "$name" "$s" "$p" "ffmpeg afir ($threads thread(s))"
      local first_p="$p"
    else
      row "${name/convolve /convolve $clock, }" "$s" "$p" "ffmpeg afir ($threads thread(s))"
    fi
  done
  printf '%s' "$spread" >&2
  p="$first_p"
  # the command's own report (render time without JVM start) and the level comparison, on stderr
  stemroom convolve "$in" --ir "$ir" --wet 1 --dry 0 --normalize none --tail 0 --threads "$threads" \
      -o "$WORK/room/ours.wav" 2>&1 | sed 's/^/    /' >&2
  echo "    (stemroom fsyncs its output before renaming it into place; afir does not)" >&2
  bench_java org.stemroom.bench.room.CompareLevels "$WORK/room/ours.wav" "$WORK/room/peer.wav" 2>&1 | sed 's/^/    /' >&2
  room_engine_only "$threads" "$in" "$ir" "$pre" "$p"
}

# The engines apart from process start and file I/O: stemroom's engine alone in-process (EngineThroughput: warm JIT,
# no files), afir's as its job minus the same ffmpeg job with anull in place of afir (decode, encode, start).
# Both in input frames per second of the same clock as the rows ($PEERS_CLOCK).
room_engine_only() {
  local threads="$1" in="$2" ir="$3" pre="$4" p="$5" floor case frames
  floor=$(seconds ffmpeg -nostdin -hide_banner -loglevel error -y -threads "$threads" -filter_threads "$threads" \
      -i "$in" -i "$ir" -filter_complex "${pre%\[1:a\]}anull[out]" -map "[out]" -c:a pcm_f32le "$WORK/room/floor.wav")
  case "$ir" in *6ch*) case=mono-to-6;; *) case=stereo;; esac
  frames=2880000
  bench_java org.stemroom.bench.room.EngineThroughput "$case" "$threads" 2>&1 | sed 's/^/    /' >&2
  awk -v p="$p" -v f="$floor" -v n="$frames" -v clock="${PEERS_CLOCK:-wall}" 'BEGIN {
    d = p - f; if (d <= 0) { printf "    afir engine only: not measurable (afir job %.3f s, anull job %.3f s)\n", p, f; exit }
    printf "    afir engine only (%s): %.3f s = afir job %.3f s - anull job %.3f s: %.2f M frames/s\n", clock, d, p, f, n / d / 1e6 }' >&2
}

row_room_convolve_stereo_1thread() {
  local d; d="$(room_inputs)"
  room_row "convolve 1 min stereo, 3 s stereo IR, 1 thr" 1 "$d/stereo-60s.wav" "$d/ir-stereo-3s.wav" "[0:a][1:a]"
  # the floors: JVM start plus the full command-line parser (picocli), no audio; and the same job on one second of
  # the input (JVM start, the quick argument path, reading and preparing the IR, the threads, the files)
  echo "    start-up floor (stemroom convolve --help): $(seconds stemroom_launcher convolve --help) s" >&2
  [ -f "$d/stereo-1s.wav" ] || ffmpeg -nostdin -hide_banner -loglevel error -y -i "$d/stereo-60s.wav" -t 1 \
      -c:a pcm_f32le "$d/stereo-1s.wav"
  echo "    floor of the job (the same convolve of 1 s of the input): $(seconds stemroom_launcher convolve \
      "$d/stereo-1s.wav" --ir "$d/ir-stereo-3s.wav" --wet 1 --dry 0 --normalize none --tail 0 --threads 1 -q \
      -o "$WORK/room/ours1s.wav") s" >&2
}

row_room_convolve_stereo_2threads() {
  local d; d="$(room_inputs)"
  room_row "convolve 1 min stereo, 3 s stereo IR, 2 thr" 2 "$d/stereo-60s.wav" "$d/ir-stereo-3s.wav" "[0:a][1:a]"
}

# one channel into six outputs: afir needs as many input channels as IR channels, so its input is the mono
# signal copied to six channels first (part of the job for afir; stemroom transforms the input once)
row_room_convolve_mono_to_6_1thread() {
  local d; d="$(room_inputs)"
  room_row "convolve 1 min mono -> 6 outputs, 3 s IR, 1 thr" 1 "$d/mono-60s.wav" "$d/ir-6ch-3s.wav" \
      "[0:a]pan=5.1|c0=c0|c1=c0|c2=c0|c3=c0|c4=c0|c5=c0[up];[up][1:a]"
}

row_room_convolve_mono_to_6_2threads() {
  local d; d="$(room_inputs)"
  room_row "convolve 1 min mono -> 6 outputs, 3 s IR, 2 thr" 2 "$d/mono-60s.wav" "$d/ir-6ch-3s.wav" \
      "[0:a]pan=5.1|c0=c0|c1=c0|c2=c0|c3=c0|c4=c0|c5=c0[up];[up][1:a]"
}

# Ten-minute versions (PEERS_LONG=1): the same jobs where JVM start and JIT warm-up are amortized, to check that
# start-up choices (launcher flags, code shapes) do not make long renders slower. Input: the minute ten times.
ten_minutes() { # ten_minutes IN OUT
  [ -f "$2" ] || { for _ in 1 2 3 4 5 6 7 8 9 10; do echo "file '$1'"; done > "$2.txt"
    ffmpeg -nostdin -hide_banner -loglevel error -y -f concat -safe 0 -i "$2.txt" -c:a pcm_f32le "$2"; }
  echo "$2"
}

row_room_convolve_stereo_10min() {
  [ -n "${PEERS_LONG:-}" ] || return 0
  local d; d="$(room_inputs)"
  local in; in="$(ten_minutes "$d/stereo-60s.wav" "$d/stereo-600s.wav")"
  local s p
  s=$(seconds stemroom_launcher convolve "$in" --ir "$d/ir-stereo-3s.wav" --wet 1 --dry 0 --normalize none --tail 0 \
      --threads 1 -q -o "$WORK/room/ours10.wav")
  p=$(seconds ffmpeg -nostdin -hide_banner -loglevel error -y -threads 1 -filter_threads 1 -i "$in" \
      -i "$d/ir-stereo-3s.wav" -filter_complex "[0:a][1:a]afir=gtype=none[out]" -map "[out]" -c:a pcm_f32le \
      "$WORK/room/peer10.wav")
  row "convolve 10 min stereo, 3 s stereo IR, 1 thr" "$s" "$p" "ffmpeg afir (1 thread)"
  rm -f "$WORK/room/ours10.wav" "$WORK/room/peer10.wav"
}

# ---------------------------------------------------------------- rows (spatializer)

# One minute of a 48 kHz stereo "mastered" mix with a centred vocal-like voice (plus that voice alone).
minute_upmix_mix() {
  local f="$WORK/upmix-mix.wav"
  [ -f "$f" ] || bench_java org.stemroom.bench.UpmixBench mix "$f" "$WORK/upmix-voice.wav" 60 48000
  echo "$f"
}

row_upmix_stereo_to_5_1() {
  local in; in="$(minute_upmix_mix)"
  local s x p
  s=$(seconds stemroom_launcher upmix "$in" --layout 5.1 -q -o "$WORK/up-stemroom.wav")
  x=$(seconds stemroom_launcher upmix "$in" --layout 5.1 --exact-folddown -q -o "$WORK/up-stemroom-exact.wav")
  p=$(seconds ffmpeg -nostdin -hide_banner -loglevel error -y -i "$in" -af surround=chl_out=5.1 \
      -c:a pcm_f32le "$WORK/up-ffmpeg.wav")
  row "upmix 1 min stereo->5.1 (f32 WAV)" "$s" "$p" "ffmpeg surround=chl_out=5.1"
  row "upmix 1 min stereo->5.1 --exact-folddown" "$x" "$p" "ffmpeg surround=chl_out=5.1"
  # Issue 4 asks for "at least as fast" by wall and by CPU: the other clock's rows too, so one run prints both.
  local other=cpu
  [ "${PEERS_CLOCK:-wall}" = cpu ] && other=wall
  s=$(PEERS_CLOCK=$other seconds stemroom_launcher upmix "$in" --layout 5.1 -q -o "$WORK/up-stemroom.wav")
  x=$(PEERS_CLOCK=$other seconds stemroom_launcher upmix "$in" --layout 5.1 --exact-folddown -q -o "$WORK/up-stemroom-exact.wav")
  p=$(PEERS_CLOCK=$other seconds ffmpeg -nostdin -hide_banner -loglevel error -y -i "$in" -af surround=chl_out=5.1 \
      -c:a pcm_f32le "$WORK/up-ffmpeg.wav")
  row "upmix 1 min stereo->5.1, $other clock" "$s" "$p" "ffmpeg surround=chl_out=5.1"
  row "upmix 1 min --exact-folddown, $other clock" "$x" "$p" "ffmpeg surround=chl_out=5.1"
  # quality: the fold-down of each against the input per octave band, and where the centred voice went
  bench_java org.stemroom.bench.UpmixBench compare "$in" "$WORK/upmix-voice.wav" \
      stemroom="$WORK/up-stemroom.wav" stemroom-exact="$WORK/up-stemroom-exact.wav" ffmpeg="$WORK/up-ffmpeg.wav" >&2
}

row_upmix_stereo_to_5_1_10min() {
  [ -n "${PEERS_LONG:-}" ] || return 0
  local in; in="$(ten_minutes "$(minute_upmix_mix)" "$WORK/upmix-mix-600s.wav")"
  local s p
  s=$(seconds stemroom_launcher upmix "$in" --layout 5.1 -q -o "$WORK/up10-stemroom.wav")
  p=$(seconds ffmpeg -nostdin -hide_banner -loglevel error -y -i "$in" -af surround=chl_out=5.1 \
      -c:a pcm_f32le "$WORK/up10-ffmpeg.wav")
  row "upmix 10 min stereo->5.1 (f32 WAV)" "$s" "$p" "ffmpeg surround=chl_out=5.1"
  rm -f "$WORK/up10-stemroom.wav" "$WORK/up10-ffmpeg.wav"
}

row_loudness_info() {
  local in; in="$(minute_stereo_44k1)"
  local s p
  s=$(seconds stemroom info --quiet "$in")
  p=$(seconds ffmpeg -nostdin -hide_banner -nostats -i "$in" -af ebur128=peak=true -f null -)
  row "loudness+true peak, 1 min stereo (info)" "$s" "$p" "ffmpeg ebur128 peak=true"
}

# ---------------------------------------------------------------- rows (workstation)
# The whole job: a one-minute stereo master rendered to 5.1 by the default pipeline (model-free separation into
# four stems, placement, per-stem convolution with a 2.5 s six-channel room, sum, loudness/true-peak master
# stage, every file of the render written: stems, placed stems, mix, render.json, report) against ffmpeg doing
# only a surround upmix and one afir convolution with the same IR (a lower bound: no separation, no stems).
# Targets: ratio < 3 and stemroom >= 10x real time on 2 cores.
row_workstation_render_stereo_to_5_1() {
  local in; in="$(minute_upmix_mix)"
  local d; d="$(room_inputs)"
  local ir="$WORK/room-6ch-2.5s.wav"
  [ -f "$ir" ] || ffmpeg -nostdin -hide_banner -loglevel error -y -i "$d/ir-6ch-3s.wav" -af atrim=end=2.5 \
      -c:a pcm_f32le "$ir"
  local s p
  # the render as users run it: through the launcher and its JVM options. The first render after a build writes the
  # launcher's class-data archive at exit (slower): that run is not timed.
  [ "$root/workstation/target/cds/render.jsa" -nt "$STEMROOM_JAR" ] || stemroom_launcher render "$in" \
      --preset surround-audience --layout 5.1 --room "$ir" -q -o "$WORK/render-5.1-first" >/dev/null 2>&1
  rm -rf "$WORK/render-5.1-first"
  s=$(seconds stemroom_launcher render "$in" --preset surround-audience --layout 5.1 --room "$ir" -q -o "$WORK/render-5.1")
  local runs_s; runs_s=$(cat "$WORK/runs.txt")
  p=$(seconds ffmpeg -nostdin -hide_banner -loglevel error -y -i "$in" -i "$ir" \
      -filter_complex "[0:a]surround=chl_out=5.1[s];[s][1:a]afir=gtype=none[out]" -map "[out]" -c:a pcm_f32le \
      "$WORK/ff-render-5.1.wav")
  row "render 1 min stereo->5.1, 2.5 s room (full)" "$s" "$p" "ffmpeg surround + afir"
  echo "    every run (best is the row's): stemroom ${runs_s}s; ffmpeg $(cat "$WORK/runs.txt")s" >&2
  awk -v s="$s" -v clk="${PEERS_CLOCK:-wall}" \
      'BEGIN { printf "    stemroom render: %.1fx real time by the %s clock (target >= 10x by wall clock)\n", 60 / s, clk }' >&2
  # one more run with the render's own stage split (wall and process CPU seconds per stage), and the whole
  # process's user+system CPU seconds, for the closing note
  local cpu
  cpu=$( { TIMEFORMAT='%3U %3S'; time stemroom_launcher render "$in" --preset surround-audience --layout 5.1 --room "$ir" -q \
      --timings -o "$WORK/render-5.1-timed" > "$WORK/render-timings.txt" 2>&1; } 2>&1 )
  sed -n '/stage/,$p' "$WORK/render-timings.txt" | sed 's/^/    /' >&2
  echo "$cpu" | awk '{ printf "    whole process: %.2f CPU-s (user %.2f + system %.2f)\n", $1 + $2, $1, $2 }' >&2
}

# ---------------------------------------------------------------- rows of other areas go here

# ---------------------------------------------------------------- run
filter="${1:-}"
for fn in $(declare -F | awk '{print $3}' | grep '^row_' ); do
  if [ -z "$filter" ] || [[ "$fn" == *"$filter"* ]]; then "$fn"; fi
done
echo "(best of $PEERS_RUNS runs each; ${PEERS_CLOCK:-wall} clock on $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg) at the end)"
