package org.stemroom.workstation.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.stemroom.core.Progress;

/**
 * A one-line progress bar on stderr: task, bar, percent, rate and time left, redrawn in place at most
 * ten times a second. {@link #forTerminal} gives {@link Progress#NONE} when stderr is not a terminal
 * ({@code System.console() == null}: piped, redirected, CI) or the user asked for {@code --quiet}, so scripts and
 * logs never see carriage returns. Thread-safe: workers may {@link #advance} concurrently; only one of them
 * draws, and only when 100 ms have passed.
 */
public final class ProgressBar implements Progress {
    static final long REDRAW_NANOS = 100_000_000L;
    private static final int BAR_WIDTH = 24;

    private final PrintWriter out;
    private final LongSupplier clock;
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong nextDraw = new AtomicLong();
    private volatile String task = "";
    private volatile long total;
    private volatile long startNanos;
    private int lastWidth;

    /** Draws on {@code out} using {@code clock} (nanoseconds) for rate and throttling; for tests and {@link #forTerminal}. */
    public ProgressBar(PrintWriter out, LongSupplier clock) {
        this.out = out;
        this.clock = clock;
    }

    /** The bar for interactive use, or {@link Progress#NONE} when quiet or stderr is not a terminal. */
    public static Progress forTerminal(PrintWriter err, boolean quiet) {
        if (quiet || System.console() == null) return Progress.NONE;
        return new ProgressBar(err, System::nanoTime);
    }

    @Override
    public void begin(String task, long totalUnits) {
        this.task = task == null ? "" : task;
        this.total = totalUnits;
        this.done.set(0);
        this.startNanos = clock.getAsLong();
        this.nextDraw.set(startNanos); // draw at the first advance
    }

    @Override
    public void advance(long units) {
        long d = done.addAndGet(units);
        long now = clock.getAsLong();
        long due = nextDraw.get();
        if (now >= due && nextDraw.compareAndSet(due, now + REDRAW_NANOS)) draw(d, now, false);
    }

    @Override
    public void done() {
        draw(done.get(), clock.getAsLong(), true);
    }

    private synchronized void draw(long d, long now, boolean finished) {
        String line = render(d, now, finished);
        StringBuilder sb = new StringBuilder("\r").append(line);
        for (int i = line.length(); i < lastWidth; i++) sb.append(' '); // wipe the rest of a longer previous line
        lastWidth = line.length();
        if (finished) {
            sb.append('\n');
            lastWidth = 0;
        }
        out.print(sb);
        out.flush();
    }

    /** The line without carriage return (package-private for tests). */
    String render(long d, long now, boolean finished) {
        double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
        double rate = d / seconds;
        long t = total;
        StringBuilder sb = new StringBuilder();
        sb.append(task).append(' ');
        if (t > 0) {
            double frac = Math.min(1.0, Math.max(0.0, d / (double) t));
            int filled = (int) Math.round(frac * BAR_WIDTH);
            sb.append('[');
            for (int i = 0; i < BAR_WIDTH; i++) sb.append(i < filled ? '#' : '.');
            sb.append(']');
            sb.append(String.format(Locale.ROOT, " %3d%%", (int) Math.floor(frac * 100)));
            sb.append("  ").append(si(rate)).append("/s");
            if (finished) {
                sb.append("  ").append(clockTime(seconds));
            } else if (rate > 0 && d > 0) {
                sb.append("  ETA ").append(clockTime((t - d) / rate));
            } else {
                sb.append("  ETA --:--");
            }
        } else {
            sb.append(si(d)).append("  ").append(si(rate)).append("/s  ").append(clockTime(seconds));
        }
        return sb.toString();
    }

    static String si(double v) {
        if (v >= 1e9) return String.format(Locale.ROOT, "%.1fG", v / 1e9);
        if (v >= 1e6) return String.format(Locale.ROOT, "%.1fM", v / 1e6);
        if (v >= 1e3) return String.format(Locale.ROOT, "%.1fk", v / 1e3);
        return String.format(Locale.ROOT, "%.0f", v);
    }

    static String clockTime(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
