#define _GNU_SOURCE
#include "jvm.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define CONFIG_NAME "stemroom-jvm.conf"
/* The class-data archive the build made for one JVM (see build-native.sh), and the JVM it belongs to. */
#define CDS_ARCHIVE "stemroom.jsa"
#define CDS_STAMP "stemroom.jsa.jvm"
#define MAX_OPTIONS 32
#define MAX_EXTRA 16
#define BRIDGE_CLASS "org.stemroom.plugin.PluginInstance"

typedef jint (*create_vm_fn)(JavaVM **, void **, void *);
typedef jint (*created_vms_fn)(JavaVM **, jsize, jsize *);

static pthread_mutex_t g_start_mu = PTHREAD_MUTEX_INITIALIZER;
static int g_state;              /* 0 not tried, 1 running, -1 failed */
static char g_reason[512];
static JavaVM *g_vm;
static jobject g_loader;         /* global ref: the bundle's class loader */
static sr_java_api g_api;
static double g_start_ms;
static char g_libjvm_path[1200]; /* the libjvm.so the JVM was created from ("" when reused or none) */
static int g_cds_used;           /* 1 when the bundle's class-data archive was handed to the JVM */
static int g_on_class_path;      /* 1 when the bundle's jars are the class path of a JVM this shim created */

static pthread_t g_helper;
static pid_t g_helper_tid;
static pthread_mutex_t g_job_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_job_cv = PTHREAD_COND_INITIALIZER;
static pthread_cond_t g_done_cv = PTHREAD_COND_INITIALIZER;
static pthread_mutex_t g_submit_mu = PTHREAD_MUTEX_INITIALIZER;
static void (*g_job_fn)(JNIEnv *, void *);
static void *g_job_arg;
static int g_job_pending;
static int g_helper_ready;       /* 1 once the helper finished start-up (success or not) */

static pthread_key_t g_env_key;
static pthread_once_t g_key_once = PTHREAD_ONCE_INIT;

/* Start-up parameters handed to the helper thread. */
static const char *g_module_dir;
static const char *g_resources_dir;

static pid_t current_tid(void) { return (pid_t)syscall(SYS_gettid); }

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void fail(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(g_reason, sizeof g_reason, fmt, ap);
    va_end(ap);
}

const char *sr_jvm_reason(void) { return g_reason; }
const sr_java_api *sr_jvm_api(void) { return g_state == 1 ? &g_api : NULL; }
double sr_jvm_start_ms(void) { return g_start_ms; }
const char *sr_jvm_libjvm_path(void) { return g_libjvm_path; }
int sr_jvm_cds_used(void) { return g_cds_used; }

static char *trim(char *s) {
    while (*s == ' ' || *s == '\t') s++;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r')) *--e = 0;
    return s;
}

typedef struct {
    char java_home[1024];
    char *options[MAX_OPTIONS];
    int n_options;
    int found;
} jvm_config;

/* Reads "key = value" lines: java_home (one) and option (repeatable, replaces the defaults). */
static void read_config(const char *module_dir, jvm_config *cfg) {
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", module_dir, CONFIG_NAME);
    FILE *f = fopen(path, "r");
    if (!f) return;
    cfg->found = 1;
    char line[1200];
    while (fgets(line, sizeof line, f)) {
        char *l = trim(line);
        if (!*l || *l == '#') continue;
        char *eq = strchr(l, '=');
        if (!eq) continue;
        *eq = 0;
        char *key = trim(l), *val = trim(eq + 1);
        if (!strcmp(key, "java_home")) {
            snprintf(cfg->java_home, sizeof cfg->java_home, "%s", val);
        } else if (!strcmp(key, "option") && cfg->n_options < MAX_OPTIONS && *val) {
            cfg->options[cfg->n_options++] = strdup(val);
        }
    }
    fclose(f);
}

static void free_config(jvm_config *cfg) {
    for (int i = 0; i < cfg->n_options; i++) free(cfg->options[i]);
    cfg->n_options = 0;
}

static int file_exists(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static int cmp_jar(const struct dirent **a, const struct dirent **b) {
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int jar_filter(const struct dirent *d) {
    size_t n = strlen(d->d_name);
    return n > 4 && !strcmp(d->d_name + n - 4, ".jar");
}

/* The bundle's jars, sorted by name (the class path order of both loaders below). Returns the count, or -1. */
static int list_jars(const char *resources_dir, struct dirent ***jars) {
    return scandir(resources_dir, jars, jar_filter, cmp_jar);
}

static void free_jars(struct dirent **jars, int n) {
    for (int i = 0; i < n; i++) free(jars[i]);
    if (n >= 0) free(jars);
}

static void *open_libjvm(const char *home, char *tried, size_t tried_len) {
    if (!home || !*home) return NULL;
    char path[1200];
    snprintf(path, sizeof path, "%s/lib/server/libjvm.so", home);
    size_t used = strlen(tried);
    snprintf(tried + used, tried_len - used, "%s%s", used ? ", " : "", home);
    if (!file_exists(path)) return NULL;
    void *h = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
    if (!h) fprintf(stderr, "stemroom: cannot load %s: %s\n", path, dlerror());
    else snprintf(g_libjvm_path, sizeof g_libjvm_path, "%s", path);
    return h;
}

static int cmp_names(const struct dirent **a, const struct dirent **b) {
    return -strcmp((*a)->d_name, (*b)->d_name); /* newest-looking name first */
}

/* Search order: STEMROOM_JAVA_HOME, java_home in the config file, JAVA_HOME, the system default. */
static void *find_libjvm(const jvm_config *cfg, char *tried, size_t tried_len) {
    void *h = open_libjvm(getenv("STEMROOM_JAVA_HOME"), tried, tried_len);
    if (h) return h;
    const char *only = getenv("STEMROOM_JAVA_HOME_ONLY"); /* test hook: no other JVM allowed */
    if (only && !strcmp(only, "1")) return NULL;
    if ((h = open_libjvm(cfg->java_home, tried, tried_len))) return h;
    if ((h = open_libjvm(getenv("JAVA_HOME"), tried, tried_len))) return h;
    if ((h = open_libjvm("/usr/lib/jvm/default-java", tried, tried_len))) return h;
    struct dirent **names;
    int n = scandir("/usr/lib/jvm", &names, NULL, cmp_names);
    for (int i = 0; i < n; i++) {
        if (!h && names[i]->d_name[0] != '.') {
            char home[1024];
            snprintf(home, sizeof home, "/usr/lib/jvm/%s", names[i]->d_name);
            char probe[1200];
            snprintf(probe, sizeof probe, "%s/lib/server/libjvm.so", home);
            if (file_exists(probe)) h = open_libjvm(home, tried, tried_len);
        }
        free(names[i]);
    }
    if (n >= 0) free(names);
    return h;
}

static int exception_reason(JNIEnv *env, const char *what) {
    if (!(*env)->ExceptionCheck(env)) return 0;
    jthrowable t = (*env)->ExceptionOccurred(env);
    (*env)->ExceptionClear(env);
    char msg[300] = "unknown";
    jclass cls = (*env)->FindClass(env, "java/lang/Object");
    jmethodID to_string = cls ? (*env)->GetMethodID(env, cls, "toString", "()Ljava/lang/String;") : NULL;
    if (to_string) {
        jstring s = (jstring)(*env)->CallObjectMethod(env, t, to_string);
        if (s && !(*env)->ExceptionCheck(env)) {
            const char *c = (*env)->GetStringUTFChars(env, s, NULL);
            if (c) {
                snprintf(msg, sizeof msg, "%s", c);
                (*env)->ReleaseStringUTFChars(env, s, c);
            }
        }
        (*env)->ExceptionClear(env);
    }
    fail("%s: %s", what, msg);
    return -1;
}


/* The bundle's class loader. In a JVM someone else created (a Java host, another plugin built on this shim): a
 * URLClassLoader over the bundle's jars, parented by the platform class loader, so the plugin's classes never mix
 * with whatever else lives in the process. In a JVM this shim created, the system class loader, whose class path
 * is the bundle's jars alone (start_vm): nothing else was in that JVM before, a later plugin on this shim gets a
 * URLClassLoader of its own beside it, and classes of the system loader come whole from the class-data archive,
 * whereas a URLClassLoader must still read, inflate and checksum each archived class's bytes from its jar before
 * the archive's copy is used (measured: state restore alone 0.9 against 1.7 CPU-s at load 9). */
static int load_bridge(JNIEnv *env, const char *resources_dir) {
    struct dirent **jars;
    int n = list_jars(resources_dir, &jars);
    if (n <= 0) {
        fail("no jars in %s", resources_dir);
        return -1;
    }
    jclass file_cls = (*env)->FindClass(env, "java/io/File");
    jclass uri_cls = (*env)->FindClass(env, "java/net/URI");
    jclass url_cls = (*env)->FindClass(env, "java/net/URL");
    jclass ucl_cls = (*env)->FindClass(env, "java/net/URLClassLoader");
    jclass cl_cls = (*env)->FindClass(env, "java/lang/ClassLoader");
    jclass class_cls = (*env)->FindClass(env, "java/lang/Class");
    if (exception_reason(env, "JDK classes")) goto out;
    jmethodID file_init = (*env)->GetMethodID(env, file_cls, "<init>", "(Ljava/lang/String;)V");
    jmethodID to_uri = (*env)->GetMethodID(env, file_cls, "toURI", "()Ljava/net/URI;");
    jmethodID to_url = (*env)->GetMethodID(env, uri_cls, "toURL", "()Ljava/net/URL;");
    jmethodID ucl_init = (*env)->GetMethodID(env, ucl_cls, "<init>", "([Ljava/net/URL;Ljava/lang/ClassLoader;)V");
    jmethodID platform = (*env)->GetStaticMethodID(env, cl_cls, "getPlatformClassLoader", "()Ljava/lang/ClassLoader;");
    jmethodID system = (*env)->GetStaticMethodID(env, cl_cls, "getSystemClassLoader", "()Ljava/lang/ClassLoader;");
    jmethodID for_name = (*env)->GetStaticMethodID(env, class_cls, "forName",
                                                   "(Ljava/lang/String;ZLjava/lang/ClassLoader;)Ljava/lang/Class;");
    if (exception_reason(env, "JDK methods (Java 17 or newer needed)")) goto out;
    jobject loader;
    if (g_on_class_path) {
        loader = (*env)->CallStaticObjectMethod(env, cl_cls, system);
        if (exception_reason(env, "system class loader")) goto out;
        goto have_loader;
    }
    jobjectArray urls = (*env)->NewObjectArray(env, n, url_cls, NULL);
    for (int i = 0; i < n; i++) {
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", resources_dir, jars[i]->d_name);
        jstring jp = (*env)->NewStringUTF(env, path);
        jobject f = (*env)->NewObject(env, file_cls, file_init, jp);
        jobject uri = (*env)->CallObjectMethod(env, f, to_uri);
        jobject url = (*env)->CallObjectMethod(env, uri, to_url);
        if (exception_reason(env, "jar URL")) goto out;
        (*env)->SetObjectArrayElement(env, urls, i, url);
        (*env)->DeleteLocalRef(env, jp);
        (*env)->DeleteLocalRef(env, f);
        (*env)->DeleteLocalRef(env, uri);
        (*env)->DeleteLocalRef(env, url);
    }
    jobject parent = (*env)->CallStaticObjectMethod(env, cl_cls, platform);
    loader = (*env)->NewObject(env, ucl_cls, ucl_init, urls, parent);
    if (exception_reason(env, "class loader")) goto out;
have_loader:;
    jstring name = (*env)->NewStringUTF(env, BRIDGE_CLASS);
    jclass bridge = (jclass)(*env)->CallStaticObjectMethod(env, class_cls, for_name, name, JNI_TRUE, loader);
    if (exception_reason(env, "loading " BRIDGE_CLASS)) goto out;
    g_loader = (*env)->NewGlobalRef(env, loader);
    g_api.bridge = (jclass)(*env)->NewGlobalRef(env, bridge);
    jclass b = g_api.bridge;
    g_api.create = (*env)->GetStaticMethodID(env, b, "create", "(Ljava/lang/String;)L" "org/stemroom/plugin/PluginInstance;");
    g_api.setup = (*env)->GetMethodID(env, b, "setup", "(DIJJILjava/nio/ByteBuffer;Ljava/nio/ByteBuffer;)I");
    g_api.process = (*env)->GetMethodID(env, b, "process", "(III)I");
    g_api.reset = (*env)->GetMethodID(env, b, "reset", "()V");
    g_api.latency = (*env)->GetMethodID(env, b, "latency", "()I");
    g_api.tail = (*env)->GetMethodID(env, b, "tail", "()J");
    g_api.get_state = (*env)->GetMethodID(env, b, "getState", "()[B");
    g_api.set_state = (*env)->GetMethodID(env, b, "setState", "([B)I");
    g_api.get_param = (*env)->GetMethodID(env, b, "getParam", "(I)D");
    g_api.set_param = (*env)->GetMethodID(env, b, "setParam", "(ID)V");
    g_api.status = (*env)->GetMethodID(env, b, "status", "()Ljava/lang/String;");
    g_api.warm_up = (*env)->GetMethodID(env, b, "warmUp", "(II)V");
    g_api.release = (*env)->GetMethodID(env, b, "release", "()V");
    if (exception_reason(env, "bridge methods")) goto out;
    free_jars(jars, n);
    return 0;
out:
    free_jars(jars, n);
    return -1;
}

static void set_context_loader(JNIEnv *env) {
    jclass thread_cls = (*env)->FindClass(env, "java/lang/Thread");
    jmethodID current = (*env)->GetStaticMethodID(env, thread_cls, "currentThread", "()Ljava/lang/Thread;");
    jmethodID set_ccl = (*env)->GetMethodID(env, thread_cls, "setContextClassLoader", "(Ljava/lang/ClassLoader;)V");
    jobject t = (*env)->CallStaticObjectMethod(env, thread_cls, current);
    (*env)->CallVoidMethod(env, t, set_ccl, g_loader);
    (*env)->ExceptionClear(env);
    (*env)->DeleteLocalRef(env, t);
    (*env)->DeleteLocalRef(env, thread_cls);
}

/* The stamp file names the libjvm.so the archive was dumped with, as "PATH SIZE MTIME"; then "DIR RELOCATES", the
 * canonical Resources folder of the class path it was dumped with and 1 when that JVM accepts the same jars in
 * another folder (seen with Java 25; Java 17 drops the archive); then each jar of that class path, in class path
 * order, as "NAME SIZE MTIME". A class-data archive only works with the exact JVM build that wrote it and with class
 * path jars of the same size and modification time, and a JVM handed a mismatched archive prints warnings and errors
 * into the host's output before dropping it: so the archive is offered only when all of these match. (An install
 * that copies the bundle without keeping the jars' times loses the archive, not the plugin: scripts/install-plugin.sh
 * keeps them.) */
static int cds_matches(const char *module_dir, const char *libjvm, const char *class_dir, struct dirent **jars,
                       int n_jars) {
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", module_dir, CDS_ARCHIVE);
    if (!file_exists(path)) return 0;
    snprintf(path, sizeof path, "%s/%s", module_dir, CDS_STAMP);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    char want[1200];
    long long size = -1, mtime = -1;
    struct stat st;
    int ok = fscanf(f, "%1199s %lld %lld", want, &size, &mtime) == 3 && !strcmp(want, libjvm) &&
             stat(libjvm, &st) == 0 && (long long)st.st_size == size && (long long)st.st_mtime == mtime;
    int relocates = 0;
    ok = ok && fscanf(f, "%1199s %d", want, &relocates) == 2 && (relocates == 1 || !strcmp(want, class_dir));
    for (int i = 0; ok && i < n_jars; i++) {
        char jar[PATH_MAX + 512];
        snprintf(jar, sizeof jar, "%s/%s", class_dir, jars[i]->d_name);
        ok = fscanf(f, "%1199s %lld %lld", want, &size, &mtime) == 3 && !strcmp(want, jars[i]->d_name) &&
             stat(jar, &st) == 0 && (long long)st.st_size == size && (long long)st.st_mtime == mtime;
    }
    if (ok && fscanf(f, "%1199s", want) == 1) ok = 0; /* the archive's class path had more jars */
    fclose(f);
    return ok;
}

static int has_option(JavaVMOption *opts, int n, const char *part) {
    for (int i = 0; i < n; i++)
        if (strstr(opts[i].optionString, part)) return 1;
    return 0;
}

static JNIEnv *start_vm(void) {
    JNIEnv *env = NULL;
    double t0 = now_ms();

    /* A JVM already in the process (a Java host, or another plugin built on this shim) is reused. */
    created_vms_fn created = (created_vms_fn)dlsym(RTLD_DEFAULT, "JNI_GetCreatedJavaVMs");
    if (created) {
        JavaVM *vms[1];
        jsize count = 0;
        if (created(vms, 1, &count) == JNI_OK && count > 0) {
            g_vm = vms[0];
            JavaVMAttachArgs aa = {JNI_VERSION_1_8, "stemroom-control", NULL};
            if ((*g_vm)->AttachCurrentThreadAsDaemon(g_vm, (void **)&env, &aa) != JNI_OK) {
                fail("cannot attach to the JVM already running in this process");
                return NULL;
            }
            return env;
        }
    }

    jvm_config cfg;
    memset(&cfg, 0, sizeof cfg);
    read_config(g_module_dir, &cfg);
    char tried[4096] = "";
    void *lib = find_libjvm(&cfg, tried, sizeof tried);
    if (!lib) {
        free_config(&cfg);
        fail("no Java runtime found (looked in: %s); set STEMROOM_JAVA_HOME to a Java 17+ runtime",
             tried[0] ? tried : "STEMROOM_JAVA_HOME unset");
        return NULL;
    }
    create_vm_fn create = (create_vm_fn)dlsym(lib, "JNI_CreateJavaVM");
    created = (created_vms_fn)dlsym(lib, "JNI_GetCreatedJavaVMs");
    if (!create || !created) {
        free_config(&cfg);
        fail("libjvm.so lacks JNI_CreateJavaVM");
        return NULL;
    }
    JavaVM *vms[1];
    jsize count = 0;
    if (created(vms, 1, &count) == JNI_OK && count > 0) {
        free_config(&cfg);
        g_vm = vms[0];
        JavaVMAttachArgs aa = {JNI_VERSION_1_8, "stemroom-control", NULL};
        if ((*g_vm)->AttachCurrentThreadAsDaemon(g_vm, (void **)&env, &aa) != JNI_OK) {
            fail("cannot attach to the existing JVM");
            return NULL;
        }
        return env;
    }

    /* Defaults measured to pass in Ardour: leave the host's signal handlers alone (-Xrs), no perf file, a modest
     * heap whose young generation holds a whole start's allocations (no collection during start-up; see the
     * config file) and a collector with nothing to do afterwards (the audio path allocates nothing). */
    static const char *defaults[] = {"-Xrs", "-XX:-UsePerfData", "-Xmx448m", "-Xmn256m", "-XX:+UseSerialGC",
                                     "-Djava.awt.headless=true"};
    JavaVMOption opts[MAX_OPTIONS + MAX_EXTRA + 3]; /* + class path, class-data archive */
    int n = 0;
    if (cfg.n_options > 0) {
        for (int i = 0; i < cfg.n_options; i++) opts[n++].optionString = cfg.options[i];
    } else {
        for (size_t i = 0; i < sizeof defaults / sizeof *defaults; i++) opts[n++].optionString = (char *)defaults[i];
    }
    /* STEMROOM_JVM_OPTIONS: extra options for one run (diagnostics such as -Xlog:jit+compilation), after the
     * file's; whitespace-separated */
    char *extra = getenv("STEMROOM_JVM_OPTIONS") ? strdup(getenv("STEMROOM_JVM_OPTIONS")) : NULL;
    int n_extra = 0;
    for (char *save = NULL, *tok = extra ? strtok_r(extra, " \t\n", &save) : NULL; tok && n_extra < MAX_EXTRA;
         tok = strtok_r(NULL, " \t\n", &save), n_extra++)
        opts[n++].optionString = tok;
    /* The bundle's jars as the class path (see load_bridge); a ':' in the folder's path cannot be written in one,
     * so such a bundle keeps its own URLClassLoader */
    char *class_path = NULL;
    struct dirent **jars = NULL;
    char real_dir[PATH_MAX];
    const char *class_dir = realpath(g_resources_dir, real_dir) ? real_dir : g_resources_dir; /* as the archive's */
    int n_jars = strchr(class_dir, ':') ? -1 : list_jars(class_dir, &jars);
    if (n_jars > 0) {
        size_t len = strlen("-Djava.class.path=") + 1;
        for (int i = 0; i < n_jars; i++) len += strlen(class_dir) + strlen(jars[i]->d_name) + 2;
        class_path = malloc(len);
        char *w = class_path + sprintf(class_path, "-Djava.class.path=");
        for (int i = 0; i < n_jars; i++)
            w += sprintf(w, "%s%s/%s", i ? ":" : "", class_dir, jars[i]->d_name);
        opts[n++].optionString = class_path;
    }
    /* The bundle's class-data archive: the plugin's classes (and the JDK's they use) mapped ready-parsed and
     * verified instead of loaded from the jars, unless the options already say how to share classes. */
    char cds_opt[1300];
    g_cds_used = 0;
    if (class_path && !has_option(opts, n, "SharedArchiveFile") && !has_option(opts, n, "-Xshare") &&
        !has_option(opts, n, "ArchiveClassesAtExit") && cds_matches(g_module_dir, g_libjvm_path, class_dir, jars, n_jars)) {
        snprintf(cds_opt, sizeof cds_opt, "-XX:SharedArchiveFile=%s/%s", g_module_dir, CDS_ARCHIVE);
        opts[n++].optionString = cds_opt;
        g_cds_used = 1;
    }
    free_jars(jars, n_jars);
    for (int i = 0; i < n; i++) opts[i].extraInfo = NULL;
    JavaVMInitArgs args;
    args.version = JNI_VERSION_1_8;
    args.nOptions = n;
    args.options = opts;
    args.ignoreUnrecognized = JNI_FALSE;
    jint rc = create(&g_vm, (void **)&env, &args);
    free_config(&cfg);
    free(extra);
    free(class_path);
    g_on_class_path = rc == JNI_OK && class_path != NULL;
    if (rc != JNI_OK) {
        g_cds_used = 0;
        fail("JNI_CreateJavaVM failed (code %d); check the options in %s/%s%s", (int)rc, g_module_dir, CONFIG_NAME,
             getenv("STEMROOM_JVM_OPTIONS") ? " and STEMROOM_JVM_OPTIONS" : "");
        g_vm = NULL;
        return NULL;
    }
    g_start_ms = now_ms() - t0;
    return env;
}

static void *helper_main(void *unused) {
    (void)unused;
    g_helper_tid = current_tid();
    JNIEnv *env = start_vm();
    int ok = env != NULL && load_bridge(env, g_resources_dir) == 0;
    if (ok) set_context_loader(env);
    pthread_mutex_lock(&g_job_mu);
    g_state = ok ? 1 : -1;
    g_helper_ready = 1;
    pthread_cond_broadcast(&g_done_cv);
    pthread_mutex_unlock(&g_job_mu);
    if (!ok) {
        if (env && g_vm) (*g_vm)->DetachCurrentThread(g_vm);
        return NULL;
    }
    for (;;) {
        pthread_mutex_lock(&g_job_mu);
        while (!g_job_pending) pthread_cond_wait(&g_job_cv, &g_job_mu);
        void (*fn)(JNIEnv *, void *) = g_job_fn;
        void *arg = g_job_arg;
        pthread_mutex_unlock(&g_job_mu);
        fn(env, arg);
        (*env)->ExceptionClear(env);
        pthread_mutex_lock(&g_job_mu);
        g_job_pending = 0;
        pthread_cond_broadcast(&g_done_cv);
        pthread_mutex_unlock(&g_job_mu);
    }
    return NULL;
}

int sr_jvm_ensure(const char *module_dir, const char *resources_dir) {
    pthread_mutex_lock(&g_start_mu);
    if (g_state == 0) {
        g_module_dir = strdup(module_dir);
        g_resources_dir = strdup(resources_dir);
        /* The JVM is created on a thread of our own with a full-size stack: creating it on the host's
         * main thread shrinks that thread's usable stack and crashes the host later. */
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setstacksize(&attr, 8 << 20);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        if (pthread_create(&g_helper, &attr, helper_main, NULL) != 0) {
            fail("cannot start the JVM helper thread: %s", strerror(errno));
            g_state = -1;
        } else {
            pthread_mutex_lock(&g_job_mu);
            while (!g_helper_ready) pthread_cond_wait(&g_done_cv, &g_job_mu);
            pthread_mutex_unlock(&g_job_mu);
        }
        pthread_attr_destroy(&attr);
    }
    int ok = g_state == 1 ? 0 : -1;
    pthread_mutex_unlock(&g_start_mu);
    return ok;
}

int sr_jvm_run(void (*fn)(JNIEnv *env, void *arg), void *arg) {
    if (g_state != 1) return -1;
    if (current_tid() == g_helper_tid) {
        JNIEnv *env;
        (*g_vm)->GetEnv(g_vm, (void **)&env, JNI_VERSION_1_8);
        fn(env, arg);
        return 0;
    }
    pthread_mutex_lock(&g_submit_mu);
    pthread_mutex_lock(&g_job_mu);
    g_job_fn = fn;
    g_job_arg = arg;
    g_job_pending = 1;
    pthread_cond_broadcast(&g_job_cv);
    while (g_job_pending) pthread_cond_wait(&g_done_cv, &g_job_mu);
    pthread_mutex_unlock(&g_job_mu);
    pthread_mutex_unlock(&g_submit_mu);
    return 0;
}

static void detach_thread(void *env) {
    (void)env;
    if (g_vm) (*g_vm)->DetachCurrentThread(g_vm);
}

static void make_key(void) { pthread_key_create(&g_env_key, detach_thread); }

JNIEnv *sr_jvm_audio_env(void) {
    if (g_state != 1) return NULL;
    pthread_once(&g_key_once, make_key);
    JNIEnv *env = (JNIEnv *)pthread_getspecific(g_env_key);
    if (env) return env;
    pid_t tid = current_tid();
    if (tid == getpid()) return NULL;  /* never let the host's main thread into the JVM */
    if ((*g_vm)->GetEnv(g_vm, (void **)&env, JNI_VERSION_1_8) == JNI_OK) return env; /* attached by others */
    JavaVMAttachArgs aa = {JNI_VERSION_1_8, "stemroom-audio", NULL};
    if ((*g_vm)->AttachCurrentThreadAsDaemon(g_vm, (void **)&env, &aa) != JNI_OK) return NULL;
    set_context_loader(env);
    pthread_setspecific(g_env_key, env);
    return env;
}
