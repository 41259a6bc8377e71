/* bench_idtab.c - speed and memory of the ID table at archive scale.
 *
 * Loads N keys shaped like packed ID numbers (default 3 million), then
 * probes with P keys of which 5% are present (default 100 million), on one
 * core, one at a time and in prefetching batches. Prints probes per second
 * and table bytes per key against the targets (>= 50 M/s, <= 32 B).
 * Usage: bench_idtab [KEYS] [PROBES]. Exit status 1 when a target is missed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "xcheck/idtab.h"

static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* A plausible 17-digit ID prefix: region 110000-659999, birth 1940-2009. */
static uint64_t random_key(void)
{
    uint64_t r = next_rand();
    uint64_t region = 110000 + r % 550000;
    uint64_t year = 1940 + (r >> 20) % 70, month = 1 + (r >> 27) % 12, day = 1 + (r >> 31) % 28;
    uint64_t seq = (r >> 36) % 1000;
    return ((region * 10000 + year) * 10000 + month * 100 + day) * 1000 + seq;
}

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 3000000;
    size_t probes = argc > 2 ? strtoull(argv[2], NULL, 10) : 100000000;
    enum { CHUNK = 1 << 16 };
    uint64_t *stored = malloc(n * sizeof *stored);
    uint64_t *batch = malloc(CHUNK * sizeof *batch);
    uint32_t *out = malloc(CHUNK * sizeof *out);
    xc_idtab *t = NULL;
    if (!stored || !batch || !out || xc_idtab_new(n, &t) != 0)
        return 2;
    for (size_t i = 0; i < n; i++) {
        stored[i] = random_key();
        xc_idtab_insert(t, stored[i], (uint32_t)i, NULL);
    }
    double bytes_per_key = (double)xc_idtab_bytes(t) / (double)xc_idtab_count(t);
    /* Probe keys are generated ahead, chunk by chunk, outside the timing. */
    size_t hits_single = 0, hits_batch = 0;
    double t_single = 0, t_batch = 0;
    for (size_t done = 0; done < probes; done += CHUNK) {
        size_t m = probes - done < CHUNK ? probes - done : CHUNK;
        for (size_t i = 0; i < m; i++)
            batch[i] = next_rand() % 20 == 0 ? stored[next_rand() % n] : random_key();
        double t0 = seconds();
        for (size_t i = 0; i < m; i++)
            hits_single += xc_idtab_find(t, batch[i]) != XC_IDTAB_NONE;
        double t1 = seconds();
        xc_idtab_find_batch(t, batch, m, out);
        double t2 = seconds();
        for (size_t i = 0; i < m; i++)
            hits_batch += out[i] != XC_IDTAB_NONE;
        t_single += t1 - t0;
        t_batch += t2 - t1;
    }
    double mps_single = (double)probes / t_single / 1e6, mps_batch = (double)probes / t_batch / 1e6;
    printf("idtab: %zu keys, %zu probes (5%% present), one core\n", xc_idtab_count(t), probes);
    printf("  memory      %6.1f bytes per key   (target <= 32)\n", bytes_per_key);
    printf("  find        %6.1f M probes/s\n", mps_single);
    printf("  find_batch  %6.1f M probes/s      (target >= 50)\n", mps_batch);
    printf("  hits        %zu / %zu (single / batch agree: %s)\n", hits_batch, hits_single,
           hits_batch == hits_single ? "yes" : "NO");
    xc_idtab_free(t);
    free(stored);
    free(batch);
    free(out);
    return hits_batch == hits_single && bytes_per_key <= 32 && mps_batch >= 50 ? 0 : 1;
}
