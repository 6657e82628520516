/*
 * The machine's own real-time jitter, as a control for the plugin bench: a thread paced exactly like the test host's
 * audio thread (SCHED_FIFO when allowed, one period per 512 frames at 48 kHz, absolute deadlines) does the same fixed
 * amount of arithmetic every period, with no memory traffic, no system calls, no JVM and no other thread of its own.
 * Its work cannot vary, so any period in which it takes much longer than its median was taken from it by something
 * outside the process (the kernel, or the hypervisor: this VM does not account steal time, so the time is charged to
 * the running thread exactly as the plugin's slow blocks are). Compare its count of periods over 5 ms and its
 * maximum with the plugin's over the same number of blocks (bench/plugin-bench.sh JITTER=1).
 *   rt_jitter [--periods N] [--work-ms MS] [--rt PRIO] [--trace FILE]
 * Prints key=value lines: the median, p99.9 and maximum wall and thread CPU of one period's work, and the periods
 * over 2, 5 and 10 ms.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    long periods;
    double work_ms;
    int rt;
    const char *trace;
    long iters;        /* arithmetic iterations per period, calibrated to work_ms */
    double *wall, *cpu;
} Job;

static double ms(clockid_t c) {
    struct timespec t;
    clock_gettime(c, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
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
        double c0 = ms(CLOCK_THREAD_CPUTIME_ID), w0 = ms(CLOCK_MONOTONIC);
        spin(j->iters);
        j->wall[p] = ms(CLOCK_MONOTONIC) - w0;
        j->cpu[p] = ms(CLOCK_THREAD_CPUTIME_ID) - c0;
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
        else {
            fprintf(stderr, "usage: %s [--periods N] [--work-ms MS] [--rt PRIO] [--trace FILE]\n", argv[0]);
            return 2;
        }
    }
    if (j.periods < 1) j.periods = 1;
    j.wall = calloc((size_t)j.periods, sizeof(double));
    j.cpu = calloc((size_t)j.periods, sizeof(double));
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
    if (j.trace) {
        FILE *f = fopen(j.trace, "w");
        if (f) {
            for (long p = 0; p < j.periods; p++) fprintf(f, "%ld %.4f %.4f\n", p, j.wall[p], j.cpu[p]);
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
    return 0;
}
