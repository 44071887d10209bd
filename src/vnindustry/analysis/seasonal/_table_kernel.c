/* X-13's saved monthly tables read in C (issue 16).

   A saved table is a header line, a line of dashes, then a line per month: YYYYMM, a tab, and the values
   separated by tabs. The published run of a frozen spec reads nine of them a series; in Python each cost ~66 µs
   (splitting, checking, numpy's conversion of every number), more than a tenth of adjust --all's Python beside
   Here a table is one pass. Only the regular case is read — every line a date and exactly `width` numbers,
   consecutive months, no blank line, nothing but digits, signs, points and exponents in a number; anything else
   returns -1 and the caller reads the table in Python as before (analysis/seasonal/saved.py), so the two agree
   on every table: tests/test_issue16_table_kernel.py checks them against each other.

   Numbers by strtod_l in the "C" locale: correctly rounded, as Python's float() and numpy's conversion are, so
   the same text gives the same double; a locale with a decimal comma set by some library cannot change it.

   No Python objects, so no Python.h; PyInit__table_kernel exists only because setuptools builds this as an
   extension module. */

#define _GNU_SOURCE
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>

static locale_t c_locale(void)
{
    static locale_t c = (locale_t)0;
    if (c == (locale_t)0)
        c = newlocale(LC_ALL_MASK, "C", (locale_t)0);  /* a race sets it twice to equal values: harmless */
    return c;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

static int in_number(char c)
{
    return is_digit(c) || c == '+' || c == '-' || c == '.' || c == 'E' || c == 'e';
}

/* The rows of the table `text` (length bytes) with `width` values after each date, into values (room for
   max_rows × width, row after row); *start_month = year × 12 + month − 1 of the first row. Returns the number of
   rows, or -1 when the table is not regular (the caller's Python reading takes it). */
int64_t vn_x13_monthly_table(const char *text, int64_t length, int64_t width, double *values, int64_t max_rows,
                             int64_t *start_month)
{
    locale_t locale = c_locale();
    const char *p = text, *end = text + length;
    if (locale == (locale_t)0 || width < 1)
        return -1;
    for (int skip = 0; skip < 2; skip++) {  /* the header and the dashes */
        while (p < end && *p != '\n')
            p++;
        if (p == end)
            return -1;
        p++;
    }
    int64_t rows = 0, first = 0;
    char field[64];
    while (p < end) {
        if (rows == max_rows || end - p < 6)
            return -1;
        for (int i = 0; i < 6; i++)
            if (!is_digit(p[i]))
                return -1;
        int64_t year = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
        int64_t month = (p[4] - '0') * 10 + (p[5] - '0');
        if (month < 1 || month > 12)
            return -1;
        int64_t ordinal = year * 12 + month - 1;
        if (rows == 0)
            first = ordinal;
        else if (ordinal != first + rows)
            return -1;
        p += 6;
        for (int64_t j = 0; j < width; j++) {
            if (p == end || *p != '\t')
                return -1;
            p++;
            const char *q = p;
            while (q < end && in_number(*q))
                q++;
            int64_t n = q - p;
            if (n == 0 || n >= (int64_t)sizeof field || (q < end && *q != '\t' && *q != '\n'))
                return -1;
            for (int64_t k = 0; k < n; k++)
                field[k] = p[k];
            field[n] = '\0';
            char *stop;
            values[rows * width + j] = strtod_l(field, &stop, locale);
            if (stop != field + n)
                return -1;
            p = q;
        }
        if (p < end) {
            if (*p != '\n')
                return -1;
            p++;
        }
        rows++;
    }
    if (rows == 0)
        return -1;
    *start_month = first;
    return rows;
}

/* The functions' signatures, as the Python side declares them: bump both when one changes, so that a library
   built from older sources (an editable install not rebuilt) is refused rather than called wrongly. */
int32_t vn_abi_version(void) { return 1; }

/* Importable as a module in name only (see the comment at the top). */
void *PyInit__table_kernel(void) { return 0; }
