/*
 * stemroom VST3 shim: the factory and one single-component effect (IComponent + IAudioProcessor +
 * IEditController on one object). Everything a host scan asks for (factory, class and parameter information)
 * is answered here without a JVM; the JVM starts in setupProcessing. When no JVM can be had, audio passes
 * through untouched and the read-only "Engine status" parameter and stderr say why.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <limits.h>
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "jvm.h"
#include "params.h"
#include "vst3_abi.h"

#define EXPORT __attribute__((visibility("default")))
#define SR_VENDOR "stemroom"
#define SR_URL "https://github.com/stemroom/stemroom"
#define SR_NAME "stemroom"
#define SR_VERSION "0.1.0"
#define SR_SDK_VERSION "VST 3.7.7"
#define SR_MAX_CHANGES 2048
#define SR_MAX_CH 8

static const TUID IID_FUnknown = VST3_IID(IID_FUnknown_WORDS);
static const TUID IID_IPluginBase = VST3_IID(IID_IPluginBase_WORDS);
static const TUID IID_IPluginFactory = VST3_IID(IID_IPluginFactory_WORDS);
static const TUID IID_IPluginFactory2 = VST3_IID(IID_IPluginFactory2_WORDS);
static const TUID IID_IPluginFactory3 = VST3_IID(IID_IPluginFactory3_WORDS);
static const TUID IID_IComponent = VST3_IID(IID_IComponent_WORDS);
static const TUID IID_IAudioProcessor = VST3_IID(IID_IAudioProcessor_WORDS);
static const TUID IID_IEditController = VST3_IID(IID_IEditController_WORDS);
/* Our class ID: "stemroom" "plugin01" style words, fixed forever once published. */
static const TUID CID_STEMROOM = VST3_IID4(0x5354454D, 0x524F4F4D, 0x56535433, 0x00000001);

static int iid_eq(const void *a, const void *b) { return memcmp(a, b, 16) == 0; }

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static sr_param_def g_params[SR_NPARAMS];
static pthread_once_t g_params_once = PTHREAD_ONCE_INIT;
static void params_init(void) { sr_params_init(g_params); }

static char g_module_dir[1024];
static char g_resources_dir[1100];

static void ascii_to_utf16(const char *s, char16 *out, int n) {
    int i = 0;
    for (; s[i] && i < n - 1; i++) out[i] = (unsigned char)s[i];
    out[i] = 0;
}

static void utf16_to_ascii(const char16 *s, char *out, int n) {
    int i = 0;
    for (; s[i] && i < n - 1; i++) out[i] = s[i] < 128 ? (char)s[i] : '?';
    out[i] = 0;
}

/* ------------------------------------------------------------------------------------------------------ */
/* The plugin object                                                                                        */

typedef struct Plugin {
    IComponent component;           /* each interface pointer is the address of its vtable member */
    IAudioProcessor processor;
    IEditController controller;
    atomic_int refs;
    IComponentHandler *handler;
    int initialized;
    SpeakerArrangement in_arr, out_arr;
    int in_ch, out_ch;
    ProcessSetup setup;
    int setup_done;
    int active;
    _Atomic double params[SR_NPARAMS];
    /* Java side */
    jobject java;                   /* global ref to the PluginInstance, NULL in pass-through */
    int status;                     /* 0 not started, 1 running, 2 no JVM, 3 engine error */
    char reason[512];
    float *io;                      /* (in_ch + out_ch) * max_block floats shared with Java */
    int io_block;                   /* frames per channel in io */
    int32_t *changes;               /* (param id, offset, value as two int32 halves of a double) */
    jobject io_buf, changes_buf;    /* global refs to direct ByteBuffers over io and changes */
    _Atomic uint32_t latency;       /* written by the audio thread when a rebuilt engine changes it */
    uint32_t reported_latency;      /* the latency the host was last told about (under notify_mu) */
    atomic_int latency_dirty;       /* set by the audio thread; the restart request goes out on the notifier */
    /* The notifier: a thread of this instance that sends IComponentHandler::restartComponent(kLatencyChanged)
     * as soon as the audio thread posts notify_sem (sem_post takes no lock and never blocks), so the host hears
     * of a new latency at once rather than on its next control call, and never from its audio thread. */
    pthread_mutex_t notify_mu;      /* guards handler and reported_latency against the notifier */
    sem_t notify_sem;
    pthread_t notifier;
    int notifier_running;
    atomic_int notifier_stop;
    uint32_t tail;
    double warm_ms;                 /* how long the last warm-up took (diagnostics) */
    /* last state set while no Java instance was there to take it */
    char *pending_state;
    int pending_len;
} Plugin;

#define FROM(ptr, member) ((Plugin *)((char *)(ptr) - offsetof(Plugin, member)))

static void set_status(Plugin *p, int status, const char *reason) {
    char copy[sizeof p->reason];
    snprintf(copy, sizeof copy, "%s", reason ? reason : ""); /* reason may be p->reason itself */
    p->status = status;
    memcpy(p->reason, copy, sizeof copy);
    p->params[SR_P_STATUS] = status / 3.0;
    if (status >= 2) fprintf(stderr, "stemroom: passing audio through unprocessed: %s\n", p->reason);
}

static tresult plugin_query(Plugin *p, const TUID iid, void **obj) {
    if (iid_eq(iid, IID_FUnknown) || iid_eq(iid, IID_IPluginBase) || iid_eq(iid, IID_IComponent)) {
        *obj = &p->component;
    } else if (iid_eq(iid, IID_IAudioProcessor)) {
        *obj = &p->processor;
    } else if (iid_eq(iid, IID_IEditController)) {
        *obj = &p->controller;
    } else {
        *obj = NULL;
        return kNoInterface;
    }
    atomic_fetch_add(&p->refs, 1);
    return kResultOk;
}

/* ---- JNI jobs (run on the JVM helper thread) ---- */

typedef struct {
    Plugin *p;
    int rc;
    const char *data;
    int len;
    char *out;
    int out_len;
} job_args;

static void copy_status(JNIEnv *env, Plugin *p) {
    const sr_java_api *api = sr_jvm_api();
    jstring s = (jstring)(*env)->CallObjectMethod(env, p->java, api->status);
    if ((*env)->ExceptionCheck(env) || !s) {
        (*env)->ExceptionClear(env);
        return;
    }
    const char *c = (*env)->GetStringUTFChars(env, s, NULL);
    if (c) {
        snprintf(p->reason, sizeof p->reason, "%s", c);
        (*env)->ReleaseStringUTFChars(env, s, c);
    }
    (*env)->DeleteLocalRef(env, s);
}

static void sync_params_from_java(JNIEnv *env, Plugin *p) {
    const sr_java_api *api = sr_jvm_api();
    for (int i = 0; i < SR_P_STATUS; i++) {
        double v = (*env)->CallDoubleMethod(env, p->java, api->get_param, (jint)i);
        if ((*env)->ExceptionCheck(env)) {
            (*env)->ExceptionClear(env);
            return;
        }
        p->params[i] = v;
    }
}

static void job_set_state(JNIEnv *env, void *arg) {
    job_args *a = arg;
    Plugin *p = a->p;
    const sr_java_api *api = sr_jvm_api();
    jbyteArray arr = (*env)->NewByteArray(env, a->len);
    (*env)->SetByteArrayRegion(env, arr, 0, a->len, (const jbyte *)a->data);
    a->rc = (*env)->CallIntMethod(env, p->java, api->set_state, arr);
    if ((*env)->ExceptionCheck(env)) {
        (*env)->ExceptionClear(env);
        a->rc = -1;
    }
    (*env)->DeleteLocalRef(env, arr);
    if (a->rc != 0) copy_status(env, p);
    sync_params_from_java(env, p);
    p->latency = (uint32_t)(*env)->CallIntMethod(env, p->java, api->latency);
    p->tail = (uint32_t)(*env)->CallLongMethod(env, p->java, api->tail);
    (*env)->ExceptionClear(env);
}

static void job_create(JNIEnv *env, void *arg) {
    job_args *a = arg;
    Plugin *p = a->p;
    const sr_java_api *api = sr_jvm_api();
    jstring dir = (*env)->NewStringUTF(env, g_resources_dir);
    jobject obj = (*env)->CallStaticObjectMethod(env, api->bridge, api->create, dir);
    (*env)->DeleteLocalRef(env, dir);
    if ((*env)->ExceptionCheck(env) || !obj) {
        (*env)->ExceptionClear(env);
        a->rc = -1;
        return;
    }
    p->java = (*env)->NewGlobalRef(env, obj);
    (*env)->DeleteLocalRef(env, obj);
    /* Controller edits made before the engine existed. */
    for (int i = 0; i < SR_P_STATUS; i++) {
        (*env)->CallVoidMethod(env, p->java, api->set_param, (jint)i, (jdouble)p->params[i]);
    }
    (*env)->ExceptionClear(env);
    a->rc = 0;
}

static void job_setup(JNIEnv *env, void *arg) {
    job_args *a = arg;
    Plugin *p = a->p;
    const sr_java_api *api = sr_jvm_api();
    if (p->io_buf) (*env)->DeleteGlobalRef(env, p->io_buf);
    if (p->changes_buf) (*env)->DeleteGlobalRef(env, p->changes_buf);
    jobject io = (*env)->NewDirectByteBuffer(env, p->io, (jlong)(p->in_ch + p->out_ch) * p->io_block * 4);
    /* the slot after the last change point: Java's count of late separator blocks (int64), for the status */
    jobject ch = (*env)->NewDirectByteBuffer(env, p->changes, (jlong)(SR_MAX_CHANGES + 1) * 16);
    p->io_buf = (*env)->NewGlobalRef(env, io);
    p->changes_buf = (*env)->NewGlobalRef(env, ch);
    (*env)->DeleteLocalRef(env, io);
    (*env)->DeleteLocalRef(env, ch);
    a->rc = (*env)->CallIntMethod(env, p->java, api->setup, p->setup.sampleRate, (jint)p->setup.maxSamplesPerBlock,
                                  (jlong)p->in_arr, (jlong)p->out_arr, (jint)p->setup.processMode,
                                  p->io_buf, p->changes_buf);
    if ((*env)->ExceptionCheck(env)) {
        (*env)->ExceptionClear(env);
        a->rc = -1;
    }
    if (a->rc < 0) {
        copy_status(env, p);
        return;
    }
    p->latency = (uint32_t)a->rc;
    p->tail = (uint32_t)(*env)->CallLongMethod(env, p->java, api->tail);
    /* Warm-up: run the audio path until it is compiled, so the first real blocks do not stall. 3000 calls: the
     * alternating schedule (PluginInstance.warmUp) profiles every path within a few hundred calls, and 4000 put the
     * cold start over 2 s on the quiet machine (2008-2157 ms; 3000: 1414-1673 ms, 0 audio-thread deoptimizations in
     * 6 cold runs of 2500 paced blocks, session 7). */
    double tw = now_ms();
    (*env)->CallVoidMethod(env, p->java, api->warm_up, (jint)3000, (jint)(p->io_block < 64 ? p->io_block : 64));
    if ((*env)->ExceptionCheck(env)) {
        (*env)->ExceptionClear(env);
        a->rc = -1;
        copy_status(env, p);
    }
    p->warm_ms = now_ms() - tw;
}

static void job_reset(JNIEnv *env, void *arg) {
    job_args *a = arg;
    (*env)->CallVoidMethod(env, a->p->java, sr_jvm_api()->reset);
    (*env)->ExceptionClear(env);
}

static void job_get_state(JNIEnv *env, void *arg) {
    job_args *a = arg;
    /* Controller edits the processor has not seen (a host that edits while not processing) go in first:
     * the shim's values are the latest of both. Equal values are skipped, so a playing engine is not touched. */
    const sr_java_api *api = sr_jvm_api();
    for (int i = 0; i < SR_P_STATUS; i++) {
        double v = a->p->params[i];
        if ((*env)->CallDoubleMethod(env, a->p->java, api->get_param, (jint)i) != v)
            (*env)->CallVoidMethod(env, a->p->java, api->set_param, (jint)i, (jdouble)v);
    }
    (*env)->ExceptionClear(env);
    jbyteArray arr = (jbyteArray)(*env)->CallObjectMethod(env, a->p->java, sr_jvm_api()->get_state);
    if ((*env)->ExceptionCheck(env) || !arr) {
        (*env)->ExceptionClear(env);
        a->rc = -1;
        return;
    }
    a->out_len = (*env)->GetArrayLength(env, arr);
    a->out = malloc((size_t)a->out_len + 1);
    (*env)->GetByteArrayRegion(env, arr, 0, a->out_len, (jbyte *)a->out);
    (*env)->DeleteLocalRef(env, arr);
    a->rc = 0;
}

static void job_set_param(JNIEnv *env, void *arg) {
    job_args *a = arg;
    (*env)->CallVoidMethod(env, a->p->java, sr_jvm_api()->set_param, (jint)a->len, (jdouble)a->p->params[a->len]);
    (*env)->ExceptionClear(env);
}

static void job_release(JNIEnv *env, void *arg) {
    job_args *a = arg;
    Plugin *p = a->p;
    (*env)->CallVoidMethod(env, p->java, sr_jvm_api()->release);
    (*env)->ExceptionClear(env);
    (*env)->DeleteGlobalRef(env, p->java);
    if (p->io_buf) (*env)->DeleteGlobalRef(env, p->io_buf);
    if (p->changes_buf) (*env)->DeleteGlobalRef(env, p->changes_buf);
    p->java = p->io_buf = p->changes_buf = NULL;
}

/* Tells the host about a latency it has not heard of yet. Any non-audio thread may call it; the handler is
 * called outside the lock (a host may call back into the plugin from restartComponent). */
static void notify_latency(Plugin *p) {
    IComponentHandler *h = NULL;
    pthread_mutex_lock(&p->notify_mu);
    p->latency_dirty = 0;
    uint32_t lat = p->latency;
    if (lat != p->reported_latency) {
        p->reported_latency = lat;
        h = p->handler;
        if (h) h->vtbl->addRef(h);
    }
    pthread_mutex_unlock(&p->notify_mu);
    if (h) {
        h->vtbl->restartComponent(h, kLatencyChanged);
        h->vtbl->release(h);
    }
}

static void *notifier_main(void *arg) {
    Plugin *p = arg;
    for (;;) {
        while (sem_wait(&p->notify_sem) != 0 && errno == EINTR) { }
        if (p->notifier_stop) return NULL;
        if (p->latency_dirty) notify_latency(p);
    }
}

/* Started with the engine (setupProcessing, a control thread), never from the audio thread. */
static void start_notifier(Plugin *p) {
    if (p->notifier_running) return;
    p->notifier_stop = 0;
    if (pthread_create(&p->notifier, NULL, notifier_main, p) == 0) {
        p->notifier_running = 1;
        pthread_setname_np(p->notifier, "stemroom-notify");
    }
}

static void stop_notifier(Plugin *p) {
    if (!p->notifier_running) return;
    p->notifier_running = 0;
    p->notifier_stop = 1;
    sem_post(&p->notify_sem);
    if (pthread_equal(pthread_self(), p->notifier)) pthread_detach(p->notifier); /* a host ending us from inside restartComponent */
    else pthread_join(p->notifier, NULL);
}

/* The Java half of this instance, started on first need: processing set-up, or the host saving or restoring
 * state (a session save must not lose parameter edits made before playback). Plugin scans never get here. */
static int ensure_java(Plugin *p) {
    if (p->java) return 0;
    if (p->status >= 2) return -1;
    if (sr_jvm_ensure(g_module_dir, g_resources_dir) != 0) {
        set_status(p, 2, sr_jvm_reason());
        return -1;
    }
    job_args a = {.p = p};
    sr_jvm_run(job_create, &a);
    if (a.rc != 0) {
        set_status(p, 3, "the engine could not be created");
        return -1;
    }
    if (p->pending_state) {
        job_args s = {.p = p, .data = p->pending_state, .len = p->pending_len};
        sr_jvm_run(job_set_state, &s);
        if (s.rc != 0) fprintf(stderr, "stemroom: saved state not restored: %s\n", p->reason);
    }
    return 0;
}

/* ---- state streams ---- */

static char *read_stream(IBStream *s, int *len_out) {
    int cap = 4096, len = 0;
    char *buf = malloc((size_t)cap);
    for (;;) {
        if (len + 4096 > cap) {
            cap *= 2;
            buf = realloc(buf, (size_t)cap);
        }
        int32_t got = 0;
        tresult r = s->vtbl->read(s, buf + len, 4096, &got);
        if (r != kResultOk || got <= 0) break;
        len += got;
        if (len > (64 << 20)) break;
    }
    buf[len < cap ? len : cap - 1] = 0;
    *len_out = len;
    return buf;
}

static tresult write_stream(IBStream *s, const char *data, int len) {
    int done = 0;
    while (done < len) {
        int32_t wrote = 0;
        if (s->vtbl->write(s, (void *)(data + done), len - done, &wrote) != kResultOk || wrote <= 0) return kResultFalse;
        done += wrote;
    }
    return kResultOk;
}

/* ------------------------------------------------------------------------------------------------------ */
/* IComponent                                                                                               */

static tresult c_query(void *self, const TUID iid, void **obj) { return plugin_query(FROM(self, component), iid, obj); }
static uint32_t c_add_ref(void *self) { return (uint32_t)atomic_fetch_add(&FROM(self, component)->refs, 1) + 1; }

static void plugin_destroy(Plugin *p) {
    stop_notifier(p);
    if (p->java) sr_jvm_run(job_release, &(job_args){.p = p});
    free(p->io);
    free(p->changes);
    free(p->pending_state);
    if (p->handler) p->handler->vtbl->release(p->handler);
    pthread_mutex_destroy(&p->notify_mu);
    sem_destroy(&p->notify_sem);
    free(p);
}

static uint32_t c_release(void *self) {
    Plugin *p = FROM(self, component);
    int left = atomic_fetch_sub(&p->refs, 1) - 1;
    if (left == 0) plugin_destroy(p);
    return (uint32_t)left;
}

static tresult c_initialize(void *self, FUnknown *context) {
    (void)context;
    FROM(self, component)->initialized = 1; /* may be called twice (component and controller): harmless */
    return kResultOk;
}

static tresult c_terminate(void *self) {
    Plugin *p = FROM(self, component);
    p->initialized = 0;
    stop_notifier(p);
    pthread_mutex_lock(&p->notify_mu);
    IComponentHandler *h = p->handler;
    p->handler = NULL;
    pthread_mutex_unlock(&p->notify_mu);
    if (h) h->vtbl->release(h);
    return kResultOk;
}

static tresult c_get_controller_cid(void *self, TUID cid) {
    (void)self;
    (void)cid;
    return kResultFalse; /* single component: the controller is this object */
}

static tresult c_set_io_mode(void *self, int32_t mode) { (void)self; (void)mode; return kResultOk; }

static int32_t c_get_bus_count(void *self, int32_t type, int32_t dir) {
    (void)self;
    (void)dir;
    return type == kAudio ? 1 : 0;
}

static tresult c_get_bus_info(void *self, int32_t type, int32_t dir, int32_t index, BusInfo *bus) {
    Plugin *p = FROM(self, component);
    if (type != kAudio || index != 0 || !bus) return kInvalidArgument;
    memset(bus, 0, sizeof *bus);
    bus->mediaType = kAudio;
    bus->direction = dir;
    bus->channelCount = dir == kInput ? p->in_ch : p->out_ch;
    ascii_to_utf16(dir == kInput ? "Input" : "Output", bus->name, 128);
    bus->busType = kMain;
    bus->flags = kDefaultActive;
    return kResultOk;
}

static tresult c_get_routing(void *self, RoutingInfo *in, RoutingInfo *out) {
    (void)self; (void)in; (void)out;
    return kNotImplemented;
}

static tresult c_activate_bus(void *self, int32_t type, int32_t dir, int32_t index, TBool state) {
    (void)self; (void)dir; (void)state;
    return type == kAudio && index == 0 ? kResultOk : kInvalidArgument;
}

static tresult c_set_active(void *self, TBool state) {
    Plugin *p = FROM(self, component);
    p->active = state != 0;
    if (p->latency_dirty) notify_latency(p);
    if (p->java) sr_jvm_run(job_reset, &(job_args){.p = p});
    return kResultOk;
}

static tresult c_set_state(void *self, IBStream *s) {
    Plugin *p = FROM(self, component);
    if (!s) return kInvalidArgument;
    int len;
    char *data = read_stream(s, &len);
    if (getenv("STEMROOM_TRACE")) fprintf(stderr, "stemroom: setState (%d bytes)\n", len);
    if (ensure_java(p) == 0) {
        job_args a = {.p = p, .data = data, .len = len};
        sr_jvm_run(job_set_state, &a);
        if (a.rc != 0) {
            fprintf(stderr, "stemroom: state not restored: %s\n", p->reason);
            free(data);
            return kResultFalse;
        }
        notify_latency(p);
    }
    /* Kept too: restored into the engine when it starts, and saved back unchanged in pass-through. */
    free(p->pending_state);
    p->pending_state = data;
    p->pending_len = len;
    return kResultOk;
}

static tresult c_get_state(void *self, IBStream *s) {
    Plugin *p = FROM(self, component);
    if (!s) return kInvalidArgument;
    if (getenv("STEMROOM_TRACE")) fprintf(stderr, "stemroom: getState\n");
    if (ensure_java(p) == 0) {
        job_args a = {.p = p};
        sr_jvm_run(job_get_state, &a);
        if (a.rc == 0) {
            tresult r = write_stream(s, a.out, a.out_len);
            free(a.out);
            return r;
        }
    }
    if (p->pending_state) return write_stream(s, p->pending_state, p->pending_len);
    /* No engine and nothing restored: an empty preset means "defaults" to setState. */
    return write_stream(s, "{}", 2);
}

static const IComponentVtbl component_vtbl = {
    c_query, c_add_ref, c_release, c_initialize, c_terminate, c_get_controller_cid, c_set_io_mode,
    c_get_bus_count, c_get_bus_info, c_get_routing, c_activate_bus, c_set_active, c_set_state, c_get_state,
};

/* ------------------------------------------------------------------------------------------------------ */
/* IAudioProcessor                                                                                          */

static tresult ap_query(void *self, const TUID iid, void **obj) { return plugin_query(FROM(self, processor), iid, obj); }
static uint32_t ap_add_ref(void *self) { return c_add_ref(&FROM(self, processor)->component); }
static uint32_t ap_release(void *self) { return c_release(&FROM(self, processor)->component); }

static int arr_channels(SpeakerArrangement a) { return __builtin_popcountll(a); }

static tresult ap_set_bus_arrangements(void *self, SpeakerArrangement *ins, int32_t n_in, SpeakerArrangement *outs,
                                       int32_t n_out) {
    Plugin *p = FROM(self, processor);
    if (n_in != 1 || n_out != 1 || !ins || !outs || p->active) return kResultFalse;
    int in_ok = ins[0] == kArrMono || ins[0] == kArrStereo;
    int out_ok = outs[0] == kArrStereo || outs[0] == kArr51 || outs[0] == kArr71;
    if (!in_ok || !out_ok) return kResultFalse;
    p->in_arr = ins[0];
    p->out_arr = outs[0];
    p->in_ch = arr_channels(ins[0]);
    p->out_ch = arr_channels(outs[0]);
    return kResultOk;
}

static tresult ap_get_bus_arrangement(void *self, int32_t dir, int32_t index, SpeakerArrangement *arr) {
    Plugin *p = FROM(self, processor);
    if (index != 0 || !arr) return kInvalidArgument;
    *arr = dir == kInput ? p->in_arr : p->out_arr;
    return kResultOk;
}

/* 64-bit: the host's doubles are converted to and from the engine's floats at the bridge (exact on the way in
   for audio that came from float, rounded to float precision on the way out) */
static tresult ap_can_process(void *self, int32_t size) {
    (void)self;
    return size == kSample32 || size == kSample64 ? kResultOk : kResultFalse;
}
static uint32_t ap_get_latency(void *self) { return FROM(self, processor)->latency; }
static uint32_t ap_get_tail(void *self) { return FROM(self, processor)->tail; }

static tresult ap_setup_processing(void *self, ProcessSetup *setup) {
    Plugin *p = FROM(self, processor);
    if (!setup || (setup->symbolicSampleSize != kSample32 && setup->symbolicSampleSize != kSample64) ||
        setup->maxSamplesPerBlock <= 0 ||
        setup->sampleRate < 44100 || setup->sampleRate > 192000 || p->active)
        return kResultFalse;
    p->setup = *setup;
    p->setup_done = 1;
    p->io_block = setup->maxSamplesPerBlock;
    free(p->io);
    p->io = calloc((size_t)(p->in_ch + p->out_ch) * (size_t)p->io_block, sizeof(float));
    if (!p->changes) p->changes = calloc(SR_MAX_CHANGES + 1, 16);
    if (p->status >= 2) return kResultOk; /* already in pass-through: stay there, audio keeps flowing */

    double t0 = now_ms();
    if (ensure_java(p) != 0) return kResultOk; /* pass-through, status says why */
    double t1 = now_ms();
    job_args a = {.p = p};
    sr_jvm_run(job_setup, &a);
    if (getenv("STEMROOM_TRACE"))
        fprintf(stderr, "stemroom: setupProcessing: JVM and instance %.1f ms (JVM creation %.1f ms), engine set-up"
                " %.1f ms, warm-up %.1f ms\n", t1 - t0, sr_jvm_start_ms(), now_ms() - t1 - p->warm_ms, p->warm_ms);
    if (a.rc < 0) {
        set_status(p, 3, p->reason[0] ? p->reason : "engine set-up failed");
        return kResultOk;
    }
    set_status(p, 1, "running");
    pthread_mutex_lock(&p->notify_mu);
    p->reported_latency = p->latency; /* the host reads it after setupProcessing: no restart needed */
    p->latency_dirty = 0;
    pthread_mutex_unlock(&p->notify_mu);
    start_notifier(p);
    return kResultOk;
}

static tresult ap_set_processing(void *self, TBool state) { (void)self; (void)state; return kResultOk; }

static void pass_through(Plugin *p, ProcessData *d) {
    if (d->numOutputs < 1 || !d->outputs || !d->outputs[0].channelBuffers32) return;
    AudioBusBuffers *out = &d->outputs[0];
    AudioBusBuffers *in = d->numInputs > 0 && d->inputs ? &d->inputs[0] : NULL;
    int n = d->numSamples;
    size_t bytes = d->symbolicSampleSize == kSample64 ? sizeof(double) : sizeof(float);
    for (int c = 0; c < out->numChannels; c++) {
        /* the buffer arrays are a union: one pointer per channel, to floats or doubles */
        void *o = out->channelBuffers32[c];
        if (!o) continue;
        void *i = in && in->channelBuffers32 && c < in->numChannels ? (void *)in->channelBuffers32[c] : NULL;
        if (i) {
            if (i != o) memmove(o, i, (size_t)n * bytes);
        } else {
            memset(o, 0, (size_t)n * bytes);
        }
    }
    out->silenceFlags = 0;
    (void)p;
}

/* Collects the block's parameter points into the buffer Java reads; keeps the controller's values current. */
static int gather_changes(Plugin *p, IParameterChanges *pc, int from, int to) {
    if (!pc) return 0;
    int n = 0;
    int32_t queues = pc->vtbl->getParameterCount(pc);
    for (int32_t q = 0; q < queues; q++) {
        IParamValueQueue *queue = pc->vtbl->getParameterData(pc, q);
        if (!queue) continue;
        ParamID id = queue->vtbl->getParameterId(queue);
        if (id >= SR_P_STATUS) continue;
        int32_t points = queue->vtbl->getPointCount(queue);
        for (int32_t k = 0; k < points; k++) {
            int32_t offset;
            ParamValue value;
            if (queue->vtbl->getPoint(queue, k, &offset, &value) != kResultOk) continue;
            if (offset < from || offset >= to) {
                if (!(to == from && offset == from)) continue;
            }
            if (n < SR_MAX_CHANGES) {
                int32_t *e = p->changes + 4 * n;
                e[0] = (int32_t)id;
                e[1] = offset - from;
                memcpy(e + 2, &value, sizeof value);
                n++;
            }
            p->params[id] = value;
        }
    }
    return n;
}

static void job_process_main_thread(JNIEnv *env, void *arg);

typedef struct {
    Plugin *p;
    ProcessData *d;
    tresult rc;
} process_args;

static tresult process_java(Plugin *p, ProcessData *d, JNIEnv *env) {
    const sr_java_api *api = sr_jvm_api();
    AudioBusBuffers *in = d->numInputs > 0 && d->inputs ? &d->inputs[0] : NULL;
    AudioBusBuffers *out = d->numOutputs > 0 && d->outputs ? &d->outputs[0] : NULL;
    int total = d->numSamples;
    int block = p->io_block;
    int done = 0;
    do {
        int n = total - done < block ? total - done : block;
        /* Input first; host buffers may be in place (input == output) and move from call to call. */
        int wide = d->symbolicSampleSize == kSample64;
        for (int c = 0; c < p->in_ch; c++) {
            float *dst = p->io + (size_t)c * block;
            int has = in && in->channelBuffers32 && c < in->numChannels && in->channelBuffers32[c];
            if (has && wide) {
                const double *src = in->channelBuffers64[c] + done;
                for (int i = 0; i < n; i++) dst[i] = (float)src[i];
            } else if (has) {
                memcpy(dst, in->channelBuffers32[c] + done, (size_t)n * sizeof(float));
            } else {
                memset(dst, 0, (size_t)n * sizeof(float));
            }
        }
        int changes = gather_changes(p, d->inputParameterChanges, done, done + n == total ? INT_MAX : done + n);
        jint rc = (*env)->CallIntMethod(env, p->java, api->process, (jint)n, (jint)changes, (jint)d->processMode);
        if (rc > 0 && !(*env)->ExceptionCheck(env)) { /* a rebuilt engine brought a new latency */
            p->latency = (uint32_t)(rc - 1);
            p->latency_dirty = 1;
            if (p->notifier_running) sem_post(&p->notify_sem);
            rc = 0;
        }
        if ((*env)->ExceptionCheck(env) || rc != 0) {
            (*env)->ExceptionClear(env);
            set_status(p, 3, "the engine failed while processing");
            pass_through(p, d);
            return kResultOk;
        }
        if (out && out->channelBuffers32) {
            for (int c = 0; c < out->numChannels && c < p->out_ch; c++) {
                const float *src = p->io + (size_t)(p->in_ch + c) * block;
                if (!out->channelBuffers32[c]) continue;
                if (wide) {
                    double *dst = out->channelBuffers64[c] + done;
                    for (int i = 0; i < n; i++) dst[i] = src[i];
                } else {
                    memcpy(out->channelBuffers32[c] + done, src, (size_t)n * sizeof(float));
                }
            }
            out->silenceFlags = 0;
        }
        done += n;
    } while (done < total);
    return kResultOk;
}

static void job_process_main_thread(JNIEnv *env, void *arg) {
    process_args *a = arg;
    a->rc = process_java(a->p, a->d, env);
}

static tresult ap_process(void *self, ProcessData *d) {
    Plugin *p = FROM(self, processor);
    if (!d) return kInvalidArgument;
    if (d->symbolicSampleSize != kSample32 && d->symbolicSampleSize != kSample64) return kResultFalse;
    if (p->status != 1 || !p->java || !p->io) {
        if (d->inputParameterChanges) gather_changes(p, d->inputParameterChanges, 0, INT_MAX);
        pass_through(p, d);
        return kResultOk;
    }
    if (d->numSamples < 0) return kInvalidArgument;
    JNIEnv *env = sr_jvm_audio_env();
    if (env) return process_java(p, d, env);
    /* Called on the host's main thread (a simple offline host): run it on the JVM thread instead. */
    process_args a = {p, d, kResultOk};
    if (sr_jvm_run(job_process_main_thread, &a) != 0) pass_through(p, d);
    return a.rc;
}

static const IAudioProcessorVtbl processor_vtbl = {
    ap_query, ap_add_ref, ap_release, ap_set_bus_arrangements, ap_get_bus_arrangement, ap_can_process,
    ap_get_latency, ap_setup_processing, ap_set_processing, ap_process, ap_get_tail,
};

/* ------------------------------------------------------------------------------------------------------ */
/* IEditController                                                                                          */

static tresult ec_query(void *self, const TUID iid, void **obj) { return plugin_query(FROM(self, controller), iid, obj); }
static uint32_t ec_add_ref(void *self) { return c_add_ref(&FROM(self, controller)->component); }
static uint32_t ec_release(void *self) { return c_release(&FROM(self, controller)->component); }
static tresult ec_initialize(void *self, FUnknown *ctx) { return c_initialize(&FROM(self, controller)->component, ctx); }
static tresult ec_terminate(void *self) { return c_terminate(&FROM(self, controller)->component); }

static tresult ec_set_component_state(void *self, IBStream *s) {
    (void)self;
    (void)s;
    return kResultOk; /* one object: the component's setState already set every parameter */
}
static tresult ec_set_state(void *self, IBStream *s) { (void)self; (void)s; return kResultOk; }
static tresult ec_get_state(void *self, IBStream *s) { (void)self; (void)s; return kResultOk; }
static int32_t ec_param_count(void *self) { (void)self; return SR_NPARAMS; }

static tresult ec_param_info(void *self, int32_t index, ParameterInfo *info) {
    (void)self;
    if (index < 0 || index >= SR_NPARAMS || !info) return kInvalidArgument;
    const sr_param_def *d = &g_params[index];
    memset(info, 0, sizeof *info);
    info->id = (ParamID)index;
    ascii_to_utf16(d->title, info->title, 128);
    ascii_to_utf16(d->short_title, info->shortTitle, 128);
    ascii_to_utf16(d->units, info->units, 128);
    info->stepCount = d->steps;
    info->defaultNormalizedValue = sr_param_to_normalized(d, d->def);
    info->unitId = 0;
    info->flags = d->flags;
    return kResultOk;
}

static tresult ec_param_string(void *self, ParamID id, ParamValue v, String128 out) {
    Plugin *p = FROM(self, controller);
    if (id >= SR_NPARAMS) return kInvalidArgument;
    char buf[512];
    long long late = 0;
    if (id == SR_P_STATUS && p->status == 1 && p->changes) {
        memcpy(&late, (const char *)p->changes + (size_t)SR_MAX_CHANGES * 16, sizeof late); /* written by Java */
    }
    if (id == SR_P_STATUS && late > 0) {
        snprintf(buf, sizeof buf, "%.400s; %lld late blocks (separator fallback)", p->reason, late);
    } else if (id == SR_P_STATUS && p->reason[0]) snprintf(buf, sizeof buf, "%s", p->reason);
    else sr_param_format(&g_params[id], v, buf, sizeof buf);
    ascii_to_utf16(buf, out, 128);
    return kResultOk;
}

static tresult ec_param_value(void *self, ParamID id, char16 *s, ParamValue *v) {
    (void)self;
    if (id >= SR_NPARAMS || !s || !v) return kInvalidArgument;
    char buf[128];
    utf16_to_ascii(s, buf, sizeof buf);
    const sr_param_def *d = &g_params[id];
    if (d->list) {
        for (int i = 0; d->list[i]; i++) {
            if (!strcmp(buf, d->list[i])) {
                *v = sr_param_to_normalized(d, d->min + i);
                return kResultOk;
            }
        }
        return kResultFalse;
    }
    char *end;
    double plain = strtod(buf, &end);
    if (end == buf) return kResultFalse;
    *v = sr_param_to_normalized(d, plain);
    return kResultOk;
}

static ParamValue ec_to_plain(void *self, ParamID id, ParamValue v) {
    (void)self;
    return id < SR_NPARAMS ? sr_param_to_plain(&g_params[id], v) : v;
}

static ParamValue ec_to_normalized(void *self, ParamID id, ParamValue plain) {
    (void)self;
    return id < SR_NPARAMS ? sr_param_to_normalized(&g_params[id], plain) : plain;
}

static ParamValue ec_get_param(void *self, ParamID id) {
    Plugin *p = FROM(self, controller);
    if (p->latency_dirty) notify_latency(p); /* hosts poll this from their UI thread */
    return id < SR_NPARAMS ? p->params[id] : 0.0;
}

static tresult ec_set_param(void *self, ParamID id, ParamValue v) {
    Plugin *p = FROM(self, controller);
    if (id >= SR_P_STATUS) return kResultFalse;
    if (p->latency_dirty) notify_latency(p);
    p->params[id] = v < 0 ? 0 : v > 1 ? 1 : v;
    if (p->java && !p->active) sr_jvm_run(job_set_param, &(job_args){.p = p, .len = (int)id});
    return kResultOk;
}

static tresult ec_set_handler(void *self, IComponentHandler *h) {
    Plugin *p = FROM(self, controller);
    if (h) h->vtbl->addRef(h);
    pthread_mutex_lock(&p->notify_mu);
    IComponentHandler *old = p->handler;
    p->handler = h;
    pthread_mutex_unlock(&p->notify_mu);
    if (old) old->vtbl->release(old);
    return kResultOk;
}

static void *ec_create_view(void *self, const char *name) { (void)self; (void)name; return NULL; }

static const IEditControllerVtbl controller_vtbl = {
    ec_query, ec_add_ref, ec_release, ec_initialize, ec_terminate, ec_set_component_state, ec_set_state,
    ec_get_state, ec_param_count, ec_param_info, ec_param_string, ec_param_value, ec_to_plain,
    ec_to_normalized, ec_get_param, ec_set_param, ec_set_handler, ec_create_view,
};

static Plugin *plugin_new(void) {
    pthread_once(&g_params_once, params_init);
    Plugin *p = calloc(1, sizeof *p);
    p->component.vtbl = &component_vtbl;
    p->processor.vtbl = &processor_vtbl;
    p->controller.vtbl = &controller_vtbl;
    atomic_init(&p->refs, 1);
    pthread_mutex_init(&p->notify_mu, NULL);
    sem_init(&p->notify_sem, 0, 0);
    p->in_arr = kArrStereo;
    p->out_arr = kArr51;
    p->in_ch = 2;
    p->out_ch = 6;
    for (int i = 0; i < SR_NPARAMS; i++) p->params[i] = sr_param_to_normalized(&g_params[i], g_params[i].def);
    p->params[SR_P_STATUS] = 0;
    snprintf(p->reason, sizeof p->reason, "not started (the engine starts when the host sets up processing)");
    return p;
}

/* ------------------------------------------------------------------------------------------------------ */
/* Factory: one static object; the host's references are counted but it is never freed.                   */

static atomic_int g_factory_refs;

static tresult f_query(void *self, const TUID iid, void **obj) {
    if (iid_eq(iid, IID_FUnknown) || iid_eq(iid, IID_IPluginFactory) || iid_eq(iid, IID_IPluginFactory2) ||
        iid_eq(iid, IID_IPluginFactory3)) {
        *obj = self;
        atomic_fetch_add(&g_factory_refs, 1);
        return kResultOk;
    }
    *obj = NULL;
    return kNoInterface;
}
static uint32_t f_add_ref(void *self) { (void)self; return (uint32_t)atomic_fetch_add(&g_factory_refs, 1) + 1; }
static uint32_t f_release(void *self) {
    (void)self;
    int left = atomic_fetch_sub(&g_factory_refs, 1) - 1;
    return (uint32_t)(left < 0 ? 0 : left);
}

static tresult f_get_factory_info(void *self, PFactoryInfo *info) {
    (void)self;
    if (!info) return kInvalidArgument;
    memset(info, 0, sizeof *info);
    snprintf(info->vendor, sizeof info->vendor, "%s", SR_VENDOR);
    snprintf(info->url, sizeof info->url, "%s", SR_URL);
    snprintf(info->email, sizeof info->email, "%s", "");
    info->flags = kUnicode;
    return kResultOk;
}

static int32_t f_count(void *self) { (void)self; return 1; }

/* The fields PClassInfo, PClassInfo2 and PClassInfoW share at their start. */
static void fill_class_head(char *cid, int32_t *cardinality, char *category, size_t category_size) {
    memcpy(cid, CID_STEMROOM, 16);
    *cardinality = kManyInstances;
    snprintf(category, category_size, "Audio Module Class");
}

static tresult f_class_info(void *self, int32_t index, PClassInfo *info) {
    (void)self;
    if (index != 0 || !info) return kInvalidArgument;
    memset(info, 0, sizeof *info);
    fill_class_head(info->cid, &info->cardinality, info->category, sizeof info->category);
    snprintf(info->name, sizeof info->name, SR_NAME);
    return kResultOk;
}

static tresult f_class_info2(void *self, int32_t index, PClassInfo2 *info) {
    (void)self;
    if (index != 0 || !info) return kInvalidArgument;
    memset(info, 0, sizeof *info);
    fill_class_head(info->cid, &info->cardinality, info->category, sizeof info->category);
    snprintf(info->name, sizeof info->name, SR_NAME);
    info->classFlags = 0; /* not distributable: component and controller share one object */
    snprintf(info->subCategories, sizeof info->subCategories, "Fx|Spatial");
    snprintf(info->vendor, sizeof info->vendor, SR_VENDOR);
    snprintf(info->version, sizeof info->version, SR_VERSION);
    snprintf(info->sdkVersion, sizeof info->sdkVersion, SR_SDK_VERSION);
    return kResultOk;
}

static tresult f_class_info_w(void *self, int32_t index, PClassInfoW *info) {
    (void)self;
    if (index != 0 || !info) return kInvalidArgument;
    memset(info, 0, sizeof *info);
    fill_class_head(info->cid, &info->cardinality, info->category, sizeof info->category);
    ascii_to_utf16(SR_NAME, info->name, 64);
    info->classFlags = 0;
    snprintf(info->subCategories, sizeof info->subCategories, "Fx|Spatial");
    ascii_to_utf16(SR_VENDOR, info->vendor, 64);
    ascii_to_utf16(SR_VERSION, info->version, 64);
    ascii_to_utf16(SR_SDK_VERSION, info->sdkVersion, 64);
    return kResultOk;
}

static tresult f_create(void *self, const char *cid, const char *iid, void **obj) {
    (void)self;
    if (!obj) return kInvalidArgument;
    *obj = NULL;
    if (!cid || !iid || !iid_eq(cid, CID_STEMROOM)) return kNoInterface;
    Plugin *p = plugin_new();
    tresult r = plugin_query(p, iid, obj);
    c_release(&p->component); /* drop the creation reference; the query holds one if it succeeded */
    return r;
}

static tresult f_set_host_context(void *self, FUnknown *ctx) { (void)self; (void)ctx; return kResultOk; }

static const IPluginFactoryVtbl factory_vtbl = {
    f_query, f_add_ref, f_release, f_get_factory_info, f_count, f_class_info, f_create,
    f_class_info2, f_class_info_w, f_set_host_context,
};
static IPluginFactory g_factory = {&factory_vtbl};

static void locate_bundle(void) {
    if (g_module_dir[0]) return;
    Dl_info info;
    if (dladdr((void *)locate_bundle, &info) && info.dli_fname) {
        char path[1024];
        snprintf(path, sizeof path, "%s", info.dli_fname);
        char *slash = strrchr(path, '/');
        if (slash) *slash = 0;
        snprintf(g_module_dir, sizeof g_module_dir, "%s", path);
    } else {
        snprintf(g_module_dir, sizeof g_module_dir, ".");
    }
    /* Contents/x86_64-linux/stemroom.so -> Contents/Resources */
    snprintf(g_resources_dir, sizeof g_resources_dir, "%s/../Resources", g_module_dir);
}

EXPORT IPluginFactory *GetPluginFactory(void) {
    locate_bundle();
    pthread_once(&g_params_once, params_init);
    atomic_fetch_add(&g_factory_refs, 1);
    return &g_factory;
}

EXPORT int ModuleEntry(void *handle) {
    (void)handle;
    locate_bundle();
    return 1;
}

EXPORT int ModuleExit(void) { return 1; }

/* For diagnostics and the test host: the last engine status line (not part of VST3). */
EXPORT double stemroom_jvm_start_ms(void) { return sr_jvm_start_ms(); }
EXPORT const char *stemroom_jvm_path(void) { return sr_jvm_libjvm_path(); }
EXPORT int stemroom_jvm_cds_used(void) { return sr_jvm_cds_used(); }
