/*
 * A small VST3 host that loads a bundle the way a DAW does (dlopen, ModuleEntry, GetPluginFactory, class
 * enumeration, createInstance, IAudioProcessor + controller, bus arrangements, setupProcessing, setActive,
 * process on an audio thread, getState/setState, teardown, dlclose), for the build's tests and the bench.
 *
 *   vst3_host scan BUNDLE...            list each bundle's classes, buses and parameter counts
 *   vst3_host params BUNDLE             dump parameter infos (id|title|units|steps|default|flags)
 *   vst3_host run BUNDLE [options]      process a raw float32 file
 *     --in FILE --in-ch N               interleaved float32 input (N = 1 or 2)
 *     --out FILE --out-ch N             interleaved float32 output, N = 2, 6 or 8
 *     --rate HZ --block N --vary SEED   block size N, or varying 1..N from a seeded generator
 *     --changes FILE                    lines "sample param value": sample-accurate parameter changes
 *     --state-in FILE --state-out FILE  setState before processing / getState after
 *     --offline 1                       process mode kOffline (as a DAW's export), else kRealtime
 *     --blocks N                        process N blocks of silence-free noise instead of --in (bench)
 *     --loads N                         load, run and unload the bundle N times (leak check)
 *     --rt PRIO                         run the audio thread SCHED_FIFO at PRIO, as DAWs do (bench)
 *     --until-restart N                 with --blocks: go on processing past the last block until the plugin has
 *                                       asked for a restart, at most N blocks in all (tests of the request)
 *     --trace FILE                      per timed block: "index start_epoch_ms wall_ms cpu_ms user_ms sys_ms
 *                                       minor_faults major_faults" (bench: to line up slow blocks with the JVM's
 *                                       logs, whose 'timemillis' is the same clock, and to tell the plugin's own
 *                                       work from the kernel's: page faults are charged to the faulting thread),
 *                                       then the CPU ms the process's other threads got during the block, by group:
 *                                       "separator parallel jit other" (the separator's worker, the separation's
 *                                       parallel helpers, the JIT compilers, everything else but the audio thread;
 *                                       read from /proc/self/task/TID/schedstat after each timed block, outside the
 *                                       timed call): did the audio thread share the two cores with them
 *     --exit-jvm 1                      at the end, exit through the JVM's System.exit (never done in a DAW): the
 *                                       build's class-data dump (STEMROOM_JVM_OPTIONS=-XX:ArchiveClassesAtExit=...)
 *                                       writes its archive then
 * Prints key=value lines.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <jni.h>

#include "../../main/c/vst3_abi.h"

static const TUID IID_FUnknown = VST3_IID(IID_FUnknown_WORDS);
static const TUID IID_IPluginFactory2 = VST3_IID(IID_IPluginFactory2_WORDS);
static const TUID IID_IPluginFactory3 = VST3_IID(IID_IPluginFactory3_WORDS);
static const TUID IID_IComponent = VST3_IID(IID_IComponent_WORDS);
static const TUID IID_IAudioProcessor = VST3_IID(IID_IAudioProcessor_WORDS);
static const TUID IID_IEditController = VST3_IID(IID_IEditController_WORDS);
static const TUID IID_IBStream = VST3_IID(IID_IBStream_WORDS);
static const TUID IID_IParameterChanges = VST3_IID(IID_IParameterChanges_WORDS);
static const TUID IID_IParamValueQueue = VST3_IID(IID_IParamValueQueue_WORDS);
static const TUID IID_IComponentHandler = VST3_IID(IID_IComponentHandler_WORDS);
static const TUID IID_IHostApplication = VST3_IID(IID_IHostApplication_WORDS);

static int eq(const void *a, const void *b) { return memcmp(a, b, 16) == 0; }
static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}
static void utf16_to_ascii(const char16 *s, char *out, int n) {
    int i = 0;
    for (; s[i] && i < n - 1; i++) out[i] = s[i] < 128 ? (char)s[i] : '?';
    out[i] = 0;
}
static long rss_kb(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    while (f && fgets(line, sizeof line, f)) {
        if (!strncmp(line, "VmRSS:", 6)) kb = atol(line + 6);
    }
    if (f) fclose(f);
    return kb;
}
static int thread_count(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    int n = -1;
    while (f && fgets(line, sizeof line, f)) {
        if (!strncmp(line, "Threads:", 8)) n = atoi(line + 8);
    }
    if (f) fclose(f);
    return n;
}

/* ---------------- host objects: application, component handler, memory stream, parameter changes ------ */
static uint32_t noref(void *s) { (void)s; return 1; }

static tresult app_query(void *self, const TUID iid, void **obj) {
    if (eq(iid, IID_FUnknown) || eq(iid, IID_IHostApplication)) { *obj = self; return kResultOk; }
    *obj = NULL;
    return kNoInterface;
}
static tresult app_name(void *self, String128 name) {
    (void)self;
    const char *n = "stemroom test host";
    int i = 0;
    for (; n[i]; i++) name[i] = (char16)n[i];
    name[i] = 0;
    return kResultOk;
}
static tresult app_create(void *self, TUID cid, TUID iid, void **obj) { (void)self; (void)cid; (void)iid; *obj = NULL; return kNoInterface; }
static const IHostApplicationVtbl app_vtbl = {app_query, noref, noref, app_name, app_create};
static IHostApplication g_app = {&app_vtbl};

/* Restart requests: flags, and for the first one which thread sent it, how many blocks the audio thread had
 * processed by then and the latency the plugin reported when asked from inside the request (as hosts do). */
static int g_restart_flags;
static int g_restart_from_audio;
static long g_restart_block = -1;
static long g_restart_latency = -1;
static int g_restart_while_processing;
static pthread_t g_audio_thread;
static int g_audio_running;
static _Atomic long g_blocks_done;
static IAudioProcessor *g_restart_proc;
static tresult h_query(void *self, const TUID iid, void **obj) {
    if (eq(iid, IID_FUnknown) || eq(iid, IID_IComponentHandler)) { *obj = self; return kResultOk; }
    *obj = NULL;
    return kNoInterface;
}
static tresult h_edit(void *self, ParamID id) { (void)self; (void)id; return kResultOk; }
static tresult h_perform(void *self, ParamID id, ParamValue v) { (void)self; (void)id; (void)v; return kResultOk; }
static tresult h_restart(void *self, int32_t flags) {
    (void)self;
    g_restart_flags |= flags;
    if (g_audio_running && pthread_equal(pthread_self(), g_audio_thread)) g_restart_from_audio = 1;
    if (g_restart_block < 0) {
        g_restart_block = g_blocks_done;
        g_restart_while_processing = g_audio_running;
        if (g_restart_proc) g_restart_latency = g_restart_proc->vtbl->getLatencySamples(g_restart_proc);
    }
    return kResultOk;
}
static const IComponentHandlerVtbl handler_vtbl = {h_query, noref, noref, h_edit, h_perform, h_edit, h_restart};
static IComponentHandler g_handler = {&handler_vtbl};

typedef struct {
    IBStream s;
    char *data;
    int64_t len, cap, pos;
} MemStream;
static tresult ms_query(void *self, const TUID iid, void **obj) {
    if (eq(iid, IID_FUnknown) || eq(iid, IID_IBStream)) { *obj = self; return kResultOk; }
    *obj = NULL;
    return kNoInterface;
}
static tresult ms_read(void *self, void *buf, int32_t n, int32_t *got) {
    MemStream *m = self;
    int64_t k = m->len - m->pos < n ? m->len - m->pos : n;
    if (k < 0) k = 0;
    memcpy(buf, m->data + m->pos, (size_t)k);
    m->pos += k;
    if (got) *got = (int32_t)k;
    return kResultOk;
}
static tresult ms_write(void *self, void *buf, int32_t n, int32_t *wrote) {
    MemStream *m = self;
    if (m->pos + n > m->cap) {
        m->cap = (m->pos + n) * 2;
        m->data = realloc(m->data, (size_t)m->cap);
    }
    memcpy(m->data + m->pos, buf, (size_t)n);
    m->pos += n;
    if (m->pos > m->len) m->len = m->pos;
    if (wrote) *wrote = n;
    return kResultOk;
}
static tresult ms_seek(void *self, int64_t pos, int32_t mode, int64_t *result) {
    MemStream *m = self;
    int64_t base = mode == kIBSeekSet ? 0 : mode == kIBSeekCur ? m->pos : m->len;
    m->pos = base + pos;
    if (result) *result = m->pos;
    return kResultOk;
}
static tresult ms_tell(void *self, int64_t *pos) { *pos = ((MemStream *)self)->pos; return kResultOk; }
static const IBStreamVtbl ms_vtbl = {ms_query, noref, noref, ms_read, ms_write, ms_seek, ms_tell};
static MemStream ms_new(void) { MemStream m = {{&ms_vtbl}, NULL, 0, 0, 0}; return m; }

#define MAX_Q 64
#define MAX_POINTS 64
typedef struct {
    IParamValueQueue q;
    ParamID id;
    int n;
    int32_t off[MAX_POINTS];
    double val[MAX_POINTS];
} Queue;
typedef struct {
    IParameterChanges c;
    int n;
    Queue queues[MAX_Q];
} Changes;
static tresult q_query(void *self, const TUID iid, void **obj) {
    if (eq(iid, IID_FUnknown) || eq(iid, IID_IParamValueQueue)) { *obj = self; return kResultOk; }
    *obj = NULL;
    return kNoInterface;
}
static ParamID q_id(void *self) { return ((Queue *)self)->id; }
static int32_t q_count(void *self) { return ((Queue *)self)->n; }
static tresult q_point(void *self, int32_t i, int32_t *off, ParamValue *v) {
    Queue *q = self;
    if (i < 0 || i >= q->n) return kInvalidArgument;
    *off = q->off[i];
    *v = q->val[i];
    return kResultOk;
}
static tresult q_add(void *self, int32_t off, ParamValue v, int32_t *index) {
    Queue *q = self;
    if (q->n >= MAX_POINTS) return kResultFalse;
    q->off[q->n] = off;
    q->val[q->n] = v;
    *index = q->n++;
    return kResultOk;
}
static const IParamValueQueueVtbl q_vtbl = {q_query, noref, noref, q_id, q_count, q_point, q_add};
static tresult c_query(void *self, const TUID iid, void **obj) {
    if (eq(iid, IID_FUnknown) || eq(iid, IID_IParameterChanges)) { *obj = self; return kResultOk; }
    *obj = NULL;
    return kNoInterface;
}
static int32_t c_count(void *self) { return ((Changes *)self)->n; }
static IParamValueQueue *c_data(void *self, int32_t i) {
    Changes *c = self;
    return i >= 0 && i < c->n ? &c->queues[i].q : NULL;
}
static IParamValueQueue *c_add(void *self, const ParamID *id, int32_t *index) {
    Changes *c = self;
    for (int i = 0; i < c->n; i++) {
        if (c->queues[i].id == *id) { *index = i; return &c->queues[i].q; }
    }
    if (c->n >= MAX_Q) return NULL;
    Queue *q = &c->queues[c->n];
    q->q.vtbl = &q_vtbl;
    q->id = *id;
    q->n = 0;
    *index = c->n++;
    return &q->q;
}
static const IParameterChangesVtbl c_vtbl = {c_query, noref, noref, c_count, c_data, c_add};

/* ---------------- module loading ---------------- */
typedef struct {
    void *lib;
    IPluginFactory *factory;
    int (*exit_fn)(void);
} Module;

static int module_open(const char *bundle, Module *m) {
    char path[2048];
    const char *base = strrchr(bundle, '/');
    base = base ? base + 1 : bundle;
    char name[512];
    snprintf(name, sizeof name, "%s", base);
    size_t n = strlen(name);
    while (n > 0 && name[n - 1] == '/') name[--n] = 0;
    char *dot = strstr(name, ".vst3");
    if (dot) *dot = 0;
    snprintf(path, sizeof path, "%s/Contents/x86_64-linux/%s.so", bundle, name);
    m->lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!m->lib) {
        printf("error=dlopen %s: %s\n", path, dlerror());
        return -1;
    }
    int (*entry)(void *) = (int (*)(void *))dlsym(m->lib, "ModuleEntry");
    m->exit_fn = (int (*)(void))dlsym(m->lib, "ModuleExit");
    IPluginFactory *(*get)(void) = (IPluginFactory * (*)(void)) dlsym(m->lib, "GetPluginFactory");
    if (!get) {
        printf("error=no GetPluginFactory in %s\n", path);
        dlclose(m->lib);
        return -1;
    }
    if (entry && !entry(m->lib)) {
        printf("error=ModuleEntry failed in %s\n", path);
        dlclose(m->lib);
        return -1;
    }
    m->factory = get();
    return m->factory ? 0 : -1;
}

static void module_close(Module *m) {
    if (m->factory) m->factory->vtbl->release(m->factory);
    if (m->exit_fn) m->exit_fn();
    dlclose(m->lib);
}

typedef struct {
    IComponent *comp;
    IAudioProcessor *proc;
    IEditController *ctrl;
    int separate_ctrl;
} Instance;

static int instance_create(Module *m, const char *cid, Instance *in) {
    memset(in, 0, sizeof *in);
    if (m->factory->vtbl->createInstance(m->factory, cid, IID_IComponent, (void **)&in->comp) != kResultOk || !in->comp)
        return -1;
    if (in->comp->vtbl->initialize(in->comp, (FUnknown *)&g_app) != kResultOk) return -2;
    if (in->comp->vtbl->queryInterface(in->comp, IID_IAudioProcessor, (void **)&in->proc) != kResultOk) in->proc = NULL;
    if (in->comp->vtbl->queryInterface(in->comp, IID_IEditController, (void **)&in->ctrl) != kResultOk) {
        TUID ccid;
        in->ctrl = NULL;
        if (in->comp->vtbl->getControllerClassId(in->comp, ccid) == kResultOk &&
            m->factory->vtbl->createInstance(m->factory, ccid, IID_IEditController, (void **)&in->ctrl) == kResultOk &&
            in->ctrl) {
            in->separate_ctrl = 1;
            in->ctrl->vtbl->initialize(in->ctrl, (FUnknown *)&g_app);
        }
    }
    if (in->ctrl) in->ctrl->vtbl->setComponentHandler(in->ctrl, &g_handler);
    return 0;
}

static void instance_destroy(Instance *in) {
    if (in->ctrl) {
        in->ctrl->vtbl->setComponentHandler(in->ctrl, NULL);
        if (in->separate_ctrl) in->ctrl->vtbl->terminate(in->ctrl);
        in->ctrl->vtbl->release(in->ctrl);
    }
    if (in->proc) in->proc->vtbl->release(in->proc);
    in->comp->vtbl->terminate(in->comp);
    in->comp->vtbl->release(in->comp);
}

/* ---------------- scan ---------------- */
static int scan(const char *bundle) {
    Module m;
    if (module_open(bundle, &m) != 0) return 1;
    PFactoryInfo fi;
    m.factory->vtbl->getFactoryInfo(m.factory, &fi);
    IPluginFactory *f2 = NULL, *f3 = NULL;
    m.factory->vtbl->queryInterface(m.factory, IID_IPluginFactory2, (void **)&f2);
    m.factory->vtbl->queryInterface(m.factory, IID_IPluginFactory3, (void **)&f3);
    int n = m.factory->vtbl->countClasses(m.factory);
    int effects = 0;
    for (int i = 0; i < n; i++) {
        PClassInfo ci;
        if (m.factory->vtbl->getClassInfo(m.factory, i, &ci) != kResultOk) continue;
        PClassInfo2 c2;
        memset(&c2, 0, sizeof c2);
        if (f2) f2->vtbl->getClassInfo2(f2, i, &c2);
        char wname[64] = "";
        if (f3) {
            PClassInfoW cw;
            if (f3->vtbl->getClassInfoUnicode(f3, i, &cw) == kResultOk) utf16_to_ascii(cw.name, wname, sizeof wname);
        }
        if (strcmp(ci.category, "Audio Module Class") != 0) continue;
        Instance in;
        int rc = instance_create(&m, ci.cid, &in);
        if (rc != 0) {
            printf("class=%s|error=createInstance %d\n", ci.name, rc);
            continue;
        }
        int nin = in.comp->vtbl->getBusCount(in.comp, kAudio, kInput);
        int nout = in.comp->vtbl->getBusCount(in.comp, kAudio, kOutput);
        BusInfo bi;
        int in_ch = 0, out_ch = 0;
        if (nin > 0 && in.comp->vtbl->getBusInfo(in.comp, kAudio, kInput, 0, &bi) == kResultOk) in_ch = bi.channelCount;
        if (nout > 0 && in.comp->vtbl->getBusInfo(in.comp, kAudio, kOutput, 0, &bi) == kResultOk) out_ch = bi.channelCount;
        int params = in.ctrl ? in.ctrl->vtbl->getParameterCount(in.ctrl) : -1;
        printf("class=%s|vendor=%s|subcategories=%s|version=%s|sdk=%s|unicode_name=%s|in=%d|out=%d|params=%d|processor=%d\n",
               ci.name, c2.vendor[0] ? c2.vendor : fi.vendor, c2.subCategories, c2.version, c2.sdkVersion, wname,
               in_ch, out_ch, params, in.proc != NULL);
        in.comp->vtbl->setActive(in.comp, 0);
        instance_destroy(&in);
        effects++;
    }
    if (f2) f2->vtbl->release(f2);
    if (f3) f3->vtbl->release(f3);
    module_close(&m);
    printf("bundle=%s|classes=%d|effects=%d\n", bundle, n, effects);
    return effects > 0 ? 0 : 1;
}

static int dump_params(const char *bundle) {
    Module m;
    if (module_open(bundle, &m) != 0) return 1;
    PClassInfo ci;
    m.factory->vtbl->getClassInfo(m.factory, 0, &ci);
    Instance in;
    if (instance_create(&m, ci.cid, &in) != 0 || !in.ctrl) return 1;
    int n = in.ctrl->vtbl->getParameterCount(in.ctrl);
    for (int i = 0; i < n; i++) {
        ParameterInfo pi;
        in.ctrl->vtbl->getParameterInfo(in.ctrl, i, &pi);
        char title[128], units[128], def_text[128];
        String128 s;
        utf16_to_ascii(pi.title, title, sizeof title);
        utf16_to_ascii(pi.units, units, sizeof units);
        in.ctrl->vtbl->getParamStringByValue(in.ctrl, pi.id, pi.defaultNormalizedValue, s);
        utf16_to_ascii(s, def_text, sizeof def_text);
        printf("param=%u|%s|%s|%d|%.9f|%d|%s\n", pi.id, title, units, pi.stepCount, pi.defaultNormalizedValue,
               pi.flags, def_text);
    }
    String128 s;
    char status[128];
    in.ctrl->vtbl->getParamStringByValue(in.ctrl, (ParamID)(n - 1), in.ctrl->vtbl->getParamNormalized(in.ctrl, n - 1), s);
    utf16_to_ascii(s, status, sizeof status);
    printf("status=%s\n", status);
    instance_destroy(&in);
    module_close(&m);
    return 0;
}

/* ---------------- run ---------------- */
typedef struct {
    const char *bundle, *in_path, *out_path, *changes_path, *state_in, *state_out, *trace_path;
    int exit_jvm;
    int in_ch, out_ch, block, loads, rt, offline, pace, sample64;
    long until_restart;
    unsigned vary;
    double rate;
    long blocks;
} Options;

typedef struct {
    long sample;
    int id;
    double value;
} Change;

typedef struct {
    Options *o;
    Instance *in;
    float *input;
    float *output;
    long frames;
    Change *changes;
    int n_changes;
    double *block_ms;
    double *block_cpu_ms;           /* the audio thread's CPU time per block: the plugin's own cost, load aside */
    double *block_epoch_ms;         /* --trace: when each block started, CLOCK_REALTIME */
    double *block_user_ms, *block_sys_ms; /* --trace: the audio thread's user and kernel time per block */
    long *block_minflt, *block_majflt;    /* --trace: page faults the audio thread took per block */
    float (*block_others_ms)[4];          /* --trace: CPU of the other threads per block, by OtherGroup */
    long n_blocks;
    long total_blocks;
    int failed;
} RunJob;

static char g_status_5s[128]; /* the status line after the first 5 s of a run (audio thread, once) */

static unsigned lcg(unsigned *s) { *s = *s * 1664525u + 1013904223u; return *s >> 8; }

/* --trace: the process's other threads, grouped by name, whose CPU time is read around each block. */
enum { OTHER_SEPARATOR, OTHER_PARALLEL, OTHER_JIT, OTHER_REST, OTHER_GROUPS };
#define MAX_WATCHED 128
typedef struct {
    int fd[MAX_WATCHED];
    int group[MAX_WATCHED];
    unsigned long long last[MAX_WATCHED];
    int n;
} Watched;

static unsigned long long schedstat_ns(int fd) {
    char b[96];
    ssize_t k = pread(fd, b, sizeof b - 1, 0);
    if (k <= 0) return 0;
    b[k] = 0;
    return strtoull(b, NULL, 10);
}

/* Opens the schedstat of every thread but the caller's (once: threads started later are not watched). */
static void watch_threads(Watched *w) {
    w->n = 0;
    pid_t self = (pid_t)syscall(SYS_gettid);
    DIR *d = opendir("/proc/self/task");
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d)) && w->n < MAX_WATCHED) {
        if (e->d_name[0] == '.' || atoi(e->d_name) == self) continue;
        char path[320], comm[64] = "";
        snprintf(path, sizeof path, "/proc/self/task/%s/comm", e->d_name);
        FILE *f = fopen(path, "r");
        if (f) {
            if (!fgets(comm, sizeof comm, f)) comm[0] = 0;
            fclose(f);
        }
        snprintf(path, sizeof path, "/proc/self/task/%s/schedstat", e->d_name);
        int fd = open(path, O_RDONLY);
        if (fd < 0) continue;
        int g = strstr(comm, "separa") ? OTHER_SEPARATOR : strstr(comm, "parall") ? OTHER_PARALLEL
              : strstr(comm, "Compiler") ? OTHER_JIT : OTHER_REST;
        w->fd[w->n] = fd;
        w->group[w->n] = g;
        w->last[w->n] = schedstat_ns(fd);
        w->n++;
    }
    closedir(d);
}

/* Adds each group's CPU since the last call to out[group], in ms. */
static void others_since(Watched *w, float out[4]) {
    for (int g = 0; g < OTHER_GROUPS; g++) out[g] = 0;
    for (int i = 0; i < w->n; i++) {
        unsigned long long v = schedstat_ns(w->fd[i]);
        if (v > w->last[i]) out[w->group[i]] += (float)((v - w->last[i]) / 1e6);
        w->last[i] = v;
    }
}

/* The audio thread: deinterleave, process block after block, interleave. */
static void *audio_thread(void *arg) {
    RunJob *j = arg;
    Options *o = j->o;
    int max = o->block;
    g_audio_thread = pthread_self();
    g_audio_running = 1;
    /* the JVM's logs name threads by this id (-Xlog:...:tid): the bench's deoptimization check reads it */
    printf("audio_tid=%ld\n", (long)syscall(SYS_gettid));
    g_blocks_done = 0;
    float *inb[2], *outb[8];
    for (int c = 0; c < 2; c++) inb[c] = calloc((size_t)max, 4);
    for (int c = 0; c < 8; c++) outb[c] = calloc((size_t)max, 4);
    double *inb64[2], *outb64[8]; /* --sample64: the host's buffers are doubles (converted from/to the floats above) */
    for (int c = 0; c < 2; c++) inb64[c] = calloc((size_t)max, 8);
    for (int c = 0; c < 8; c++) outb64[c] = calloc((size_t)max, 8);
    AudioBusBuffers ib = {0}, ob = {0};
    ib.numChannels = o->in_ch;
    ob.numChannels = o->out_ch;
    if (o->sample64) {
        ib.channelBuffers64 = inb64;
        ob.channelBuffers64 = outb64;
    } else {
        ib.channelBuffers32 = inb;
        ob.channelBuffers32 = outb;
    }
    Changes ch;
    ch.c.vtbl = &c_vtbl;
    ProcessData d;
    memset(&d, 0, sizeof d);
    d.processMode = o->offline ? kOffline : kRealtime;
    d.symbolicSampleSize = o->sample64 ? kSample64 : kSample32;
    d.numInputs = 1;
    d.numOutputs = 1;
    d.inputs = &ib;
    d.outputs = &ob;
    d.inputParameterChanges = &ch.c;
    unsigned seed = o->vary ? o->vary : 1;
    long pos = 0, bi = 0;
    int next_change = 0;
    unsigned noise = 12345;
    long total = o->blocks > 0 ? o->blocks * (long)max : j->frames;
    struct timespec due;
    clock_gettime(CLOCK_MONOTONIC, &due);
    Watched watched = {.n = -1};
    for (;;) {
        if (pos >= total) {
            /* --until-restart: the request comes from the plugin's own thread, some time after the change */
            if (o->until_restart <= 0 || j->input || g_restart_block >= 0 || bi >= o->until_restart) break;
            struct timespec pause = {0, 2000000};
            nanosleep(&pause, NULL);
            total += max;
        }
        int n = o->vary ? 1 + (int)(lcg(&seed) % (unsigned)max) : max;
        if (n > total - pos) n = (int)(total - pos);
        if (o->pace) { /* as a sound card drives a DAW: one block per block period (absolute deadlines, no drift) */
            long ns = due.tv_nsec + (long)(1e9 * n / o->rate);
            due.tv_sec += ns / 1000000000L;
            due.tv_nsec = ns % 1000000000L;
            while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due, NULL) == EINTR) { }
        }
        for (int c = 0; c < o->in_ch; c++) {
            for (int i = 0; i < n; i++) {
                inb[c][i] = j->input ? j->input[(pos + i) * o->in_ch + c]
                                     : ((float)(lcg(&noise) & 0xFFFF) / 32768.0f - 1.0f) * 0.25f;
            }
        }
        ch.n = 0;
        while (next_change < j->n_changes && j->changes[next_change].sample < pos + n) {
            Change *c = &j->changes[next_change++];
            int32_t idx;
            ParamID id = (ParamID)c->id;
            IParamValueQueue *q = c_add(&ch, &id, &idx);
            int32_t pidx;
            if (q) q_add(q, (int32_t)(c->sample - pos < 0 ? 0 : c->sample - pos), c->value, &pidx);
        }
        d.numSamples = n;
        if (o->sample64) {
            for (int c = 0; c < o->in_ch; c++)
                for (int i = 0; i < n; i++) inb64[c][i] = inb[c][i];
        }
        struct timespec c0, c1;
        struct rusage ru0, ru1;
        int tracing = j->block_epoch_ms && bi < j->n_blocks;
        if (tracing) {
            struct timespec e;
            if (watched.n < 0) watch_threads(&watched);
            float skip[4];
            others_since(&watched, skip); /* the others' CPU from here: the block's own window */
            clock_gettime(CLOCK_REALTIME, &e);
            j->block_epoch_ms[bi] = e.tv_sec * 1e3 + e.tv_nsec / 1e6;
            getrusage(RUSAGE_THREAD, &ru0);
        }
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
        double t0 = now_ms();
        tresult r = j->in->proc->vtbl->process(j->in->proc, &d);
        double dt = now_ms() - t0;
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
        if (tracing) {
            getrusage(RUSAGE_THREAD, &ru1);
            j->block_user_ms[bi] = (ru1.ru_utime.tv_sec - ru0.ru_utime.tv_sec) * 1e3 +
                                   (ru1.ru_utime.tv_usec - ru0.ru_utime.tv_usec) / 1e3;
            j->block_sys_ms[bi] = (ru1.ru_stime.tv_sec - ru0.ru_stime.tv_sec) * 1e3 +
                                  (ru1.ru_stime.tv_usec - ru0.ru_stime.tv_usec) / 1e3;
            j->block_minflt[bi] = ru1.ru_minflt - ru0.ru_minflt;
            j->block_majflt[bi] = ru1.ru_majflt - ru0.ru_majflt;
            others_since(&watched, j->block_others_ms[bi]);
        }
        if (r != kResultOk) j->failed = 1;
        if (!g_status_5s[0] && pos + n >= 5L * o->rate && j->in->ctrl) {
            /* the status line once 5 s have played (after the block's timing): how many of the run's late blocks
             * (the separator's fallback) fell in its first seconds, while the worker's code was still compiling */
            String128 s;
            int st = j->in->ctrl->vtbl->getParameterCount(j->in->ctrl) - 1;
            j->in->ctrl->vtbl->getParamStringByValue(j->in->ctrl, (ParamID)st,
                                                     j->in->ctrl->vtbl->getParamNormalized(j->in->ctrl, (ParamID)st), s);
            utf16_to_ascii(s, g_status_5s, sizeof g_status_5s);
        }
        if (j->block_ms && bi < j->n_blocks) j->block_ms[bi] = dt;
        if (j->block_cpu_ms && bi < j->n_blocks)
            j->block_cpu_ms[bi] = (c1.tv_sec - c0.tv_sec) * 1e3 + (c1.tv_nsec - c0.tv_nsec) / 1e6;
        bi++;
        g_blocks_done = bi;
        if (o->sample64) {
            for (int c = 0; c < o->out_ch; c++)
                for (int i = 0; i < n; i++) outb[c][i] = (float)outb64[c][i];
        }
        if (j->output) {
            for (int c = 0; c < o->out_ch; c++)
                for (int i = 0; i < n; i++) j->output[(pos + i) * o->out_ch + c] = outb[c][i];
        }
        pos += n;
    }
    g_audio_running = 0;
    for (int i = 0; i < watched.n; i++) close(watched.fd[i]);
    j->n_blocks = bi < j->n_blocks ? bi : j->n_blocks; /* blocks timed (the array may be shorter than the run) */
    j->total_blocks = bi;
    for (int c = 0; c < 2; c++) free(inb[c]);
    for (int c = 0; c < 8; c++) free(outb[c]);
    for (int c = 0; c < 2; c++) free(inb64[c]);
    for (int c = 0; c < 8; c++) free(outb64[c]);
    return NULL;
}

static char *slurp(const char *path, long *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    *len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)*len + 1);
    if (fread(b, 1, (size_t)*len, f) != (size_t)*len) *len = 0;
    b[*len] = 0;
    fclose(f);
    return b;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static SpeakerArrangement arr_for(int ch) {
    return ch == 1 ? kArrMono : ch == 2 ? kArrStereo : ch == 6 ? kArr51 : kArr71;
}

/* CPU seconds of the whole process (every thread: the JVM's compilers and the plugin's workers included), in ms */
static double process_cpu_ms(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

/* CPU ms of each thread of this process so far, summed by thread name (/proc/self/task/N/stat: utime and stime
 * in clock ticks), printed as "name:ms" pairs, largest first: where a cold start's CPU went (the JVM's compiler
 * threads, the plugin's control thread and workers). */
static void print_thread_cpu(const char *key) {
    char names[64][20];
    double ms[64];
    int n = 0;
    DIR *d = opendir("/proc/self/task");
    if (!d) return;
    long tick = sysconf(_SC_CLK_TCK);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char path[300], buf[1024];
        snprintf(path, sizeof path, "/proc/self/task/%s/stat", e->d_name);
        FILE *f = fopen(path, "r");
        if (!f) continue;
        size_t len = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[len] = 0;
        char *open = strchr(buf, '('), *close = strrchr(buf, ')');
        if (!open || !close) continue;
        char name[20];
        int nl = (int)(close - open - 1) < 19 ? (int)(close - open - 1) : 19;
        memcpy(name, open + 1, (size_t)nl);
        name[nl] = 0;
        for (int i = 0; i < nl; i++) if (name[i] == ' ') name[i] = '_';
        unsigned long ut = 0, st = 0;
        /* after ") ": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime */
        if (sscanf(close + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2) continue;
        /* JVM compiler threads are named "C2 CompilerThre" etc.; group numbered ones by their name */
        int k = 0;
        while (k < n && strcmp(names[k], name)) k++;
        if (k == n) {
            if (n == 64) continue;
            snprintf(names[n], sizeof names[n], "%s", name);
            ms[n++] = 0;
        }
        ms[k] += (ut + st) * 1000.0 / tick;
    }
    closedir(d);
    printf("%s=", key);
    for (int shown = 0; shown < 8; shown++) {
        int best = -1;
        for (int i = 0; i < n; i++) if (ms[i] > 0 && (best < 0 || ms[i] > ms[best])) best = i;
        if (best < 0) break;
        printf("%s%s:%.0f", shown ? " " : "", names[best], ms[best]);
        ms[best] = 0;
    }
    printf("\n");
}

static int run_once(Options *o, int load_index, float *input, long frames, Change *changes, int n_changes) {
    double t0 = now_ms(), cpu0 = process_cpu_ms();
    Module m;
    if (module_open(o->bundle, &m) != 0) return 1;
    PClassInfo ci;
    m.factory->vtbl->getClassInfo(m.factory, 0, &ci);
    Instance in;
    if (instance_create(&m, ci.cid, &in) != 0 || !in.proc) {
        printf("error=cannot create the audio processor\n");
        return 1;
    }
    SpeakerArrangement ia = arr_for(o->in_ch), oa = arr_for(o->out_ch);
    if (in.proc->vtbl->setBusArrangements(in.proc, &ia, 1, &oa, 1) != kResultOk) {
        printf("error=bus arrangement %d->%d refused\n", o->in_ch, o->out_ch);
        return 1;
    }
    /* An arrangement the plugin cannot do must be refused properly. */
    SpeakerArrangement bad = kArr51;
    printf("refuses_51_input=%d\n", in.proc->vtbl->setBusArrangements(in.proc, &bad, 1, &oa, 1) != kResultOk);
    in.proc->vtbl->setBusArrangements(in.proc, &ia, 1, &oa, 1);
    g_restart_flags = 0;
    g_restart_from_audio = 0;
    g_restart_block = g_restart_latency = -1;
    g_restart_while_processing = 0;
    g_restart_proc = in.proc;
    if (o->state_in) {
        long len;
        char *s = slurp(o->state_in, &len);
        if (!s) { printf("error=cannot read %s\n", o->state_in); return 1; }
        MemStream ms = ms_new();
        ms.data = s;
        ms.len = ms.cap = len;
        printf("set_state=%d\n", in.comp->vtbl->setState(in.comp, &ms.s));
        free(s);
    }
    ProcessSetup setup = {o->offline ? kOffline : kRealtime, o->sample64 ? kSample64 : kSample32, o->block, o->rate};
    printf("can_process_64=%d\n", in.proc->vtbl->canProcessSampleSize(in.proc, kSample64) == kResultOk);
    if (in.proc->vtbl->setupProcessing(in.proc, &setup) != kResultOk) {
        printf("error=setupProcessing refused\n");
        return 1;
    }
    in.comp->vtbl->setActive(in.comp, 1);
    in.proc->vtbl->setProcessing(in.proc, 1);
    double t_ready = now_ms();
    /* cold start: dlopen to the end of setupProcessing + setActive; its CPU is what a loaded machine cannot hide */
    printf("load=%d\ncold_start_ms=%.1f\ncold_start_cpu_ms=%.1f\n", load_index, t_ready - t0, process_cpu_ms() - cpu0);
    if (load_index == 0) print_thread_cpu("cold_start_thread_cpu_ms");
    double (*jvm_ms)(void) = (double (*)(void))dlsym(m.lib, "stemroom_jvm_start_ms"); /* ours only */
    if (jvm_ms) printf("jvm_create_ms=%.1f\n", jvm_ms());
    const char *(*jvm_path)(void) = (const char *(*)(void))dlsym(m.lib, "stemroom_jvm_path");
    int (*cds_used)(void) = (int (*)(void))dlsym(m.lib, "stemroom_jvm_cds_used");
    if (jvm_path && cds_used) printf("jvm_path=%s\ncds_archive_used=%d\n", jvm_path(), cds_used());
    printf("latency=%u\ntail=%u\n", in.proc->vtbl->getLatencySamples(in.proc), in.proc->vtbl->getTailSamples(in.proc));
    if (in.ctrl) {
        String128 s;
        char status[128];
        int st = in.ctrl->vtbl->getParameterCount(in.ctrl) - 1;
        in.ctrl->vtbl->getParamStringByValue(in.ctrl, (ParamID)st, in.ctrl->vtbl->getParamNormalized(in.ctrl, (ParamID)st), s);
        utf16_to_ascii(s, status, sizeof status);
        printf("status=%s\nstatus_value=%.3f\n", status, in.ctrl->vtbl->getParamNormalized(in.ctrl, (ParamID)st));
    }

    RunJob j = {o, &in, input, NULL, frames, changes, n_changes, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0};
    long out_frames = o->blocks > 0 ? 0 : frames;
    if (o->out_path && out_frames > 0) j.output = calloc((size_t)out_frames * (size_t)o->out_ch, 4);
    long max_blocks = o->blocks > 0 ? o->blocks : frames + 1;
    j.block_ms = calloc((size_t)max_blocks, sizeof(double));
    j.block_cpu_ms = calloc((size_t)max_blocks, sizeof(double));
    if (o->trace_path) {
        j.block_epoch_ms = calloc((size_t)max_blocks, sizeof(double));
        j.block_user_ms = calloc((size_t)max_blocks, sizeof(double));
        j.block_sys_ms = calloc((size_t)max_blocks, sizeof(double));
        j.block_minflt = calloc((size_t)max_blocks, sizeof(long));
        j.block_majflt = calloc((size_t)max_blocks, sizeof(long));
        j.block_others_ms = calloc((size_t)max_blocks, sizeof *j.block_others_ms);
    }
    j.n_blocks = max_blocks;
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    if (o->rt > 0) { /* like a DAW's audio thread: SCHED_FIFO (needs privileges; reported) */
        struct sched_param sp = {.sched_priority = o->rt};
        pthread_attr_setinheritsched(&attr, PTHREAD_EXPLICIT_SCHED);
        pthread_attr_setschedpolicy(&attr, SCHED_FIFO);
        pthread_attr_setschedparam(&attr, &sp);
    }
    if (pthread_create(&t, &attr, audio_thread, &j) != 0) {
        printf("rt_refused=1\n");
        pthread_create(&t, NULL, audio_thread, &j);
    } else if (o->rt > 0) {
        printf("rt_priority=%d\n", o->rt);
    }
    pthread_attr_destroy(&attr);
    pthread_join(t, NULL);
    printf("blocks=%ld\nprocess_failed=%d\n", j.total_blocks, j.failed);
    if (in.ctrl) { /* the status line after processing: says how many blocks the separator's fallback served */
        String128 s;
        char status[128];
        int st = in.ctrl->vtbl->getParameterCount(in.ctrl) - 1;
        in.ctrl->vtbl->getParamStringByValue(in.ctrl, (ParamID)st, in.ctrl->vtbl->getParamNormalized(in.ctrl, (ParamID)st), s);
        utf16_to_ascii(s, status, sizeof status);
        printf("status_after=%s\n", status);
        if (g_status_5s[0]) printf("status_after_5s=%s\n", g_status_5s);
    }
    if (o->trace_path && j.n_blocks > 0) {
        FILE *tf = fopen(o->trace_path, "w");
        if (!tf) {
            printf("error=cannot write %s\n", o->trace_path);
        } else {
            for (long i = 0; i < j.n_blocks; i++)
                fprintf(tf, "%ld %.3f %.4f %.4f %.3f %.3f %ld %ld %.3f %.3f %.3f %.3f\n", i, j.block_epoch_ms[i],
                        j.block_ms[i], j.block_cpu_ms[i], j.block_user_ms[i], j.block_sys_ms[i], j.block_minflt[i],
                        j.block_majflt[i], j.block_others_ms[i][OTHER_SEPARATOR], j.block_others_ms[i][OTHER_PARALLEL],
                        j.block_others_ms[i][OTHER_JIT], j.block_others_ms[i][OTHER_REST]);
            fclose(tf);
        }
    }
    free(j.block_epoch_ms);
    free(j.block_user_ms);
    free(j.block_sys_ms);
    free(j.block_minflt);
    free(j.block_majflt);
    free(j.block_others_ms);
    if (j.n_blocks > 0) {
        double sum = 0, mx = 0;
        long at = 0, over_half = 0;
        for (long i = 0; i < j.n_blocks; i++) {
            sum += j.block_ms[i];
            if (j.block_ms[i] > mx) { mx = j.block_ms[i]; at = i; }
            if (j.block_ms[i] > 0.5 * 1000.0 * o->block / o->rate) over_half++;
        }
        printf("block_max_at=%ld\nblocks_over_half_period=%ld\n", at, over_half);
        qsort(j.block_ms, (size_t)j.n_blocks, sizeof(double), cmp_double);
        printf("block_mean_ms=%.4f\nblock_max_ms=%.4f\nblock_p99_ms=%.4f\nblock_p999_ms=%.4f\n", sum / j.n_blocks, mx,
               j.block_ms[(long)(j.n_blocks * 0.99)], j.block_ms[(long)(j.n_blocks * 0.999)]);
        double csum = 0;
        for (long i = 0; i < j.n_blocks; i++) csum += j.block_cpu_ms[i];
        qsort(j.block_cpu_ms, (size_t)j.n_blocks, sizeof(double), cmp_double);
        printf("block_cpu_mean_ms=%.4f\nblock_cpu_max_ms=%.4f\nblock_cpu_p99_ms=%.4f\nblock_cpu_p999_ms=%.4f\n",
               csum / j.n_blocks, j.block_cpu_ms[j.n_blocks - 1], j.block_cpu_ms[(long)(j.n_blocks * 0.99)],
               j.block_cpu_ms[(long)(j.n_blocks * 0.999)]);
    }
    free(j.block_ms);
    free(j.block_cpu_ms);
    if (j.output) {
        FILE *f = fopen(o->out_path, "wb");
        fwrite(j.output, 4, (size_t)out_frames * (size_t)o->out_ch, f);
        fclose(f);
        free(j.output);
    }
    in.proc->vtbl->setProcessing(in.proc, 0);
    in.comp->vtbl->setActive(in.comp, 0);

    /* State: save, restore the saved bytes, save again: the two saves must be identical. */
    MemStream s1 = ms_new();
    tresult g1 = in.comp->vtbl->getState(in.comp, &s1.s);
    MemStream back = ms_new();
    back.data = s1.data;
    back.len = s1.len;
    back.cap = s1.cap;
    tresult sr = in.comp->vtbl->setState(in.comp, &back.s);
    MemStream s2 = ms_new();
    tresult g2 = in.comp->vtbl->getState(in.comp, &s2.s);
    int same = g1 == kResultOk && sr == kResultOk && g2 == kResultOk && s1.len == s2.len &&
               memcmp(s1.data, s2.data, (size_t)s1.len) == 0;
    printf("state_bytes=%ld\nstate_roundtrip=%d\n", (long)s1.len, same);
    if (o->state_out) {
        FILE *f = fopen(o->state_out, "wb");
        fwrite(s1.data, 1, (size_t)s1.len, f);
        fclose(f);
    }
    free(s1.data);
    free(s2.data);
    printf("restart_flags=%d\nrestart_from_audio_thread=%d\nrestart_while_processing=%d\nrestart_block=%ld\n"
           "restart_latency=%ld\nlatency_after=%u\n", g_restart_flags, g_restart_from_audio, g_restart_while_processing,
           g_restart_block, g_restart_latency, in.proc->vtbl->getLatencySamples(in.proc));
    g_restart_proc = NULL;
    instance_destroy(&in);
    module_close(&m);
    printf("rss_kb=%ld\nthreads=%d\n", rss_kb(), thread_count());
    return j.failed || !same;
}

static int run(Options *o) {
    float *input = NULL;
    long frames = 0;
    if (o->in_path) {
        long bytes;
        input = (float *)slurp(o->in_path, &bytes);
        if (!input) { printf("error=cannot read %s\n", o->in_path); return 1; }
        frames = bytes / 4 / o->in_ch;
    }
    Change *changes = NULL;
    int n = 0;
    if (o->changes_path) {
        FILE *f = fopen(o->changes_path, "r");
        if (!f) { printf("error=cannot read %s\n", o->changes_path); return 1; }
        changes = calloc(100000, sizeof *changes);
        while (n < 100000 && fscanf(f, "%ld %d %lf", &changes[n].sample, &changes[n].id, &changes[n].value) == 3) n++;
        fclose(f);
    }
    int rc = 0;
    for (int i = 0; i < o->loads && rc == 0; i++) rc = run_once(o, i, input, frames, changes, n);
    free(input);
    free(changes);
    if (o->exit_jvm) {
        /* Ends the process through the JVM's System.exit, which runs the JVM's exit work (the class-data dump of
         * -XX:ArchiveClassesAtExit). DestroyJavaVM would wait forever: the shim's helper thread, which created
         * the JVM, is a live non-daemon Java thread. Only the build's dump does this; a DAW never ends the JVM. */
        jint (*created)(JavaVM **, jsize, jsize *) =
            (jint (*)(JavaVM **, jsize, jsize *))dlsym(RTLD_DEFAULT, "JNI_GetCreatedJavaVMs");
        JavaVM *vm;
        JNIEnv *env;
        jsize count = 0;
        if (!created || created(&vm, 1, &count) != JNI_OK || count < 1 ||
            (*vm)->AttachCurrentThread(vm, (void **)&env, NULL) != JNI_OK) {
            printf("error=no JVM to exit\n");
            return 1;
        }
        jclass sys = (*env)->FindClass(env, "java/lang/System");
        jmethodID ex = sys ? (*env)->GetStaticMethodID(env, sys, "exit", "(I)V") : NULL;
        if (!ex) {
            printf("error=no System.exit\n");
            return 1;
        }
        (*env)->CallStaticVoidMethod(env, sys, ex, (jint)rc);
        printf("error=System.exit returned\n");
        return 1;
    }
    return rc;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc < 3) {
        fprintf(stderr, "usage: %s scan BUNDLE... | params BUNDLE | run BUNDLE [options]\n", argv[0]);
        return 2;
    }
    if (!strcmp(argv[1], "scan")) {
        int rc = 0;
        for (int i = 2; i < argc; i++) rc |= scan(argv[i]);
        return rc;
    }
    if (!strcmp(argv[1], "params")) return dump_params(argv[2]);
    if (strcmp(argv[1], "run") != 0) return 2;
    Options o = {0};
    o.bundle = argv[2];
    o.in_ch = 2;
    o.out_ch = 6;
    o.block = 512;
    o.rate = 48000;
    o.loads = 1;
    for (int i = 3; i + 1 < argc; i += 2) {
        const char *k = argv[i], *v = argv[i + 1];
        if (!strcmp(k, "--in")) o.in_path = v;
        else if (!strcmp(k, "--out")) o.out_path = v;
        else if (!strcmp(k, "--in-ch")) o.in_ch = atoi(v);
        else if (!strcmp(k, "--out-ch")) o.out_ch = atoi(v);
        else if (!strcmp(k, "--rate")) o.rate = atof(v);
        else if (!strcmp(k, "--block")) o.block = atoi(v);
        else if (!strcmp(k, "--vary")) o.vary = (unsigned)atoi(v);
        else if (!strcmp(k, "--changes")) o.changes_path = v;
        else if (!strcmp(k, "--state-in")) o.state_in = v;
        else if (!strcmp(k, "--state-out")) o.state_out = v;
        else if (!strcmp(k, "--blocks")) o.blocks = atol(v);
        else if (!strcmp(k, "--loads")) o.loads = atoi(v);
        else if (!strcmp(k, "--offline")) o.offline = atoi(v);
        else if (!strcmp(k, "--rt")) o.rt = atoi(v);
        else if (!strcmp(k, "--pace")) o.pace = atoi(v);
        else if (!strcmp(k, "--sample64")) o.sample64 = atoi(v);
        else if (!strcmp(k, "--trace")) o.trace_path = v;
        else if (!strcmp(k, "--until-restart")) o.until_restart = atol(v);
        else if (!strcmp(k, "--exit-jvm")) o.exit_jvm = atoi(v);
        else { fprintf(stderr, "unknown option %s\n", k); return 2; }
    }
    return run(&o);
}
