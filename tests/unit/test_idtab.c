/* test_idtab.c - the ID table: inserts, look-ups, duplicates, growth,
 * batch look-ups and memory per key. Speed is measured by
 * tests/bench/bench_idtab, not here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdlib.h>

#include "xcheck/error.h"
#include "xcheck/idtab.h"

/* Keys shaped like packed ID numbers: 17 decimal digits. */
static uint64_t key_of(uint64_t i)
{
    return 11010519000000000ULL + i * 7919ULL;
}

static void test_idtab_finds_what_was_inserted_and_nothing_else(void **state)
{
    (void)state;
    xc_idtab *t = NULL;
    assert_int_equal(xc_idtab_new(10, &t), XC_OK);
    for (uint32_t i = 0; i < 1000; i++)
        assert_int_equal(xc_idtab_insert(t, key_of(i), i, NULL), XC_OK);
    assert_int_equal(xc_idtab_count(t), 1000);
    for (uint32_t i = 0; i < 1000; i++)
        assert_int_equal(xc_idtab_find(t, key_of(i)), i);
    for (uint32_t i = 1000; i < 3000; i++)
        assert_int_equal(xc_idtab_find(t, key_of(i)), XC_IDTAB_NONE);
    assert_int_equal(xc_idtab_find(t, 0), XC_IDTAB_NONE);
    xc_idtab_free(t);
    xc_idtab_free(NULL);
}

static void test_idtab_reports_a_duplicate_key_with_its_first_value(void **state)
{
    (void)state;
    xc_idtab *t = NULL;
    assert_int_equal(xc_idtab_new(4, &t), XC_OK);
    assert_int_equal(xc_idtab_insert(t, 42, 7, NULL), XC_OK);
    uint32_t first = 0;
    assert_int_equal(xc_idtab_insert(t, 42, 9, &first), XC_EXISTS);
    assert_int_equal(first, 7);
    assert_int_equal(xc_idtab_find(t, 42), 7);
    assert_int_equal(xc_idtab_count(t), 1);
    xc_idtab_free(t);
}

static void test_idtab_batch_finds_the_same_as_single_finds(void **state)
{
    (void)state;
    xc_idtab *t = NULL;
    assert_int_equal(xc_idtab_new(0, &t), XC_OK);   /* grows from the minimum */
    for (uint32_t i = 0; i < 50000; i += 2)
        assert_int_equal(xc_idtab_insert(t, key_of(i), i, NULL), XC_OK);
    enum { N = 1237 };               /* not a multiple of the batch size */
    uint64_t keys[N];
    uint32_t got[N];
    for (size_t i = 0; i < N; i++)
        keys[i] = i % 100 == 0 ? 0 : key_of((i * 37) % 60000);
    xc_idtab_find_batch(t, keys, N, got);
    for (size_t i = 0; i < N; i++) {
        assert_int_equal(got[i], xc_idtab_find(t, keys[i]));
        uint64_t j = (i * 37) % 60000;
        bool present = keys[i] != 0 && j % 2 == 0 && j < 50000;
        assert_int_equal(got[i], present ? (uint32_t)j : XC_IDTAB_NONE);
    }
    xc_idtab_free(t);
}

static void test_idtab_keeps_at_most_32_bytes_per_key(void **state)
{
    (void)state;
    /* Sized up front, and grown from nothing to just past a doubling (the
     * emptiest a grown table gets: 2^21 slots * 7/8 + 1 keys). */
    static const size_t sizes[] = {1000, 3000000, 1835009};
    static const size_t hint[] = {1000, 3000000, 0};
    for (size_t s = 0; s < 3; s++) {
        xc_idtab *t = NULL;
        assert_int_equal(xc_idtab_new(hint[s], &t), XC_OK);
        for (uint32_t i = 0; i < sizes[s]; i++)
            assert_int_equal(xc_idtab_insert(t, key_of(i), i, NULL), XC_OK);
        assert_true(xc_idtab_bytes(t) <= 32 * sizes[s]);
        xc_idtab_free(t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_idtab_finds_what_was_inserted_and_nothing_else),
        cmocka_unit_test(test_idtab_reports_a_duplicate_key_with_its_first_value),
        cmocka_unit_test(test_idtab_batch_finds_the_same_as_single_finds),
        cmocka_unit_test(test_idtab_keeps_at_most_32_bytes_per_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
