#!/usr/bin/env python3
"""Timeline of one render: which of its threads run, and when at most one of them can.

Usage: bench/render-timeline.py [--root CHECKOUT] [--bin MS] [--keep DIR] IN.wav -- RENDER-ARGS...
   or: bench/render-timeline.py --data perf.data [--bin MS]

Runs `CHECKOUT/stemroom render IN.wav RENDER-ARGS... -o DIR` under `perf sched record` (every context switch and
wake-up of every thread on the machine, root or perf_event_paranoid <= 1), then replays those events for the render's
JVM: per instant, which of its threads are runnable (running or waiting for a core). A stretch where at most one of
them is runnable is one in which a quiet 2-core machine leaves a core idle: the render's wall clock beyond its CPU
(session 26, docs/render-speed-history.md). Prints
- each thread's CPU, and the time it was runnable but not running (the machine's other load);
- the render's CPU split by how many of its threads were runnable meanwhile (k = 0, 1, 2, 3 or more);
- the phases: (a) the start up to separation's first window, (b) separation, (c) the placing thread's tail and
  what runs after it, in wall ms;
- every stretch of at least 15 ms with at most one runnable thread (merged across gaps under 5 ms), with who ran;
- a table per bin (default 250 ms) of each busy thread's CPU ms, the others' CPU ms and the ms at each k.
Per-thread names are the kernel's (15 characters): `main` is the JVM's main Java thread (separation; the busiest
thread that kept the process's name `java`), the numbered
`stemroom-render` threads are the placing thread and the side and commit pools.

Example (the bench render of bench/peers.sh, its inputs kept by the lead):
  bench/render-timeline.py /work/bench-runs/inputs/upmix-mix.wav -- --preset surround-audience --layout 5.1 \\
      --room /work/bench-runs/inputs/room-6ch-2.5s.wav -q
"""
import collections
import os
import re
import subprocess
import sys
import tempfile

SWITCH = re.compile(r'prev_comm=(.*) prev_pid=(\d+) prev_prio=\d+ prev_state=(\S+) ==> next_comm=(.*) next_pid=(\d+)')
WAKE = re.compile(r'comm=(.*) pid=(\d+) prio')
FORK = re.compile(r'comm=(.*) pid=(\d+) child_comm=(.*) child_pid=(\d+)')
LINE = re.compile(r'\s*(\d+)/(-?\d+)\s+\[(\d+)\]\s+([\d.]+):\s+(\S+):\s*(.*)')


def record(root, bin_ms, keep, wav, args):
    out = keep or tempfile.mkdtemp(prefix='render-timeline.')
    os.makedirs(out, exist_ok=True)
    if os.path.exists(os.path.join(out, 'render')):
        sys.exit('render-timeline: %s/render exists (a render writes a new folder)' % out)
    data = os.path.join(out, 'perf.data')
    # through sh, which writes its process id (the launcher's and so the JVM's: each execs the next) beside the data
    cmd = ['perf', 'sched', 'record', '-m', '1024', '-o', data, '--', 'sh', '-c', 'echo $$ > "$0"; exec "$@"',
           os.path.join(out, 'pid'), os.path.join(root, 'stemroom'), 'render', wav, *args, '-o',
           os.path.join(out, 'render')]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return data


def events(data):
    """(time, 'sw', prev, prev_state, next, cpu) and (time, 'wk', tid); thread -> process and name maps."""
    text = subprocess.run(['perf', 'script', '-i', data, '-F', 'cpu,pid,tid,time,event,trace'],
                          capture_output=True, text=True, check=True).stdout
    tgid, comm, ev = {}, {}, []
    for line in text.splitlines():
        m = LINE.match(line)
        if not m:
            continue
        pid, tid, cpu, t, name, trace = int(m[1]), int(m[2]), int(m[3]), float(m[4]), m[5], m[6]
        if tid > 0:
            tgid[tid] = pid
        if name == 'sched:sched_switch':
            s = SWITCH.search(trace)
            if s:
                comm[int(s[2])] = s[1]
                ev.append((t, 'sw', int(s[2]), s[3], int(s[5]), cpu))
        elif name in ('sched:sched_waking', 'sched:sched_wakeup_new'):
            s = WAKE.search(trace)
            if s:
                ev.append((t, 'wk', int(s[2])))
        elif name == 'sched:sched_process_fork':
            s = FORK.search(trace)
            if s:
                tgid.setdefault(int(s[4]), tgid.get(int(s[2]), pid))
                comm[int(s[4])] = s[3]
    return ev, tgid, comm


def analyse(data, bin_ms):
    ev, tgid, comm = events(data)
    renders = collections.Counter(tgid[t] for t, c in comm.items() if c.startswith('stemroom-render') and t in tgid)
    if not renders:
        sys.exit('render-timeline: no stemroom-render thread in ' + data)
    # the render this tool started (its process id, written beside perf.data: the launcher execs java in its own
    # process); another session's render recorded beside it is not ours
    pid_file = os.path.join(os.path.dirname(os.path.abspath(data)), 'pid')
    jvm = renders.most_common(1)[0][0]
    if os.path.exists(pid_file):
        with open(pid_file) as f:
            ours = int(f.read().strip())
        if ours in renders:
            jvm = ours
        else:  # the launcher ran java as its child (the first render after a build writes the class archive)
            print('render-timeline: the recorded render is not process %d; taking the busiest one (%d)' % (ours, jvm))
    mine = {t for t, p in tgid.items() if p == jvm}

    def who(t):
        c = comm.get(t, '?')
        if t == jvm:
            return 'launcher'
        for prefix, name in (('C2', 'C2'), ('C1', 'C1'), ('GC', 'GC/VM'), ('VM Thread', 'GC/VM')):
            if c.startswith(prefix):
                return name
        if c.startswith('stemroom-render') or c == 'java':
            return '%s-%d' % (c, t)
        return c

    run = collections.defaultdict(float)     # (bin, who) -> ms on a core
    wait = collections.Counter()              # who -> ms runnable, not on a core
    conc = collections.defaultdict(float)     # (bin, k) -> ms with k of the render's threads runnable
    others = collections.defaultdict(float)   # bin -> ms of other processes on a core
    kcpu = collections.Counter()              # k -> the render's CPU s
    low = []                                  # [start, end, {who}, s] with k <= 1
    runnable, running = set(), {}
    t0 = t1 = last = None
    first_on = {}                             # thread -> first time on a core
    last_off = {}                             # thread -> last time off a core
    sleeps = collections.defaultdict(list)    # thread -> times it went off a core not runnable (blocked)

    def account(a, b):
        ks = runnable | {x for x in running.values() if x in mine}
        k = min(len(ks), 3)
        on = [x for x in running.values() if x in mine]
        kcpu[k] += len(on) * (b - a)
        if k <= 1:
            names = {who(x) for x in ks} or {'-'}
            if low and a - low[-1][1] < 0.005:
                low[-1][1] = b
                low[-1][2] |= names
                low[-1][3] += b - a
            else:
                low.append([a, b, names, b - a])
        for x in runnable - set(on):
            wait[who(x)] += (b - a) * 1000
        x = a
        while x < b:
            i = int((x - t0) * 1000 // bin_ms)
            y = min(b, max(t0 + (i + 1) * bin_ms / 1000, x + 1e-7))
            d = (y - x) * 1000
            conc[(i, k)] += d
            for tt in running.values():
                if tt in mine:
                    run[(i, who(tt))] += d
                elif tt != 0:
                    others[i] += d
            x = y

    for e in ev:
        t = e[0]
        if t0 is None and e[1] == 'sw' and (e[2] in mine or e[4] in mine):
            t0 = t
        if t0 is not None and last is not None:
            account(last, t)
        last = t
        if e[1] == 'wk':
            if e[2] in mine:
                runnable.add(e[2])
            continue
        _, _, prev, state, nxt, cpu = e
        running.pop(cpu, None)
        if prev in mine:
            last_off[prev] = t
            if not state.startswith('R'):
                sleeps[prev].append(t)
            if state.startswith('R'):
                runnable.add(prev)
            else:
                runnable.discard(prev)
            t1 = t
        if nxt != 0:
            running[cpu] = nxt
            if nxt in mine:
                runnable.add(nxt)
                first_on.setdefault(nxt, t)

    cpu = collections.Counter()
    for (_, w), v in run.items():
        cpu[w] += v
    # the JVM's main Java thread keeps the process's name ("java"): the busiest such thread (separation)
    java = [w for w in cpu if w.startswith('java-')]
    if java:
        main = max(java, key=lambda w: cpu[w])
        rename = lambda w: 'main' if w == main else w
        run = {(i, rename(w)): v for (i, w), v in run.items()}
        wait = collections.Counter({rename(w): v for w, v in wait.items()})
        cpu = collections.Counter({rename(w): v for w, v in cpu.items()})
        low = [[a, b, {rename(w) for w in n}, d] for a, b, n, d in low]
    print('render JVM %d: %.3f s from its first to its last switch, %.2f CPU-s' % (jvm, t1 - t0, sum(cpu.values()) / 1000))
    print('CPU ms by thread: ' + ', '.join('%s %.0f' % kv for kv in cpu.most_common() if kv[1] >= 1))
    print('runnable but not on a core, ms: ' + ', '.join('%s %.0f' % kv for kv in wait.most_common() if kv[1] >= 1))
    print('the render\'s CPU-s by how many of its threads were runnable: '
          + ', '.join('k=%d %.3f' % (k, kcpu[k]) for k in range(3)) + ', k>=3 %.3f' % kcpu[3])
    print('wall ms by k: ' + ', '.join('k=%d %.0f' % (k, sum(v for (_, kk), v in conc.items() if kk == k))
                                        for k in range(3))
          + ', k>=3 %.0f' % sum(v for (_, kk), v in conc.items() if kk == 3))
    phases(t0, t1, cpu, first_on, last_off, sleeps, who, main if java else None)
    print('stretches with at most one runnable thread (>= 15 ms; gaps under 5 ms merged): start ms, length ms, who')
    for a, b, names, _ in low:
        if b - a >= 0.015:
            print('  %8.0f %6.0f  %s' % ((a - t0) * 1000, (b - a) * 1000, ', '.join(sorted(names))))
    top = [w for w, _ in cpu.most_common(8)]
    print('%7s ' % 'bin ms' + ' '.join('%10s' % w[-10:] for w in top) + '     others    k0    k1    k2   k3+')
    for i in range(int((t1 - t0) * 1000 // bin_ms) + 1):
        print('%7.0f ' % (i * bin_ms) + ' '.join('%10.0f' % run.get((i, w), 0) for w in top)
              + ' %10.0f' % others.get(i, 0) + ''.join(' %5.0f' % conc.get((i, k), 0) for k in range(4)))


def phases(t0, t1, cpu, first_on, last_off, sleeps, who, main):
    """The render's three phases in wall ms (main: the main Java thread's name as who() gives it): (a) the start, up
    to the placing thread's first time on a core (PipelinedSink starts it as separation begins its first window);
    (b) separation, up to the main thread's last block before the placing thread's end (main then waits for the
    placing thread in PipelinedSink.end); (c) the end, split into the placing thread's tail (the room's tail, the
    master's end) and what runs after it (the report, checksums, manifest, publish, exit)."""
    placing = [w for w in cpu if w.startswith('stemroom-render-')]
    if not placing or main is None:
        return
    placing = max(placing, key=lambda w: cpu[w])
    p = next((t for t in first_on if who(t) == placing), None)
    m = next((t for t in first_on if who(t) == main), None)
    if p is None or m is None:
        return
    a = first_on[p]
    p_end = last_off.get(p, t1)
    # (the placing thread's exit wakes the joining main thread a moment before its last switch: not its last 10 ms)
    sep_end = max([x for x in sleeps[m] if x < p_end - 0.010] or [a])
    print('phases, wall ms: (a) start %.0f, (b) separation %.0f, (c) the placing thread\'s tail %.0f, then to the'
          ' JVM\'s last switch %.0f' % ((a - t0) * 1000, (sep_end - a) * 1000, (p_end - sep_end) * 1000,
                                          (t1 - p_end) * 1000))


def main(argv):
    root, bin_ms, keep, data = os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 250.0, None, None
    args = list(argv)
    rest = []
    if '--' in args:
        i = args.index('--')
        args, rest = args[:i], args[i + 1:]
    pos = []
    while args:
        a = args.pop(0)
        if a == '--root':
            root = args.pop(0)
        elif a == '--bin':
            bin_ms = float(args.pop(0))
        elif a == '--keep':
            keep = args.pop(0)
        elif a == '--data':
            data = args.pop(0)
        elif a in ('-h', '--help'):
            print(__doc__)
            return 0
        else:
            pos.append(a)
    if data is None:
        if len(pos) != 1:
            sys.exit(__doc__)
        data = record(root, bin_ms, keep, pos[0], rest)
    analyse(data, bin_ms)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
