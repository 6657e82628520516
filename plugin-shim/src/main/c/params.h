/*
 * The plugin's parameter table, answered natively so that hosts (and their plugin scanners) see every
 * parameter without a JVM. org.stemroom.plugin.PluginParameters holds the same table on the Java side;
 * PluginBundleIT compares the two through the test host, so they cannot drift apart silently.
 */
#ifndef STEMROOM_PARAMS_H
#define STEMROOM_PARAMS_H

#include "vst3_abi.h"

#define SR_STEMS 4
#define SR_PER_STEM 6
#define SR_P_ROOM (SR_STEMS * SR_PER_STEM)   /* 24 */
#define SR_P_WET (SR_P_ROOM + 1)
#define SR_P_LAYOUT (SR_P_ROOM + 2)
#define SR_P_SEPARATION (SR_P_ROOM + 3)
#define SR_P_BYPASS (SR_P_ROOM + 4)
#define SR_P_STATUS (SR_P_ROOM + 5)
#define SR_NPARAMS (SR_P_ROOM + 6)          /* 30 */

typedef struct {
    char title[64];
    char short_title[32];
    const char *units;
    double min, max, def;   /* plain values */
    int steps;              /* 0 = continuous */
    int flags;
    const char *const *list; /* names of the steps, or NULL */
} sr_param_def;

/* Fills the table (called once); returns the number of parameters. */
int sr_params_init(sr_param_def defs[SR_NPARAMS]);
double sr_param_to_plain(const sr_param_def *d, double normalized);
double sr_param_to_normalized(const sr_param_def *d, double plain);
void sr_param_format(const sr_param_def *d, double normalized, char *out, int out_len);

#endif
