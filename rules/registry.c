/*
 * registry.c - every rule family of this build, in report order.
 *
 * The families are those rules/meson.build lists (rule_families), in its
 * order, through the generated families.h. Each is checked once, on first
 * use, before its rules are taken in: one built for another rule ABI is
 * refused, and xc_families_error() says why.
 */
#include <pthread.h>
#include <stdio.h>

#include "families.h"
#include "xcheck/rule.h"

#define DECLARE(name) extern const xc_family xc_family_##name;
XC_FAMILIES(DECLARE)
#undef DECLARE

#define ADDRESS(name) &xc_family_##name,
static const xc_family *const listed[] = {XC_FAMILIES(ADDRESS)};
#undef ADDRESS

enum { N_LISTED = sizeof listed / sizeof listed[0], MAX_RULES = 128 };

static struct {
    pthread_once_t once;
    const xc_family *families[N_LISTED];
    size_t n_families;
    const xc_rule *rules[MAX_RULES];
    size_t n_rules;
    xc_err refused;            /* the first family refused; code XC_OK: none */
} reg = {.once = PTHREAD_ONCE_INIT};

static void take_in(void)
{
    xc_err_clear(&reg.refused);
    for (size_t i = 0; i < N_LISTED; i++) {
        const xc_family *f = listed[i];
        xc_err why;
        xc_err_clear(&why);
        size_t n = 0;
        int rc = xc_family_check(f, &why);
        for (; rc == XC_OK && f->rules[n]; n++)
            ;
        if (rc == XC_OK && reg.n_rules + n > MAX_RULES)
            rc = xc_err_set(&why, XC_ECONFIG, "rule family \"%s\": more than %d rules in "
                            "all", f->name, MAX_RULES);
        if (rc != XC_OK) {
            if (reg.refused.code == XC_OK)
                reg.refused = why;
            continue;
        }
        reg.families[reg.n_families++] = f;
        for (size_t r = 0; r < n; r++)
            reg.rules[reg.n_rules++] = f->rules[r];
    }
}

const xc_family *const *xc_families(size_t *ret_n)
{
    pthread_once(&reg.once, take_in);
    *ret_n = reg.n_families;
    return reg.families;
}

int xc_families_error(xc_err *err)
{
    pthread_once(&reg.once, take_in);
    if (reg.refused.code == XC_OK)
        return XC_OK;
    if (err)
        *err = reg.refused;
    return reg.refused.code;
}

const xc_rule *const *xc_rules(size_t *ret_n)
{
    pthread_once(&reg.once, take_in);
    *ret_n = reg.n_rules;
    return reg.rules;
}
