/*
 * The machine's own real-time jitter, as a control for the plugin bench: a thread paced exactly like the test host's
 * audio thread (SCHED_FIFO when allowed, one period per 512 frames at 48 kHz, absolute deadlines) does the same fixed
 * amount of arithmetic every period, with no memory traffic, no system calls, no JVM and no other thread of its own.
 * Its work cannot vary, so any period in which it takes much longer than its median was taken from it by something
 * outside the process (the kernel, or the hypervisor: this VM does not account steal time, so the time is charged to
 * the running thread exactly as the plugin's slow blocks are). Compare its count of periods over 5 ms and its
 * maximum with the plugin's over the same number of blocks (bench/plugin-bench.sh JITTER=1).
 *   rt_jitter [--periods N] [--work-ms MS] [--rt PRIO] [--trace FILE] [--companion none|memory|remap]
 * Prints key=value lines: the median, p99.9 and maximum wall and thread CPU of one period's work, and the periods
 * over 2, 5 and 10 ms. --trace writes one line per period: its index, when its work started (CLOCK_REALTIME, ms since
 * the epoch, as the test host's trace), its wall and its thread CPU in ms.
 *
 * --companion adds a second thread at normal priority shaped like the plugin's separator worker, to test what its
 * running on the other core does to the paced thread (the plugin's slowest blocks came with the worker running
 * three times as often as the others, session 5): every 750 ms (one window's hop) it works for about 60 ms (one
 * window) on a 48 MiB working set, FFT-like strided reads and writes ("memory": cache and memory-bandwidth
 * contention only), and with "remap" it also maps its buffer anew for each burst and unmaps it after (what a
 * garbage collector's or an allocator's returning memory does: page faults on the companion, and a TLB shootdown
 * interrupt to every core that runs this process's threads at each unmap). The slow periods are then counted
 * separately for the periods during which the companion ran and the others.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

typedef struct {
    long periods;
    double work_ms;
    int rt;
    const char *trace;
    long iters;        /* arithmetic iterations per period, calibrated to work_ms */
    double *wall, *cpu;
    double *epoch;     /* per period: when its work started, CLOCK_REALTIME ms (to line periods up with other traces) */
    int companion;     /* 0 none, 1 memory, 2 remap */
    pthread_t comp;
    clockid_t comp_clock;
    volatile int stop;
    char *ran;         /* per period: the companion got CPU during it */
} Job;

static double ms(clockid_t c) {
    struct timespec t;
    clock_gettime(c, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

#define COMP_BYTES (48L << 20)

/* The worker-shaped companion (see the top comment). */
static void *companion(void *arg) {
    Job *j = arg;
    size_t n = COMP_BYTES / sizeof(float);
    float *keep = j->companion == 1 ? malloc(COMP_BYTES) : NULL;
    if (keep) memset(keep, 0, COMP_BYTES);
    struct timespec due;
    clock_gettime(CLOCK_MONOTONIC, &due);
    while (!j->stop) {
        due.tv_sec += (due.tv_nsec + 750000000L) / 1000000000L;
        due.tv_nsec = (due.tv_nsec + 750000000L) % 1000000000L;
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due, NULL) != 0) { }
        float *b = keep;
        if (!b) {
            b = mmap(NULL, COMP_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (b == MAP_FAILED) continue;
        }
        double t0 = ms(CLOCK_MONOTONIC);
        for (size_t stride = 1; ms(CLOCK_MONOTONIC) - t0 < 60 && !j->stop; stride = stride * 2 % 4093 + 1) {
            for (size_t i = 0, k = 0; i < n; i += 16, k = (k + stride * 16) % n) b[k] = b[k] * 0.5f + b[i];
        }
        if (!keep) munmap(b, COMP_BYTES);
    }
    free(keep);
    return NULL;
}

/* A dependent chain of multiply-adds on registers: the same instructions every time, no memory, no branches
 * that depend on data. volatile keeps the compiler from folding it away. */
static double spin(long iters) {
    volatile double sink;
    double x = 1.0, y = 0.999999;
    for (long i = 0; i < iters; i++) x = x * y + 1e-9;
    sink = x;
    return sink;
}

static long calibrate(double work_ms) {
    long iters = 100000;
    for (int round = 0; round < 6; round++) {
        double best = 1e9;
        for (int k = 0; k < 5; k++) {
            double t0 = ms(CLOCK_THREAD_CPUTIME_ID);
            spin(iters);
            double dt = ms(CLOCK_THREAD_CPUTIME_ID) - t0;
            if (dt < best) best = dt;
        }
        if (best > 0) iters = (long)(iters * work_ms / best);
    }
    return iters < 1 ? 1 : iters;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void *run(void *arg) {
    Job *j = arg;
    j->iters = calibrate(j->work_ms);
    struct timespec due;
    clock_gettime(CLOCK_MONOTONIC, &due);
    for (long p = 0; p < j->periods; p++) {
        long ns = due.tv_nsec + (long)(1e9 * 512 / 48000);
        due.tv_sec += ns / 1000000000L;
        due.tv_nsec = ns % 1000000000L;
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due, NULL) != 0) { }
        double k0 = j->companion ? ms(j->comp_clock) : 0;
        double c0 = ms(CLOCK_THREAD_CPUTIME_ID), w0 = ms(CLOCK_MONOTONIC);
        j->epoch[p] = ms(CLOCK_REALTIME);
        spin(j->iters);
        j->wall[p] = ms(CLOCK_MONOTONIC) - w0;
        j->cpu[p] = ms(CLOCK_THREAD_CPUTIME_ID) - c0;
        if (j->companion) j->ran[p] = ms(j->comp_clock) - k0 > 0.05;
    }
    return NULL;
}

int main(int argc, char **argv) {
    Job j = {.periods = 20000, .work_ms = 0.7, .rt = 70};
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--periods")) j.periods = atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--work-ms")) j.work_ms = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--rt")) j.rt = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--trace")) j.trace = argv[i + 1];
        else if (!strcmp(argv[i], "--companion") && !strcmp(argv[i + 1], "none")) j.companion = 0;
        else if (!strcmp(argv[i], "--companion") && !strcmp(argv[i + 1], "memory")) j.companion = 1;
        else if (!strcmp(argv[i], "--companion") && !strcmp(argv[i + 1], "remap")) j.companion = 2;
        else {
            fprintf(stderr, "usage: %s [--periods N] [--work-ms MS] [--rt PRIO] [--trace FILE] "
                    "[--companion none|memory|remap]\n", argv[0]);
            return 2;
        }
    }
    if (j.periods < 1) j.periods = 1;
    j.wall = calloc((size_t)j.periods, sizeof(double));
    j.cpu = calloc((size_t)j.periods, sizeof(double));
    j.ran = calloc((size_t)j.periods, 1);
    j.epoch = calloc((size_t)j.periods, sizeof(double));
    if (j.companion) {
        if (pthread_create(&j.comp, NULL, companion, &j) != 0 || pthread_getcpuclockid(j.comp, &j.comp_clock) != 0) {
            fprintf(stderr, "rt_jitter: cannot start the companion\n");
            return 1;
        }
    }
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    if (j.rt > 0) {
        struct sched_param sp = {.sched_priority = j.rt};
        pthread_attr_setinheritsched(&attr, PTHREAD_EXPLICIT_SCHED);
        pthread_attr_setschedpolicy(&attr, SCHED_FIFO);
        pthread_attr_setschedparam(&attr, &sp);
    }
    if (pthread_create(&t, &attr, run, &j) != 0) {
        printf("rt_refused=1\n");
        if (pthread_create(&t, NULL, run, &j) != 0) return 1;
    } else if (j.rt > 0) {
        printf("rt_priority=%d\n", j.rt);
    }
    pthread_join(t, NULL);
    if (j.companion) {
        j.stop = 1;
        pthread_join(j.comp, NULL);
        /* slow periods with and without the companion running during them */
        long with = 0, slow_with = 0, slow_without = 0;
        for (long p = 0; p < j.periods; p++) {
            with += j.ran[p];
            if (j.wall[p] > 2 && j.ran[p]) slow_with++;
            else if (j.wall[p] > 2) slow_without++;
        }
        printf("companion=%s\nperiods_with_companion=%ld\nperiods_over_2ms_with_companion=%ld\n"
               "periods_over_2ms_without_companion=%ld\n", j.companion == 1 ? "memory" : "remap", with, slow_with,
               slow_without);
    }
    if (j.trace) {
        FILE *f = fopen(j.trace, "w");
        if (f) {
            for (long p = 0; p < j.periods; p++)
                fprintf(f, "%ld %.3f %.4f %.4f\n", p, j.epoch[p], j.wall[p], j.cpu[p]);
            fclose(f);
        }
    }
    long over2 = 0, over5 = 0, over10 = 0;
    for (long p = 0; p < j.periods; p++) {
        over2 += j.wall[p] > 2;
        over5 += j.wall[p] > 5;
        over10 += j.wall[p] > 10;
    }
    qsort(j.wall, (size_t)j.periods, sizeof(double), cmp);
    qsort(j.cpu, (size_t)j.periods, sizeof(double), cmp);
    long n = j.periods;
    printf("periods=%ld\nwork_iterations=%ld\n", n, j.iters);
    printf("wall_median_ms=%.4f\nwall_p999_ms=%.4f\nwall_max_ms=%.4f\n", j.wall[n / 2], j.wall[(long)(n * 0.999)],
           j.wall[n - 1]);
    printf("cpu_median_ms=%.4f\ncpu_p999_ms=%.4f\ncpu_max_ms=%.4f\n", j.cpu[n / 2], j.cpu[(long)(n * 0.999)],
           j.cpu[n - 1]);
    printf("periods_over_2ms=%ld\nperiods_over_5ms=%ld\nperiods_over_10ms=%ld\n", over2, over5, over10);
    free(j.wall);
    free(j.cpu);
    free(j.ran);
    free(j.epoch);
    return 0;
}
