package org.stemroom.workstation.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.stemroom.core.Progress;

/**
 * One progress line for several jobs running side by side (the demo's stereo and 5.1 renders): each job reports
 * to its own lane, and the line shows every lane's current task and how far it is, redrawn at most ten times a
 * second on standard error, e.g. {@code stereo: mastering [######....]  61% | 5.1: separating [##........]  23%  0:07}.
 */
public final class ProgressLanes {
    private static final int BAR_WIDTH = 10;

    private final PrintWriter out;
    private final LongSupplier clock;
    private final List<Lane> lanes = new ArrayList<>();
    private final AtomicLong nextDraw = new AtomicLong(Long.MIN_VALUE);
    private final long startNanos;
    private int lastWidth;
    private boolean finished;

    /** Draws on {@code out} using {@code clock} (nanoseconds) for throttling and the elapsed time. */
    public ProgressLanes(PrintWriter out, LongSupplier clock) {
        this.out = out;
        this.clock = clock;
        this.startNanos = clock.getAsLong();
    }

    /** Lanes drawn on a terminal, or null when quiet or standard error is not a terminal. */
    public static ProgressLanes forTerminal(PrintWriter err, boolean quiet) {
        if (quiet || System.console() == null) return null;
        return new ProgressLanes(err, System::nanoTime);
    }

    /** A new lane named {@code name}; give it to one job as its {@link Progress}. */
    public synchronized Progress lane(String name) {
        Lane l = new Lane(name);
        lanes.add(l);
        return l;
    }

    /** Draws the final line and ends it. */
    public synchronized void finish() {
        if (finished) return;
        draw(true);
        finished = true;
    }

    private void maybeDraw() {
        long now = clock.getAsLong();
        long due = nextDraw.get();
        if (now >= due && nextDraw.compareAndSet(due, now + ProgressBar.REDRAW_NANOS)) {
            synchronized (this) {
                if (!finished) draw(false);
            }
        }
    }

    private void draw(boolean last) {
        String line = render();
        StringBuilder sb = new StringBuilder("\r").append(line);
        for (int i = line.length(); i < lastWidth; i++) sb.append(' ');
        lastWidth = line.length();
        if (last) sb.append('\n');
        out.print(sb);
        out.flush();
    }

    /** The line without carriage return (package-private for tests). */
    synchronized String render() {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < lanes.size(); k++) {
            if (k > 0) sb.append(" | ");
            lanes.get(k).render(sb);
        }
        sb.append("  ").append(ProgressBar.clockTime((clock.getAsLong() - startNanos) / 1e9));
        return sb.toString();
    }

    private final class Lane implements Progress {
        private final String name;
        private volatile String task = "waiting";
        private volatile long total;
        private final AtomicLong done = new AtomicLong();
        private volatile boolean taskDone;

        Lane(String name) {
            this.name = name;
        }

        @Override
        public void begin(String t, long totalUnits) {
            task = t == null ? "" : t;
            total = totalUnits;
            done.set(0);
            taskDone = false;
            maybeDraw();
        }

        @Override
        public void advance(long units) {
            done.addAndGet(units);
            maybeDraw();
        }

        @Override
        public void done() {
            taskDone = true;
            maybeDraw();
        }

        void render(StringBuilder sb) {
            sb.append(name).append(": ").append(task);
            long t = total;
            if (t > 0) {
                double frac = taskDone ? 1.0 : Math.min(1.0, Math.max(0.0, done.get() / (double) t));
                int filled = (int) Math.round(frac * BAR_WIDTH);
                sb.append(" [");
                for (int i = 0; i < BAR_WIDTH; i++) sb.append(i < filled ? '#' : '.');
                sb.append(']').append(String.format(Locale.ROOT, " %3d%%", (int) Math.floor(frac * 100)));
            } else if (taskDone) {
                sb.append(" (done)");
            } else {
                sb.append(" ...");
            }
        }
    }
}
