/**
 * The project's own neural separator. {@code org.stemroom.trainer.dataset} renders a seeded synthetic multitrack
 * corpus (MIDI arrangements played per stem by fluidsynth with General MIDI soundfonts, mixed and degraded like
 * old masters); {@code org.stemroom.trainer.train} trains a mask network by running one ONNX graph per step
 * (forward, loss, backward and Adam update written by our own code) and exports the inference graph with a
 * manifest for {@code org.stemroom.separation.onnx}.
 */
package org.stemroom.trainer;
