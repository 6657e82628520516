package org.stemroom.workstation.render;

import java.io.IOException;
import java.util.List;
import org.stemroom.core.AudioFormat;
import org.stemroom.separation.StemSink;
import org.stemroom.workstation.report.MixtureCheck;

/**
 * Passes the separator's stems on and measures on the way how exactly they sum back to the input (for the report).
 * Runs on the separation thread, where the input is read, so the check needs no locking.
 */
final class CheckedSink implements StemSink {
    private final StemSink inner;
    private final MixtureCheck check;

    CheckedSink(StemSink inner, MixtureCheck check) {
        this.inner = inner;
        this.check = check;
    }

    @Override
    public void begin(AudioFormat format, List<String> stemNames) throws IOException {
        inner.begin(format, stemNames);
    }

    @Override
    public void write(List<float[][]> stems, int offset, int count) throws IOException {
        check.stems(stems, offset, count);
        inner.write(stems, offset, count);
    }

    @Override
    public void end() throws IOException {
        inner.end();
    }
}
