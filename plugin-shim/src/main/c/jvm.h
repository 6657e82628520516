/*
 * One JVM per host process, started lazily (from setupProcessing) on a helper thread of our own and never
 * destroyed. All control calls into Java run on that helper thread (the host's main thread never enters
 * the JVM); audio threads attach themselves once, as daemons, and are detached by a pthread-key destructor
 * when they exit.
 */
#ifndef STEMROOM_JVM_H
#define STEMROOM_JVM_H

#include <jni.h>

typedef struct {
    jclass bridge;          /* org.stemroom.plugin.PluginInstance, from the bundle's class loader */
    jmethodID create;       /* static PluginInstance create(String bundleDir) */
    jmethodID setup;        /* int setup(double, int, long, long, int, ByteBuffer, ByteBuffer) */
    jmethodID process;      /* int process(int frames, int changes, int mode) */
    jmethodID reset;        /* void reset() */
    jmethodID latency;      /* int latency() */
    jmethodID tail;         /* long tail() */
    jmethodID get_state;    /* byte[] getState() */
    jmethodID set_state;    /* int setState(byte[]) */
    jmethodID get_param;    /* double getParam(int) */
    jmethodID set_param;    /* void setParam(int, double) */
    jmethodID status;       /* String status() */
    jmethodID warm_up;      /* void warmUp(int calls, int frames) */
    jmethodID release;      /* void release() */
} sr_java_api;

/* Starts (or finds) the JVM and loads the bundle's classes. Returns 0 on success; on failure returns -1 and
 * leaves a one-line reason in sr_jvm_reason(). Thread-safe; later calls return the first outcome. */
int sr_jvm_ensure(const char *module_dir, const char *resources_dir);
const char *sr_jvm_reason(void);
const sr_java_api *sr_jvm_api(void);

/* Runs fn(env, arg) on the JVM helper thread and waits for it. Returns -1 if no JVM. */
int sr_jvm_run(void (*fn)(JNIEnv *env, void *arg), void *arg);

/* The calling (audio) thread's JNIEnv, attaching it as a daemon on first use. NULL if no JVM or when the
 * calling thread is the process's main thread (callers then use sr_jvm_run). */
JNIEnv *sr_jvm_audio_env(void);

/* Milliseconds the JVM start took (0 when reused or not started). */
double sr_jvm_start_ms(void);

/* The libjvm.so the JVM was created from ("" when an existing JVM was reused or none was found), and whether the
 * bundle's class-data archive (stemroom.jsa next to the .so) was handed to it. */
const char *sr_jvm_libjvm_path(void);
int sr_jvm_cds_used(void);

#endif
