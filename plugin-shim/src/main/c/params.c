#include "params.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const STEM_NAMES[SR_STEMS] = {"Vocals", "Drums", "Bass", "Other"};
static const char *const STEM_SHORT[SR_STEMS] = {"Voc", "Drm", "Bas", "Oth"};
static const char *const OFF_ON[] = {"off", "on", NULL};
static const char *const ROOMS[] = {"none", "vocal-booth", "live-room", "scoring-stage", "small-club", "bright-plate",
                                    "custom (from preset)", NULL};
static const char *const LAYOUTS[] = {"follow output bus", "stereo", "5.1", "7.1", NULL};
static const char *const SEPARATION[] = {"model-free", "model", "none (whole mix)", NULL};
static const char *const STATUS[] = {"not started", "running", "pass-through: no JVM", "pass-through: engine error", NULL};

/* Per-stem defaults: azimuth (deg, positive = left), distance (m), width (deg of arc), as in the preset format. */
static const double STEM_AZ[SR_STEMS] = {0, 0, 0, 0};
static const double STEM_DIST[SR_STEMS] = {2, 3, 3, 3};
static const double STEM_WIDTH[SR_STEMS] = {0, 60, 0, 120};

static void set(sr_param_def *d, const char *title, const char *short_title, const char *units,
                double min, double max, double def, int steps, int flags, const char *const *list) {
    snprintf(d->title, sizeof d->title, "%s", title);
    snprintf(d->short_title, sizeof d->short_title, "%s", short_title);
    d->units = units;
    d->min = min;
    d->max = max;
    d->def = def;
    d->steps = steps;
    d->flags = flags;
    d->list = list;
}

int sr_params_init(sr_param_def defs[SR_NPARAMS]) {
    char t[64], s[32];
    for (int stem = 0; stem < SR_STEMS; stem++) {
        sr_param_def *p = defs + stem * SR_PER_STEM;
        const char *n = STEM_NAMES[stem], *sn = STEM_SHORT[stem];
        snprintf(t, sizeof t, "%s azimuth", n); snprintf(s, sizeof s, "%s Az", sn);
        set(p + 0, t, s, "deg", -180, 180, STEM_AZ[stem], 0, kCanAutomate, NULL);
        snprintf(t, sizeof t, "%s distance", n); snprintf(s, sizeof s, "%s Dist", sn);
        set(p + 1, t, s, "m", 0.25, 50, STEM_DIST[stem], 0, kCanAutomate, NULL);
        snprintf(t, sizeof t, "%s width", n); snprintf(s, sizeof s, "%s Wid", sn);
        set(p + 2, t, s, "deg", 0, 360, STEM_WIDTH[stem], 0, kCanAutomate, NULL);
        snprintf(t, sizeof t, "%s level", n); snprintf(s, sizeof s, "%s Lvl", sn);
        set(p + 3, t, s, "dB", -60, 12, 0, 0, kCanAutomate, NULL);
        snprintf(t, sizeof t, "%s room send", n); snprintf(s, sizeof s, "%s Snd", sn);
        set(p + 4, t, s, "dB", -60, 12, 0, 0, kCanAutomate, NULL);
        snprintf(t, sizeof t, "%s mute", n); snprintf(s, sizeof s, "%s Mute", sn);
        set(p + 5, t, s, "", 0, 1, 0, 1, kCanAutomate | kIsList, OFF_ON);
    }
    set(defs + SR_P_ROOM, "Room", "Room", "", 0, 6, 2, 6, kIsList, ROOMS);
    set(defs + SR_P_WET, "Room wet level", "Wet", "dB", -60, 12, 0, 0, kCanAutomate, NULL);
    set(defs + SR_P_LAYOUT, "Output layout", "Layout", "", 0, 3, 0, 3, kIsList, LAYOUTS);
    set(defs + SR_P_SEPARATION, "Separation mode", "Separation", "", 0, 2, 0, 2, kIsList, SEPARATION);
    set(defs + SR_P_BYPASS, "Bypass", "Bypass", "", 0, 1, 0, 1, kCanAutomate | kIsBypass | kIsList, OFF_ON);
    set(defs + SR_P_STATUS, "Engine status", "Status", "", 0, 3, 0, 3, kIsReadOnly | kIsList, STATUS);
    return SR_NPARAMS;
}

double sr_param_to_plain(const sr_param_def *d, double v) {
    if (v < 0) v = 0;
    if (v > 1) v = 1;
    if (d->steps > 0) return d->min + floor(v * d->steps + 0.5) * (d->max - d->min) / d->steps;
    return d->min + v * (d->max - d->min);
}

double sr_param_to_normalized(const sr_param_def *d, double plain) {
    double v = (plain - d->min) / (d->max - d->min);
    if (v < 0) v = 0;
    if (v > 1) v = 1;
    if (d->steps > 0) v = floor(v * d->steps + 0.5) / d->steps;
    return v;
}

void sr_param_format(const sr_param_def *d, double normalized, char *out, int out_len) {
    double plain = sr_param_to_plain(d, normalized);
    if (d->list) {
        int i = (int)floor(plain - d->min + 0.5);
        snprintf(out, (size_t)out_len, "%s", d->list[i]);
    } else if (d->units[0]) {
        snprintf(out, (size_t)out_len, "%.1f %s", plain, d->units);
    } else {
        snprintf(out, (size_t)out_len, "%.2f", plain);
    }
}
