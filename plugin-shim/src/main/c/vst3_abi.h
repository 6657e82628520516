/*
 * Our own C declarations of the few VST3 interfaces stemroom needs, written from the published ABI facts
 * (interface IDs, vtable order, struct layouts) of the Linux build of VST3. No SDK code.
 *
 * ABI facts used here:
 *  - Every interface is a pointer to a struct whose first member points at a table of function pointers
 *    (single inheritance: a derived interface's table starts with its base's entries).
 *  - On Linux interface IDs are four 32-bit words, each stored big-endian (not COM's mixed byte order).
 *  - Result codes: kResultOk 0, kResultFalse 1, kNoInterface -1, then kInvalidArgument 2 ... kOutOfMemory 7.
 *  - Structs use natural alignment; strings for display are UTF-16 (char16) arrays of fixed length.
 */
#ifndef STEMROOM_VST3_ABI_H
#define STEMROOM_VST3_ABI_H

#include <stdint.h>

typedef int32_t tresult;
typedef uint8_t TBool;
typedef char TUID[16];
typedef uint16_t char16;
typedef char16 String128[128];
typedef uint32_t ParamID;
typedef double ParamValue;
typedef uint64_t SpeakerArrangement;

enum {
    kNoInterface = -1,
    kResultOk = 0,
    kResultTrue = 0,
    kResultFalse = 1,
    kInvalidArgument = 2,
    kNotImplemented = 3,
    kInternalError = 4,
    kNotInitialized = 5,
    kOutOfMemory = 6
};

/* Four 32-bit words, each big-endian. VST3_IID takes a *_WORDS macro (expanded through VST3_IID4). */
#define VST3_IID(words) VST3_IID4(words)
#define VST3_IID4(a, b, c, d) { \
    (char)(((a) >> 24) & 0xFF), (char)(((a) >> 16) & 0xFF), (char)(((a) >> 8) & 0xFF), (char)((a) & 0xFF), \
    (char)(((b) >> 24) & 0xFF), (char)(((b) >> 16) & 0xFF), (char)(((b) >> 8) & 0xFF), (char)((b) & 0xFF), \
    (char)(((c) >> 24) & 0xFF), (char)(((c) >> 16) & 0xFF), (char)(((c) >> 8) & 0xFF), (char)((c) & 0xFF), \
    (char)(((d) >> 24) & 0xFF), (char)(((d) >> 16) & 0xFF), (char)(((d) >> 8) & 0xFF), (char)((d) & 0xFF) }

#define IID_FUnknown_WORDS          0x00000000, 0x00000000, 0xC0000000, 0x00000046
#define IID_IPluginBase_WORDS       0x22888DDB, 0x156E45AE, 0x8358B348, 0x08190625
#define IID_IPluginFactory_WORDS    0x7A4D811C, 0x52114A1F, 0xAED9D2EE, 0x0B43BF9F
#define IID_IPluginFactory2_WORDS   0x0007B650, 0xF24B4C0B, 0xA464EDB9, 0xF00B2ABB
#define IID_IPluginFactory3_WORDS   0x4555A2AB, 0xC1234E57, 0x9B122910, 0x36878931
#define IID_IComponent_WORDS        0xE831FF31, 0xF2D54301, 0x928EBBEE, 0x25697802
#define IID_IAudioProcessor_WORDS   0x42043F99, 0xB7DA453C, 0xA569E79D, 0x9AAEC33D
#define IID_IEditController_WORDS   0xDCD7BBE3, 0x7742448D, 0xA874AACC, 0x979C759E
#define IID_IConnectionPoint_WORDS  0x70A4156F, 0x6E6E4026, 0x989148BF, 0xAA60D8D1
#define IID_IBStream_WORDS          0xC3BF6EA2, 0x30994752, 0x9B6BF990, 0x1EE33E9B
#define IID_IParamValueQueue_WORDS  0x01263A18, 0xED074F6F, 0x98C9D356, 0x4686F9BA
#define IID_IParameterChanges_WORDS 0xA4779663, 0x0BB64A56, 0xB44384A8, 0x466FEB9D
#define IID_IComponentHandler_WORDS 0x93A0BEA3, 0x0BD045DB, 0x8E890B0C, 0xC1E46AC6
#define IID_IHostApplication_WORDS  0x58E595CC, 0xDB2D4969, 0x8B6AAF8C, 0x36A664E5

/* Media types, bus directions and types, processing enums. */
enum { kAudio = 0, kEvent = 1 };
enum { kInput = 0, kOutput = 1 };
enum { kMain = 0, kAux = 1 };
enum { kDefaultActive = 1 };
enum { kSample32 = 0, kSample64 = 1 };
enum { kRealtime = 0, kPrefetch = 1, kOffline = 2 };
enum { kCanAutomate = 1 << 0, kIsReadOnly = 1 << 1, kIsWrapAround = 1 << 2, kIsList = 1 << 3,
       kIsHidden = 1 << 4, kIsProgramChange = 1 << 15, kIsBypass = 1 << 16 };
enum { kReloadComponent = 1 << 0, kIoChanged = 1 << 1, kParamValuesChanged = 1 << 2,
       kLatencyChanged = 1 << 3, kParamTitlesChanged = 1 << 4 };
enum { kIBSeekSet = 0, kIBSeekCur = 1, kIBSeekEnd = 2 };
enum { kManyInstances = 0x7FFFFFFF };
enum { kDistributable = 1 << 0, kSimpleModeSupported = 1 << 1 };
enum { kUnicode = 1 << 4 };

/* Speakers: one bit each, channels ordered by ascending bit. */
#define kSpeakerL   (1ULL << 0)
#define kSpeakerR   (1ULL << 1)
#define kSpeakerC   (1ULL << 2)
#define kSpeakerLfe (1ULL << 3)
#define kSpeakerLs  (1ULL << 4)
#define kSpeakerRs  (1ULL << 5)
#define kSpeakerSl  (1ULL << 9)
#define kSpeakerSr  (1ULL << 10)
#define kSpeakerM   (1ULL << 19)
#define kArrMono    (kSpeakerM)
#define kArrStereo  (kSpeakerL | kSpeakerR)
#define kArr51      (kSpeakerL | kSpeakerR | kSpeakerC | kSpeakerLfe | kSpeakerLs | kSpeakerRs)
#define kArr71      (kArr51 | kSpeakerSl | kSpeakerSr)

/* ---- structs ---- */
typedef struct {
    char vendor[64];
    char url[256];
    char email[128];
    int32_t flags;
} PFactoryInfo;

typedef struct {
    TUID cid;
    int32_t cardinality;
    char category[32];
    char name[64];
} PClassInfo;

typedef struct {
    TUID cid;
    int32_t cardinality;
    char category[32];
    char name[64];
    uint32_t classFlags;
    char subCategories[128];
    char vendor[64];
    char version[64];
    char sdkVersion[64];
} PClassInfo2;

typedef struct {
    TUID cid;
    int32_t cardinality;
    char category[32];
    char16 name[64];
    uint32_t classFlags;
    char subCategories[128];
    char16 vendor[64];
    char16 version[64];
    char16 sdkVersion[64];
} PClassInfoW;

typedef struct {
    int32_t mediaType;
    int32_t direction;
    int32_t channelCount;
    String128 name;
    int32_t busType;
    uint32_t flags;
} BusInfo;

typedef struct {
    int32_t mediaType;
    int32_t busIndex;
    int32_t channel;
} RoutingInfo;

typedef struct {
    ParamID id;
    String128 title;
    String128 shortTitle;
    String128 units;
    int32_t stepCount;
    ParamValue defaultNormalizedValue;
    int32_t unitId;
    int32_t flags;
} ParameterInfo;

typedef struct {
    int32_t processMode;
    int32_t symbolicSampleSize;
    int32_t maxSamplesPerBlock;
    double sampleRate;
} ProcessSetup;

typedef struct {
    int32_t numChannels;
    uint64_t silenceFlags;
    union {
        float **channelBuffers32;
        double **channelBuffers64;
    };
} AudioBusBuffers;

struct IParameterChanges;
typedef struct {
    int32_t processMode;
    int32_t symbolicSampleSize;
    int32_t numSamples;
    int32_t numInputs;
    int32_t numOutputs;
    AudioBusBuffers *inputs;
    AudioBusBuffers *outputs;
    struct IParameterChanges *inputParameterChanges;
    struct IParameterChanges *outputParameterChanges;
    void *inputEvents;
    void *outputEvents;
    void *processContext;
} ProcessData;

/* ---- interfaces: a struct holding the vtable pointer, and the vtable ---- */
#define FUNKNOWN_METHODS(T) \
    tresult (*queryInterface)(void *self, const TUID iid, void **obj); \
    uint32_t (*addRef)(void *self); \
    uint32_t (*release)(void *self);

typedef struct FUnknownVtbl { FUNKNOWN_METHODS(FUnknown) } FUnknownVtbl;
typedef struct FUnknown { const FUnknownVtbl *vtbl; } FUnknown;

typedef struct IBStreamVtbl {
    FUNKNOWN_METHODS(IBStream)
    tresult (*read)(void *self, void *buffer, int32_t numBytes, int32_t *numBytesRead);
    tresult (*write)(void *self, void *buffer, int32_t numBytes, int32_t *numBytesWritten);
    tresult (*seek)(void *self, int64_t pos, int32_t mode, int64_t *result);
    tresult (*tell)(void *self, int64_t *pos);
} IBStreamVtbl;
typedef struct IBStream { const IBStreamVtbl *vtbl; } IBStream;

typedef struct IPluginFactoryVtbl {
    FUNKNOWN_METHODS(IPluginFactory)
    tresult (*getFactoryInfo)(void *self, PFactoryInfo *info);
    int32_t (*countClasses)(void *self);
    tresult (*getClassInfo)(void *self, int32_t index, PClassInfo *info);
    tresult (*createInstance)(void *self, const char *cid, const char *iid, void **obj);
    /* IPluginFactory2 */
    tresult (*getClassInfo2)(void *self, int32_t index, PClassInfo2 *info);
    /* IPluginFactory3 */
    tresult (*getClassInfoUnicode)(void *self, int32_t index, PClassInfoW *info);
    tresult (*setHostContext)(void *self, FUnknown *context);
} IPluginFactoryVtbl;
typedef struct IPluginFactory { const IPluginFactoryVtbl *vtbl; } IPluginFactory;

typedef struct IComponentVtbl {
    FUNKNOWN_METHODS(IComponent)
    /* IPluginBase */
    tresult (*initialize)(void *self, FUnknown *context);
    tresult (*terminate)(void *self);
    /* IComponent */
    tresult (*getControllerClassId)(void *self, TUID classId);
    tresult (*setIoMode)(void *self, int32_t mode);
    int32_t (*getBusCount)(void *self, int32_t type, int32_t dir);
    tresult (*getBusInfo)(void *self, int32_t type, int32_t dir, int32_t index, BusInfo *bus);
    tresult (*getRoutingInfo)(void *self, RoutingInfo *inInfo, RoutingInfo *outInfo);
    tresult (*activateBus)(void *self, int32_t type, int32_t dir, int32_t index, TBool state);
    tresult (*setActive)(void *self, TBool state);
    tresult (*setState)(void *self, IBStream *state);
    tresult (*getState)(void *self, IBStream *state);
} IComponentVtbl;
typedef struct IComponent { const IComponentVtbl *vtbl; } IComponent;

typedef struct IAudioProcessorVtbl {
    FUNKNOWN_METHODS(IAudioProcessor)
    tresult (*setBusArrangements)(void *self, SpeakerArrangement *inputs, int32_t numIns,
                                  SpeakerArrangement *outputs, int32_t numOuts);
    tresult (*getBusArrangement)(void *self, int32_t dir, int32_t index, SpeakerArrangement *arr);
    tresult (*canProcessSampleSize)(void *self, int32_t symbolicSampleSize);
    uint32_t (*getLatencySamples)(void *self);
    tresult (*setupProcessing)(void *self, ProcessSetup *setup);
    tresult (*setProcessing)(void *self, TBool state);
    tresult (*process)(void *self, ProcessData *data);
    uint32_t (*getTailSamples)(void *self);
} IAudioProcessorVtbl;
typedef struct IAudioProcessor { const IAudioProcessorVtbl *vtbl; } IAudioProcessor;

typedef struct IComponentHandlerVtbl {
    FUNKNOWN_METHODS(IComponentHandler)
    tresult (*beginEdit)(void *self, ParamID id);
    tresult (*performEdit)(void *self, ParamID id, ParamValue valueNormalized);
    tresult (*endEdit)(void *self, ParamID id);
    tresult (*restartComponent)(void *self, int32_t flags);
} IComponentHandlerVtbl;
typedef struct IComponentHandler { const IComponentHandlerVtbl *vtbl; } IComponentHandler;

typedef struct IEditControllerVtbl {
    FUNKNOWN_METHODS(IEditController)
    tresult (*initialize)(void *self, FUnknown *context);
    tresult (*terminate)(void *self);
    tresult (*setComponentState)(void *self, IBStream *state);
    tresult (*setState)(void *self, IBStream *state);
    tresult (*getState)(void *self, IBStream *state);
    int32_t (*getParameterCount)(void *self);
    tresult (*getParameterInfo)(void *self, int32_t paramIndex, ParameterInfo *info);
    tresult (*getParamStringByValue)(void *self, ParamID id, ParamValue valueNormalized, String128 string);
    tresult (*getParamValueByString)(void *self, ParamID id, char16 *string, ParamValue *valueNormalized);
    ParamValue (*normalizedParamToPlain)(void *self, ParamID id, ParamValue valueNormalized);
    ParamValue (*plainParamToNormalized)(void *self, ParamID id, ParamValue plainValue);
    ParamValue (*getParamNormalized)(void *self, ParamID id);
    tresult (*setParamNormalized)(void *self, ParamID id, ParamValue value);
    tresult (*setComponentHandler)(void *self, IComponentHandler *handler);
    void *(*createView)(void *self, const char *name);
} IEditControllerVtbl;
typedef struct IEditController { const IEditControllerVtbl *vtbl; } IEditController;

typedef struct IParamValueQueueVtbl {
    FUNKNOWN_METHODS(IParamValueQueue)
    ParamID (*getParameterId)(void *self);
    int32_t (*getPointCount)(void *self);
    tresult (*getPoint)(void *self, int32_t index, int32_t *sampleOffset, ParamValue *value);
    tresult (*addPoint)(void *self, int32_t sampleOffset, ParamValue value, int32_t *index);
} IParamValueQueueVtbl;
typedef struct IParamValueQueue { const IParamValueQueueVtbl *vtbl; } IParamValueQueue;

typedef struct IParameterChangesVtbl {
    FUNKNOWN_METHODS(IParameterChanges)
    int32_t (*getParameterCount)(void *self);
    IParamValueQueue *(*getParameterData)(void *self, int32_t index);
    IParamValueQueue *(*addParameterData)(void *self, const ParamID *id, int32_t *index);
} IParameterChangesVtbl;
typedef struct IParameterChanges { const IParameterChangesVtbl *vtbl; } IParameterChanges;

typedef struct IHostApplicationVtbl {
    FUNKNOWN_METHODS(IHostApplication)
    tresult (*getName)(void *self, String128 name);
    tresult (*createInstance)(void *self, TUID cid, TUID iid, void **obj);
} IHostApplicationVtbl;
typedef struct IHostApplication { const IHostApplicationVtbl *vtbl; } IHostApplication;

typedef tresult (*vst3_query_fn)(void *, const TUID, void **);

/* Layout checks against the published sizes (Linux x86_64). */
_Static_assert(sizeof(PFactoryInfo) == 452, "PFactoryInfo size");
_Static_assert(sizeof(PClassInfo) == 116, "PClassInfo size");
_Static_assert(sizeof(PClassInfo2) == 440, "PClassInfo2 size");
_Static_assert(sizeof(PClassInfoW) == 696, "PClassInfoW size");
_Static_assert(sizeof(BusInfo) == 276, "BusInfo size");
_Static_assert(sizeof(ParameterInfo) == 792, "ParameterInfo size");
_Static_assert(sizeof(ProcessSetup) == 24, "ProcessSetup size");
_Static_assert(sizeof(AudioBusBuffers) == 24, "AudioBusBuffers size");
_Static_assert(sizeof(ProcessData) == 80, "ProcessData size");

#endif
