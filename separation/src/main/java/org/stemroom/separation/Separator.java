package org.stemroom.separation;

import java.util.List;
import org.stemroom.core.AudioClip;
import org.stemroom.core.StemroomException;

/**
 * Splits a mixture into named stems. The contract every separator (model-free or neural) keeps:
 * <ul>
 *   <li>the returned stems have the mixture's sample rate, length and channel count (mono stays mono, stereo
 *       stays stereo) and are sample-aligned with it;</li>
 *   <li>{@link #stemNames()} lists the stems in the order {@link #separate} returns them;</li>
 *   <li>results are deterministic: the same input gives the same bits on every run.</li>
 * </ul>
 * A separator's raw estimates need not sum exactly to the mixture: {@link Separation} enforces mixture
 * consistency (or adds a {@code residual} stem) and streams long inputs chunk by chunk, so separators only
 * ever see chunks of at most {@link #maxChunkSeconds()}.
 *
 * <p>Implementations must be safe to call from one thread at a time; they may keep reusable state
 * (an ONNX session, FFT plans, working memory) between calls, and statistics carried from window to window in
 * order (see {@link #reset()}). Stems returned may live in reused memory: valid until the next call.
 */
public interface Separator {

    /** Short identifier ("default", "hpss", "model:htdemucs"). */
    String name();

    /** The stems {@link #separate} returns, in order. */
    List<String> stemNames();

    /** Separates one chunk (or a whole short clip). The mixture is not modified. */
    StemSet separate(AudioClip mixture) throws StemroomException;

    /**
     * The longest chunk this separator wants at once; {@link Separation} cuts longer input into overlapping chunks.
     * Model-free separators use long chunks (their analysis is local); neural ones their segment length.
     */
    default double maxChunkSeconds() {
        return 30.0;
    }

    /**
     * Forgets what the separator carries from one window to the next (slowly varying statistics such as a lead's
     * panning position). {@link Separation} calls it before the first window of every input and the streaming worker
     * at every stream start, so both see the same windows with the same memory and give the same stems.
     */
    default void reset() { }

    /** Overlap between consecutive chunks, cross-faded with windows that sum to one. */
    default double chunkOverlapSeconds() {
        return 1.0;
    }
}
