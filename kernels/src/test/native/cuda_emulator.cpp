// cuda_emulator.cpp: a stub libcuda.so.1 for the tests that run without a GPU. It exports the CUDA
// driver entry points that CudaBackend binds (same names, same signatures, _v2 where the real
// library has them) over host memory, and runs kernel launches on the CPU: the kernels are the
// real sources of src-cuda, compiled with g++ against emulation.h and looked up by name in a
// registry generated from the PTX's .entry lines. So CudaBackend's FFM plumbing, its argument
// packing, launch geometry, allocator and host-side logic, and the kernels' arithmetic all run
// against the CPU reference on any machine with g++.
//
// Deliberate strictness: fresh device memory is filled with NaN bytes (so code that relies on
// zeroed memory fails), a launch with a block that is not a multiple of 32 threads or a barrier
// that not every thread reaches fails, and a PTX image whose .version is newer than the emulated
// driver's is rejected with the JIT's message, as a real CUDA 12 driver rejects ISA 9.0.
//
// Test hooks (emu_*) set the emulated driver version and a memory limit, and report allocation
// counts, the last launch's geometry and the last failure.
#include "emulation.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <type_traits>
#include <ucontext.h>
#include <utility>
#include <vector>

#include "batchnorm.cu"
#include "conv.cu"
#include "depthwise.cu"
#include "elementwise.cu"
#include "loss.cu"
#include "mixed.cu"
#include "optim.cu"
#include "pool.cu"
#include "reduce.cu"

// ---------------------------------------------------------------- fibers

namespace emu {
dim3 grid_dim, block_dim, block_idx;
ThreadState* current_thread;

namespace {
const size_t STACK_BYTES = 32 * 1024;
// Stacks start 32 KiB + 5 cache lines apart: at a power-of-two distance the tops of all stacks would
// fall into one L1 set, and every switch would miss.
const size_t STACK_STRIDE = STACK_BYTES + 5 * 64;
const int MAX_THREADS = 1024;

// Fiber switching. On x86-64 a hand-written switch (callee-saved registers and the stack pointer,
// no system call: ucontext's swapcontext saves the signal mask with two syscalls per switch, which
// made a shuffle-heavy launch a hundred times slower); elsewhere ucontext.
#if defined(__x86_64__)
extern "C" void emu_switch(void** save, void* load);
asm(R"(
    .text
    .globl emu_switch
    .type emu_switch, @function
emu_switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size emu_switch, .-emu_switch
)");

struct Context {
    void* sp;
};

void fiber_main();

[[noreturn]] void fiber_entry();

// A stack that the first switch enters at fiber_entry, aligned as a function entry (rsp = 8 mod 16).
void prepare(Context& c, char* stack, size_t bytes) {
    uintptr_t top = (reinterpret_cast<uintptr_t>(stack) + bytes) & ~uintptr_t(15);
    void** sp = reinterpret_cast<void**>(top - 16);
    sp[0] = reinterpret_cast<void*>(&fiber_entry);                // popped by ret
    sp -= 6;                                                       // rbp, rbx, r12..r15 (zeros)
    for (int i = 0; i < 6; ++i) sp[i] = nullptr;
    c.sp = sp;
}

inline void switch_to(Context& save, Context& load) { emu_switch(&save.sp, load.sp); }
#else
struct Context {
    ucontext_t uc;
};

void fiber_main();

void prepare(Context& c, char* stack, size_t bytes);

inline void switch_to(Context& save, Context& load) { swapcontext(&save.uc, &load.uc); }
#endif

struct Fiber {
    ThreadState thread;
    Context context;
    long exchanges;       // warp shuffles so far: which half of the warp's slots the next one uses
    bool done;
};

// The slots are double-buffered, so one barrier per exchange suffices: a lane can only write the
// same half again after every lane has passed the next exchange's barrier, i.e. has read this one.
struct Warp {
    long generation;
    int arrived;
    uint64_t slot[2][32];
};

Context scheduler;
std::vector<Fiber> fibers(MAX_THREADS);
std::vector<char> stacks(STACK_STRIDE * MAX_THREADS);
std::vector<Warp> warps(MAX_THREADS / 32);
int current = 0, block_threads = 0, block_arrived = 0;
long block_generation = 0, progress = 0;
std::function<void()> body;
std::string failure;

void yield() { switch_to(fibers[current].context, scheduler); }

void fiber_main() {
    body();
    fibers[current].done = true;
    ++progress;
}

#if defined(__x86_64__)
[[noreturn]] void fiber_entry() {
    fiber_main();
    switch_to(fibers[current].context, scheduler);                // never resumed
    __builtin_unreachable();
}
#else
void prepare(Context& c, char* stack, size_t bytes) {
    getcontext(&c.uc);
    c.uc.uc_stack.ss_sp = stack;
    c.uc.uc_stack.ss_size = bytes;
    c.uc.uc_link = &scheduler.uc;
    makecontext(&c.uc, fiber_main, 0);
}
#endif

void fail(const std::string& why) {
    if (failure.empty()) failure = why;
}

void warp_barrier(Warp& w) {
    const long generation = w.generation;
    ++progress;
    if (++w.arrived == 32) {
        w.arrived = 0;
        ++w.generation;
        return;
    }
    while (w.generation == generation && failure.empty()) yield();
}
}  // namespace

void sync_threads() {
    const long generation = block_generation;
    ++progress;
    if (++block_arrived == block_threads) {
        block_arrived = 0;
        ++block_generation;
        return;
    }
    while (block_generation == generation && failure.empty()) yield();
}

uint64_t warp_exchange(unsigned mask, uint64_t mine, int src) {
    if (mask != 0xffffffffu) fail("a warp shuffle with a partial mask");
    Fiber& f = fibers[current];
    Warp& w = warps[f.thread.linear / 32];
    uint64_t* slots = w.slot[f.exchanges++ & 1];
    slots[f.thread.linear % 32] = mine;
    warp_barrier(w);
    return src >= 0 && src < 32 ? slots[src] : mine;
}

// Runs one block to completion; false (and failure set) on a deadlock.
static bool run_block() {
    const int threads = (int) (block_dim.x * block_dim.y * block_dim.z);
    block_threads = threads;
    block_arrived = 0;
    for (int w = 0; w < threads / 32; ++w) warps[w] = Warp{0, 0, {}};
    for (int t = 0; t < threads; ++t) {
        Fiber& f = fibers[t];
        prepare(f.context, stacks.data() + (size_t) t * STACK_STRIDE, STACK_BYTES);
        f.thread.index = dim3{t % block_dim.x, t / block_dim.x % block_dim.y, t / (block_dim.x * block_dim.y)};
        f.thread.linear = t;
        f.exchanges = 0;
        f.done = false;
    }
    int remaining = threads;
    while (remaining > 0) {
        const long before = progress;
        for (int t = 0; t < threads; ++t) {
            if (fibers[t].done) continue;
            current = t;
            current_thread = &fibers[t].thread;
            switch_to(scheduler, fibers[t].context);
            if (fibers[t].done) --remaining;
        }
        if (!failure.empty()) return false;
        if (remaining > 0 && progress == before) {
            fail("deadlock: " + std::to_string(remaining) + " threads wait at a barrier the others never reach");
            return false;
        }
    }
    return true;
}
}  // namespace emu

// ---------------------------------------------------------------- kernel registry

namespace {
using Bound = std::function<void()>;
using Binder = std::function<Bound(void**)>;

template <typename... A, size_t... I>
Bound bind_params(void (*f)(A...), void** params, std::index_sequence<I...>) {
    auto args = std::make_tuple(*static_cast<std::remove_cv_t<std::remove_reference_t<A>>*>(params[I])...);
    return [f, args]() { std::apply(f, args); };
}

template <typename... A>
Binder binder(void (*f)(A...)) {
    return [f](void** params) { return bind_params(f, params, std::index_sequence_for<A...>{}); };
}

std::map<std::string, Binder> make_registry() {
    std::map<std::string, Binder> m;
#define KERNEL(name) m[#name] = binder(&name);
#include "kernel_registry.inc"
#undef KERNEL
    return m;
}

const std::map<std::string, Binder>& registry() {
    static const std::map<std::string, Binder> r = make_registry();
    return r;
}

// ---------------------------------------------------------------- driver state

std::mutex lock;
bool initialized = false;
int driver_version = 12020;
size_t memory_limit = 0, bytes_in_use = 0;
long allocations = 0, frees = 0;
std::map<unsigned long long, size_t> blocks;
unsigned last_launch[7];
int context_token = 0;

struct Module {
    std::string ptx;
};
struct Function {
    std::string name;
};

typedef int CUresult;
const CUresult SUCCESS = 0, INVALID_VALUE = 1, OUT_OF_MEMORY = 2, NOT_INITIALIZED = 3, INVALID_DEVICE = 101,
               INVALID_IMAGE = 200, UNSUPPORTED_PTX_VERSION = 222, NOT_FOUND = 500, LAUNCH_FAILED = 719;

// The newest PTX ISA (times 10) the emulated driver can JIT: 7.x for CUDA 11.x, 8.x for 12.x, 9.0 for 13.
int max_isa() {
    const int major = driver_version / 1000, minor = driver_version % 1000 / 10;
    return major >= 13 ? 90 : major == 12 ? 80 + minor : 70 + minor;
}

void write_log(unsigned n, int* options, void** values, const std::string& text) {
    char* buffer = nullptr;
    size_t size = 0;
    for (unsigned i = 0; i < n; ++i) {
        if (options[i] == 5) buffer = static_cast<char*>(values[i]);             // CU_JIT_ERROR_LOG_BUFFER
        if (options[i] == 6) size = reinterpret_cast<size_t>(values[i]);         // ..._SIZE_BYTES
    }
    if (buffer != nullptr && size > 0) std::snprintf(buffer, size, "%s", text.c_str());
}
}  // namespace

extern "C" {

// ---------------------------------------------------------------- test hooks

void emu_set_driver_version(int v) { driver_version = v; }
void emu_set_memory_limit(size_t bytes) { memory_limit = bytes; }
long emu_allocations() { return allocations; }
long emu_frees() { return frees; }
size_t emu_bytes_in_use() { return bytes_in_use; }
void emu_last_launch(unsigned* out) { std::memcpy(out, last_launch, sizeof last_launch); }
const char* emu_last_failure() { return emu::failure.c_str(); }

// ---------------------------------------------------------------- driver API

CUresult cuGetErrorName(CUresult e, const char** s) {
    switch (e) {
        case SUCCESS: *s = "CUDA_SUCCESS"; return SUCCESS;
        case INVALID_VALUE: *s = "CUDA_ERROR_INVALID_VALUE"; return SUCCESS;
        case OUT_OF_MEMORY: *s = "CUDA_ERROR_OUT_OF_MEMORY"; return SUCCESS;
        case NOT_INITIALIZED: *s = "CUDA_ERROR_NOT_INITIALIZED"; return SUCCESS;
        case INVALID_DEVICE: *s = "CUDA_ERROR_INVALID_DEVICE"; return SUCCESS;
        case INVALID_IMAGE: *s = "CUDA_ERROR_INVALID_IMAGE"; return SUCCESS;
        case UNSUPPORTED_PTX_VERSION: *s = "CUDA_ERROR_UNSUPPORTED_PTX_VERSION"; return SUCCESS;
        case NOT_FOUND: *s = "CUDA_ERROR_NOT_FOUND"; return SUCCESS;
        case LAUNCH_FAILED: *s = "CUDA_ERROR_LAUNCH_FAILED"; return SUCCESS;
        default: *s = nullptr; return INVALID_VALUE;
    }
}

CUresult cuGetErrorString(CUresult e, const char** s) {
    switch (e) {
        case OUT_OF_MEMORY: *s = "out of memory"; return SUCCESS;
        case UNSUPPORTED_PTX_VERSION: *s = "the provided PTX was compiled with an unsupported toolchain."; return SUCCESS;
        case LAUNCH_FAILED: *s = "unspecified launch failure"; return SUCCESS;
        default: return cuGetErrorName(e, s);
    }
}

CUresult cuInit(unsigned) {
    initialized = true;
    return SUCCESS;
}

CUresult cuDriverGetVersion(int* v) {
    *v = driver_version;
    return SUCCESS;
}

CUresult cuDeviceGetCount(int* n) {
    if (!initialized) return NOT_INITIALIZED;
    *n = 1;
    return SUCCESS;
}

CUresult cuDeviceGet(int* device, int ordinal) {
    if (!initialized) return NOT_INITIALIZED;
    if (ordinal != 0) return INVALID_DEVICE;
    *device = 0;
    return SUCCESS;
}

CUresult cuDeviceGetName(char* name, int len, int) {
    std::snprintf(name, len, "ArchRepair CUDA emulator");
    return SUCCESS;
}

CUresult cuDeviceGetAttribute(int* v, int attribute, int) {
    switch (attribute) {
        case 1: *v = 1024; return SUCCESS;        // MAX_THREADS_PER_BLOCK
        case 5: *v = 2147483647; return SUCCESS;  // MAX_GRID_DIM_X
        case 6: case 7: *v = 65535; return SUCCESS;
        case 8: *v = 48 * 1024; return SUCCESS;   // MAX_SHARED_MEMORY_PER_BLOCK
        case 10: *v = 32; return SUCCESS;         // WARP_SIZE
        case 16: *v = 2; return SUCCESS;          // MULTIPROCESSOR_COUNT: small grids, fast emulation
        case 75: *v = 8; return SUCCESS;          // COMPUTE_CAPABILITY_MAJOR
        case 76: *v = 0; return SUCCESS;
        default: return INVALID_VALUE;
    }
}

CUresult cuDeviceTotalMem_v2(size_t* bytes, int) {
    *bytes = memory_limit != 0 ? memory_limit : (size_t) 8 << 30;
    return SUCCESS;
}

CUresult cuDevicePrimaryCtxRetain(void** context, int) {
    *context = &context_token;
    return SUCCESS;
}

CUresult cuDevicePrimaryCtxRelease_v2(int) { return SUCCESS; }
CUresult cuCtxSetCurrent(void*) { return SUCCESS; }
CUresult cuCtxSynchronize() { return SUCCESS; }

CUresult cuMemAlloc_v2(unsigned long long* ptr, size_t bytes) {
    std::lock_guard<std::mutex> guard(lock);
    if (bytes == 0) return INVALID_VALUE;
    if (memory_limit != 0 && bytes_in_use + bytes > memory_limit) return OUT_OF_MEMORY;
    void* m = std::malloc(bytes);
    if (m == nullptr) return OUT_OF_MEMORY;
    std::memset(m, 0xff, bytes);            // NaN in every float: uninitialized is not zero
    *ptr = reinterpret_cast<unsigned long long>(m);
    blocks[*ptr] = bytes;
    bytes_in_use += bytes;
    ++allocations;
    return SUCCESS;
}

CUresult cuMemFree_v2(unsigned long long ptr) {
    std::lock_guard<std::mutex> guard(lock);
    auto it = blocks.find(ptr);
    if (it == blocks.end()) return INVALID_VALUE;
    bytes_in_use -= it->second;
    blocks.erase(it);
    std::free(reinterpret_cast<void*>(ptr));
    ++frees;
    return SUCCESS;
}

CUresult cuMemGetInfo_v2(size_t* free, size_t* total) {
    cuDeviceTotalMem_v2(total, 0);
    *free = *total - bytes_in_use;
    return SUCCESS;
}

CUresult cuMemAllocHost_v2(void** p, size_t bytes) {
    *p = std::malloc(bytes);
    return *p != nullptr ? SUCCESS : OUT_OF_MEMORY;
}

CUresult cuMemFreeHost(void* p) {
    std::free(p);
    return SUCCESS;
}

CUresult cuMemcpyHtoDAsync_v2(unsigned long long dst, const void* src, size_t bytes, void*) {
    std::memcpy(reinterpret_cast<void*>(dst), src, bytes);
    return SUCCESS;
}

CUresult cuMemcpyDtoHAsync_v2(void* dst, unsigned long long src, size_t bytes, void*) {
    std::memcpy(dst, reinterpret_cast<const void*>(src), bytes);
    return SUCCESS;
}

CUresult cuMemcpyDtoDAsync_v2(unsigned long long dst, unsigned long long src, size_t bytes, void*) {
    std::memmove(reinterpret_cast<void*>(dst), reinterpret_cast<const void*>(src), bytes);
    return SUCCESS;
}

CUresult cuMemsetD32Async(unsigned long long dst, unsigned value, size_t n, void*) {
    unsigned* p = reinterpret_cast<unsigned*>(dst);
    for (size_t i = 0; i < n; ++i) p[i] = value;
    return SUCCESS;
}

CUresult cuStreamCreate(void** stream, unsigned) {
    *stream = new int(0);
    return SUCCESS;
}

CUresult cuStreamDestroy_v2(void* stream) {
    delete static_cast<int*>(stream);
    return SUCCESS;
}

CUresult cuStreamSynchronize(void*) { return SUCCESS; }

CUresult cuEventCreate(void** event, unsigned) {
    *event = new std::chrono::steady_clock::time_point();
    return SUCCESS;
}

CUresult cuEventRecord(void* event, void*) {
    *static_cast<std::chrono::steady_clock::time_point*>(event) = std::chrono::steady_clock::now();
    return SUCCESS;
}

CUresult cuEventSynchronize(void*) { return SUCCESS; }

CUresult cuEventElapsedTime(float* ms, void* start, void* end) {
    auto a = *static_cast<std::chrono::steady_clock::time_point*>(start);
    auto b = *static_cast<std::chrono::steady_clock::time_point*>(end);
    *ms = std::chrono::duration<float, std::milli>(b - a).count();
    return SUCCESS;
}

CUresult cuEventDestroy_v2(void* event) {
    delete static_cast<std::chrono::steady_clock::time_point*>(event);
    return SUCCESS;
}

CUresult cuModuleLoadDataEx(void** module, const void* image, unsigned n, int* options, void** values) {
    const std::string ptx(static_cast<const char*>(image));
    const size_t at = ptx.find("\n.version ");
    if (at == std::string::npos) {
        write_log(n, options, values, "emulator: no .version directive");
        return INVALID_IMAGE;
    }
    int major = 0, minor = 0;
    std::sscanf(ptx.c_str() + at + 10, "%d.%d", &major, &minor);
    if (major * 10 + minor > max_isa()) {
        char text[200];
        std::snprintf(text, sizeof text, "ptxas application ptx input, line 9; fatal   : Unsupported .version %d.%d; "
                      "current version is '%d.%d'", major, minor, max_isa() / 10, max_isa() % 10);
        write_log(n, options, values, text);
        return UNSUPPORTED_PTX_VERSION;
    }
    *module = new Module{ptx};
    return SUCCESS;
}

CUresult cuModuleLoadData(void** module, const void* image) {
    return cuModuleLoadDataEx(module, image, 0, nullptr, nullptr);
}

CUresult cuModuleUnload(void* module) {
    delete static_cast<Module*>(module);
    return SUCCESS;
}

CUresult cuModuleGetFunction(void** function, void* module, const char* name) {
    const Module* m = static_cast<const Module*>(module);
    if (m->ptx.find(".entry " + std::string(name) + "(") == std::string::npos) return NOT_FOUND;
    if (registry().count(name) == 0) return NOT_FOUND;
    *function = new Function{name};
    return SUCCESS;
}

CUresult cuLaunchKernel(void* function, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                        unsigned sharedBytes, void*, void** params, void** extra) {
    std::lock_guard<std::mutex> guard(lock);
    const unsigned launch[7] = {gx, gy, gz, bx, by, bz, sharedBytes};
    std::memcpy(last_launch, launch, sizeof launch);
    const unsigned threads = bx * by * bz;
    if (gx == 0 || gy == 0 || gz == 0 || gy > 65535 || gz > 65535 || threads == 0 || threads > 1024 || bz > 64
        || threads % 32 != 0 || sharedBytes > 48 * 1024 || params == nullptr || extra != nullptr)
        return INVALID_VALUE;
    const Function* f = static_cast<const Function*>(function);
    emu::body = registry().at(f->name)(params);
    emu::failure.clear();
    emu::grid_dim = dim3{gx, gy, gz};
    emu::block_dim = dim3{bx, by, bz};
    for (unsigned z = 0; z < gz; ++z)
        for (unsigned y = 0; y < gy; ++y)
            for (unsigned x = 0; x < gx; ++x) {
                emu::block_idx = dim3{x, y, z};
                if (!emu::run_block()) {
                    std::fprintf(stderr, "cuda emulator: %s in %s\n", emu::failure.c_str(), f->name.c_str());
                    return LAUNCH_FAILED;
                }
            }
    return SUCCESS;
}
}
