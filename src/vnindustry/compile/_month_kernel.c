/* The compile's month loops in C (issue 16): imputation, the product totals and the disclosure statistics.

   In numpy each month is a chain of passes over the pairs ending in np.bincount, which holds the GIL, so the
   compile's threads took turns. Here each month is one pass, called through ctypes (the GIL released), so the
   months run side by side. compile/month_kernel.py loads this library; without it (no C compiler at install)
   the same work runs in numpy, and tests/test_issue16_month_kernel.py checks that the two agree bit for bit:
   every sum adds the same terms in the same order (pair order, as np.bincount does). Indices are 32-bit: the loops
   are bound by memory, and a pair or entry number is far below 2^31.

   No Python objects, so no Python.h; PyInit__month_kernel exists only because setuptools builds this as an
   extension module. */

#include <math.h>
#include <stdint.h>

/* Σ curr and Σ prev per product over the pairs with a value (reported) in both months: the matched sums of the
   imputation ratio R(p,t) = s1/s0. s1 and s0 must be zeroed by the caller. */
void vn_matched_sums(int64_t n, const double *prev, const double *curr, const int32_t *pair_product, double *s1,
                     double *s0)
{
    for (int64_t i = 0; i < n; i++) {
        if (!isnan(prev[i]) && !isnan(curr[i])) {
            s1[pair_product[i]] += curr[i];
            s0[pair_product[i]] += prev[i];
        }
    }
}

/* One month of imputation, in place in curr. present[i]: pair i had a value (reported or imputed) last month;
   gap[i]: its imputed months in a row. A silent pair that had a value is imputed as prev × ratio[product] while
   gap < max_gap, else closed. The rows of the imputed and closed flags are set, the pairs' indices listed in
   imputed_at / closed_at (room for n each) and their numbers stored in counts[0], counts[1]. present and gap are
   updated for the next month. */
void vn_impute_month(int64_t n, const double *prev, double *curr, const double *ratio, const int32_t *pair_product,
                     int32_t *gap, uint8_t *present, int32_t max_gap, uint8_t *imputed, uint8_t *closed,
                     int64_t *imputed_at, int64_t *closed_at, int64_t *counts)
{
    int64_t n_imputed = 0, n_closed = 0;
    for (int64_t i = 0; i < n; i++) {
        if (!isnan(curr[i])) {
            gap[i] = 0;
            present[i] = 1;
        } else if (present[i]) {
            if (gap[i] < max_gap) {
                curr[i] = prev[i] * ratio[pair_product[i]];
                imputed[i] = 1;
                imputed_at[n_imputed++] = i;
                gap[i] += 1;
            } else {
                closed[i] = 1;
                closed_at[n_closed++] = i;
                present[i] = 0;
            }
        }
    }
    counts[0] = n_imputed;
    counts[1] = n_closed;
}

/* One month's product totals: Σ values with a value, the part in flagged (imputed) cells and the number of
   unflagged values, per product (the outputs zeroed by the caller). Returns 1 if any cell has a value. */
int32_t vn_product_totals(int64_t n, const double *values, const uint8_t *flags, const int32_t *pair_product,
                          double *total, double *flagged, int64_t *unflagged)
{
    int32_t any = 0;
    for (int64_t i = 0; i < n; i++) {
        double v = values[i];
        if (isnan(v))
            continue;
        any = 1;
        int64_t p = pair_product[i];
        total[p] += v;
        if (flags[i])
            flagged[p] += v;
        else
            unflagged[p] += 1;
    }
    return any;
}

/* A cell's running total, count of positive values and largest value, with one more value v. */
static inline void add_to_cell(double *total, double *n, double *top, int64_t cell, double v)
{
    total[cell] += v;
    if (v > 0) {
        n[cell] += 1;
        if (v > top[cell])
            top[cell] = v;
    }
}

/* One month's disclosure statistics (compile/disclosure.py): per product the total, the number of positive
   values and the largest; the enterprise-leaf values el_val (Σ v·coef over the pairs of each (enterprise, leaf));
   the node-enterprise values ne_val (Σ el_val over each (node, enterprise)'s entries); and per node the total,
   the number of positive node-enterprise values and the largest. A missing value counts as 0. Every output
   zeroed by the caller. */
void vn_disclosure_month(int64_t n_pairs, const double *values, const int32_t *pair_product, const int32_t *pair_el,
                         const double *pair_coef, double *prod_total, double *prod_n, double *prod_top,
                         double *el_val, int64_t n_entries, const int32_t *entry_el, const int32_t *entry_ne,
                         double *ne_val, int64_t n_ne, const int32_t *ne_node, double *node_total, double *node_n,
                         double *node_top)
{
    for (int64_t i = 0; i < n_pairs; i++) {
        double v = values[i];
        if (!(v > 0))  /* NaN and 0 (and −0.0) add 0: the sums skip them, as fmax(v, 0) would add 0.0 */
            v = 0.0;
        add_to_cell(prod_total, prod_n, prod_top, pair_product[i], v);
        el_val[pair_el[i]] += v * pair_coef[i];
    }
    for (int64_t j = 0; j < n_entries; j++)
        ne_val[entry_ne[j]] += el_val[entry_el[j]];
    for (int64_t k = 0; k < n_ne; k++)
        add_to_cell(node_total, node_n, node_top, ne_node[k], ne_val[k]);
}

/* The functions' signatures, as the Python side declares them: bump both when one changes, so that a library
   built from older sources (an editable install not rebuilt) is refused rather than called wrongly. */
int32_t vn_abi_version(void) { return 1; }

/* Importable as a module in name only (see the comment at the top). */
void *PyInit__month_kernel(void) { return 0; }
