/* The row loops of the one-pass Parquet reader (sources/parquet_panel.py), in C (issue 16).

   numpy does each of these loops as a chain of whole-array passes (take, shift, or, mark; then
   renumber, rank, offset, scatter): ten passes over 93 M rows on the national benchmark. Here each row is
   touched once. The functions are plain C called through ctypes, which releases the GIL for the call, so the
   reader's threads run them at the same time. sources/panel_kernel.py loads this library; without it (no C
   compiler at install) the reader does the same work in numpy, and tests/test_issue16_compile.py checks that
   the two agree.

   No Python objects are touched, so no Python.h; PyInit__panel_kernel exists only because setuptools builds
   this as an extension module (and CPython would refuse to import a module without it). */

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
/* The popcnt instruction where the CPU has it, chosen once at load (an ifunc); the portable code elsewhere. */
#define POPCOUNT_CLONES __attribute__((target_clones("popcnt", "default")))
#else
#define POPCOUNT_CLONES
#endif

/* For each row: key = e_ids[ent_idx] << shift | p_ranks[prod_idx], stored in keys and marked in seen (the
   caller has checked that every key fits seen). */
void vn_mark_keys(int64_t n, const int32_t *ent_idx, const int32_t *prod_idx, const int64_t *e_ids,
                     const int64_t *p_ranks, int32_t shift, int32_t *keys, uint8_t *seen)
{
    for (int64_t i = 0; i < n; i++) {
        int64_t k = (e_ids[ent_idx[i]] << shift) | p_ranks[prod_idx[i]];
        keys[i] = (int32_t)k;
        seen[k] = 1;
    }
}

/* The cell of each row in the panel (month-major, pairs in code order) and its value written there.
   A key's pair is before[word] + the set bits of words[word] below the key's bit; rank_of (may be NULL)
   renumbers the key's enterprise first. The month's offset is offsets[month[i]], or offsets[0] for every row
   when month is NULL. month is uint8 (month_bytes 1) or uint16 (2). */
#define SCATTER_BODY(MONTH)                                                          \
    for (int64_t i = 0; i < n; i++) {                                                \
        int64_t k = keys[i];                                                         \
        if (rank_of)                                                                 \
            k = ((int64_t)rank_of[k >> shift] << shift) | (k & mask);                \
        int64_t w = k >> 6;                                                          \
        uint64_t below = (((uint64_t)1) << (k & 63)) - 1;                            \
        int64_t where = before[w] + __builtin_popcountll(words[w] & below) + (MONTH); \
        flat[where] = quantity[i];                                                   \
    }

POPCOUNT_CLONES
void vn_scatter(int64_t n, const int32_t *keys, const void *month, int32_t month_bytes, const int64_t *offsets,
                const int32_t *rank_of, int32_t shift, const uint64_t *words, const int64_t *before,
                const double *quantity, double *flat)
{
    const int64_t mask = (((int64_t)1) << shift) - 1;
    if (month == NULL) {
        const int64_t offset = offsets[0];
        SCATTER_BODY(offset)
    } else if (month_bytes == 1) {
        const uint8_t *m = (const uint8_t *)month;
        SCATTER_BODY(offsets[m[i]])
    } else {
        const uint16_t *m = (const uint16_t *)month;
        SCATTER_BODY(offsets[m[i]])
    }
}

/* Importable as a module in name only (see the comment at the top). */
void *PyInit__panel_kernel(void) { return NULL; }
