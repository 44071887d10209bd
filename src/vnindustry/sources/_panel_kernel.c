/* The row loops of the one-pass Parquet reader (sources/parquet_panel.py), in C (issue 16).

   numpy does each of these loops as a chain of whole-array passes (take, shift, or, mark; then
   renumber, rank, offset, scatter): ten passes over 93 M rows on the national benchmark. Here each row is
   touched once or twice, and the keys seen are a bitmap (a byte map, as numpy needs, is 8× the memory to miss in). The functions are plain C called through ctypes, which releases the GIL for the call, so the
   reader's threads run them at the same time. sources/panel_kernel.py loads this library; without it (no C
   compiler at install) the reader does the same work in numpy, and tests/test_issue16_compile.py checks that
   the two agree.

   No Python objects are touched, so no Python.h; PyInit__panel_kernel exists only because setuptools builds
   this as an extension module (and CPython would refuse to import a module without it). */

#include <stddef.h>
#include <stdint.h>

/* Rows a marking pass looks ahead to prefetch their bits: the bitmap is far larger than the cache, and each
   enterprise's bits are a miss (measured: 3× faster than marking without it). */
#define PREFETCH_AHEAD 64

/* For each row: key = e_ids[ent_idx] << shift | p_ranks[prod_idx], stored in keys and its bit set in the bitmap
   seen (the caller has checked that every key fits). Threads mark the same bitmap at once: a bit is set with an
   atomic OR, and only when it is not set yet — after the first months nearly every key is known, so the pass
   only reads. (GCC's and Clang's atomics: where the compiler has none the extension is not built and the reader
   marks in numpy.) */
void vn_mark_keys(int64_t n, const int32_t *ent_idx, const int32_t *prod_idx, const int64_t *e_ids,
                  const int64_t *p_ranks, int32_t shift, int32_t *keys, uint64_t *seen)
{
    for (int64_t i = 0; i < n; i++)
        keys[i] = (int32_t)((e_ids[ent_idx[i]] << shift) | p_ranks[prod_idx[i]]);
    for (int64_t i = 0; i < n; i++) {
        if (i + PREFETCH_AHEAD < n)
            __builtin_prefetch(&seen[keys[i + PREFETCH_AHEAD] >> 6], 0, 1);
        int64_t k = keys[i];
        uint64_t bit = (uint64_t)1 << (k & 63);
        if (!(__atomic_load_n(&seen[k >> 6], __ATOMIC_RELAXED) & bit))
            __atomic_fetch_or(&seen[k >> 6], bit, __ATOMIC_RELAXED);
    }
}

/* The positions of the set bits of words[0..n_words), in order, into out; their number. */
int64_t vn_set_bits(const uint64_t *words, int64_t n_words, int64_t *out)
{
    int64_t found = 0;
    for (int64_t w = 0; w < n_words; w++) {
        uint64_t bits = words[w];
        while (bits) {
            out[found++] = (w << 6) + __builtin_ctzll(bits);
            bits &= bits - 1;
        }
    }
    return found;
}

/* The cell of each row in the panel (month-major, pairs in code order) and its value written there.
   A row's key, its enterprise renumbered by rank_of (may be NULL: ids are already ranks), is one of the pairs'
   sorted keys: those of enterprise r are sorted_keys[start[r] .. start[r+1]). Rows usually come in pair order, so
   the pair after the last row's is tried first; otherwise a binary search among the enterprise's pairs (a few:
   its products). The month's offset is offsets[month[i]], or offsets[0] for every row when month is NULL; month
   is uint8 (month_bytes 1) or uint16 (2). */
#define SCATTER_BODY(MONTH)                                                          \
    for (int64_t i = 0; i < n; i++) {                                                \
        int64_t k = keys[i];                                                         \
        int64_t r = k >> shift;                                                      \
        if (rank_of) {                                                               \
            r = rank_of[r];                                                          \
            k = (r << shift) | (k & mask);                                           \
        }                                                                            \
        int64_t pair = hint + 1;                                                     \
        if (pair >= n_pairs || sorted_keys[pair] != k) {                             \
            const int64_t *b = sorted_keys + start[r];                               \
            int64_t len = start[r + 1] - start[r];                                   \
            while (len > 1) {                                                        \
                int64_t half = len / 2;                                              \
                b = b[half] <= k ? b + half : b;                                     \
                len -= half;                                                         \
            }                                                                        \
            pair = b - sorted_keys;                                                  \
        }                                                                            \
        hint = pair;                                                                 \
        flat[pair + (MONTH)] = quantity[i];                                          \
    }

void vn_scatter(int64_t n, const int32_t *keys, const void *month, int32_t month_bytes, const int64_t *offsets,
                const int32_t *rank_of, int32_t shift, const int64_t *sorted_keys, int64_t n_pairs,
                const int64_t *start, const double *quantity, double *flat)
{
    const int64_t mask = (((int64_t)1) << shift) - 1;
    int64_t hint = -1; /* the first row tries pair 0 */
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

/* The functions' signatures, as the Python side declares them: bump both when one changes, so that a library
   built from older sources (an editable install not rebuilt) is refused rather than called wrongly. */
int32_t vn_abi_version(void) { return 1; }

/* Importable as a module in name only (see the comment at the top). */
void *PyInit__panel_kernel(void) { return NULL; }
