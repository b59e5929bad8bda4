/* One core's single-precision FMA peak: twelve independent chains of fused multiply-adds on the
 * widest vectors the compiler targets (cc -O2 -march=native), enough to cover the FMA latency on
 * every x86 core with two FMA pipes. Prints GFLOP/s per second of this thread's CPU time (an FMA
 * counts as two FLOPs), the best of five runs, so other processes barely change it. bench.py uses
 * it as the ceiling no kernel passes: a GEMM's share of it, and each case's floor. */
#include <stdio.h>
#include <time.h>

/* The widest registers: 12 chains of 64-byte vectors would spill on AVX2's sixteen. */
#ifdef __AVX512F__
typedef float lanes __attribute__((vector_size(64)));
#else
typedef float lanes __attribute__((vector_size(32)));
#endif
enum { CHAINS = 12, LANES = sizeof(lanes) / sizeof(float) };

static double thread_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(void)
{
    lanes acc[CHAINS], x, y;
    for (int l = 0; l < LANES; l++) {
        x[l] = 1.0000001f;
        y[l] = 0.9999999f;
    }
    for (int c = 0; c < CHAINS; c++)
        for (int l = 0; l < LANES; l++)
            acc[c][l] = (float)c;
    const long steps = 20000000;
    double best = 0;
    for (int run = 0; run < 5; run++) {
        double start = thread_seconds();
        for (long s = 0; s < steps; s++) {
#pragma GCC unroll 12
            for (int c = 0; c < CHAINS; c++)
                acc[c] = acc[c] * x + y;
        }
        double seconds = thread_seconds() - start;
        double gflops = (double)steps * CHAINS * LANES * 2 / seconds / 1e9;
        if (gflops > best)
            best = gflops;
    }
    float sum = 0;
    for (int c = 0; c < CHAINS; c++)
        for (int l = 0; l < LANES; l++)
            sum += acc[c][l];
    /* The sum keeps the chains alive; it goes to stderr, the figure alone to stdout. */
    fprintf(stderr, "checksum %g\n", sum);
    printf("%.1f\n", best);
    return 0;
}
