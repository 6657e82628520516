package org.stemroom.core;

/**
 * The lifecycle every DSP stage follows, offline and on the plugin's audio thread alike.
 *
 * <ul>
 *   <li>{@link #prepare} may allocate; it sizes everything for blocks of up to {@code maxBlockFrames}.</li>
 *   <li>{@link #process} must not allocate, lock, do I/O, log or throw on valid input: it runs on real-time
 *       threads. It reads {@code input.frames()} frames and writes as many into {@code output}
 *       (setting {@code output.frames()}).</li>
 *   <li>{@link #reset} clears internal state (delay lines, filter memories) without reallocating.</li>
 * </ul>
 *
 * Processors whose output has the same channel count as the input must accept {@code input == output}
 * (in-place processing). Processors that change the channel count (a panner taking mono to 5.1) report
 * the output with {@link #outputFormat()}.
 */
public interface AudioProcessor {

    void prepare(AudioFormat inputFormat, int maxBlockFrames);

    void process(AudioBuffer input, AudioBuffer output);

    /** In-place processing; only for processors whose output channel count equals the input's. */
    default void process(AudioBuffer buffer) {
        process(buffer, buffer);
    }

    void reset();

    /** The format {@link #process} writes, valid after {@link #prepare}. Same as the input by default. */
    AudioFormat outputFormat();

    /** Delay, in frames, between an input sample and its effect on the output. */
    default int latencyFrames() {
        return 0;
    }

    /** Frames of output that may still follow after the input stops (a reverb's decay). */
    default long tailFrames() {
        return 0;
    }
}
