/*
 * registry.c - the plug-ins of this build: the connectors by kind and the
 * rule families in report order.
 *
 * Which plug-ins are built in is the build's choice, not this file's: the
 * lists of connectors/meson.build (connector_kinds) and rules/meson.build
 * (rule_families) generate builtins.c (builtins.h), and nothing here names
 * a connector or a family. A connector may also be registered at start-up
 * (xc_source_register(): the tests' fake one). A family is checked once, on
 * first use, before its rules are taken in: one built for another rule ABI
 * is refused, and xc_families_error() says why.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "xcheck/config.h"
#include "xcheck/plugin/rule.h"
#include "xcheck/plugin/source.h"

/* ---- connectors ----------------------------------------------------------- */

/* Connectors registered at start-up, after the built-in ones. */
static const xc_source_ops **registered;
static int n_registered;

static int builtin_count(void)
{
    int n = 0;
    while (xc_builtin_sources[n])
        n++;
    return n;
}

const xc_source_ops *xc_source_at(int i)
{
    int n = builtin_count();
    if (i < 0)
        return NULL;
    if (i < n)
        return xc_builtin_sources[i];
    return i - n < n_registered ? registered[i - n] : NULL;
}

const xc_source_ops *xc_source_find(const char *kind)
{
    const xc_source_ops *ops;
    for (int i = 0; (ops = xc_source_at(i)) != NULL; i++)
        if (strcmp(ops->kind, kind) == 0)
            return ops;
    return NULL;
}

bool xc_source_key_prefixed(const xc_source_ops *ops, const char *key)
{
    for (const char *const *k = ops ? ops->key_prefixes : NULL; k && *k; k++)
        if (strncmp(key, *k, strlen(*k)) == 0)
            return true;
    return false;
}

const xc_source_ops *xc_source_key_owner(const char *key)
{
    const xc_source_ops *ops;
    for (int i = 0; (ops = xc_source_at(i)) != NULL; i++)
        for (const char *const *k = ops->keys; k && *k; k++)
            if (strcmp(*k, key) == 0)
                return ops;
    for (int i = 0; (ops = xc_source_at(i)) != NULL; i++)
        if (xc_source_key_prefixed(ops, key))
            return ops;
    return NULL;
}

/* Whether a key of every dataset section ("field.<f>"...), "kind" or a key
 * or prefix of a connector other than ops starts with prefix, or prefix
 * with one of the section's own prefixes. */
static bool prefix_taken(const xc_source_ops *ops, const char *prefix)
{
    static const char *const section_prefixes[] = {"field.", "map.", "format.", NULL};
    size_t n = strlen(prefix);
    for (const char *const *s = section_prefixes; *s; s++)
        if (strncmp(*s, prefix, n) == 0 || strncmp(prefix, *s, strlen(*s)) == 0)
            return true;
    const xc_source_ops *other;
    for (int i = 0; (other = xc_source_at(i)) != NULL; i++) {
        if (other == ops)
            continue;
        for (const char *const *k = other->keys; k && *k; k++)
            if (strncmp(*k, prefix, n) == 0)
                return true;
        for (const char *const *k = other->key_prefixes; k && *k; k++)
            if (strncmp(*k, prefix, n) == 0 || strncmp(prefix, *k, strlen(*k)) == 0)
                return true;
    }
    return false;
}

/* Whether ops's key prefixes are well formed and its own. */
static bool prefixes_own(const xc_source_ops *ops)
{
    for (const char *const *k = ops->key_prefixes; k && *k; k++) {
        size_t n = strlen(*k);
        if (n < 2 || (*k)[n - 1] != '.' || prefix_taken(ops, *k))
            return false;
    }
    return true;
}

/* Whether ops's keys are its own: none is a key of every dataset section
 * (the configuration would never hand it over) or another kind's. */
static bool keys_own(const xc_source_ops *ops)
{
    for (const char *const *k = ops->keys; k && *k; k++) {
        const xc_source_ops *owner = xc_source_key_owner(*k);
        if (xc_config_section_key(*k) || strcmp(*k, "kind") == 0 || (owner && owner != ops))
            return false;
    }
    return true;
}

int xc_source_check(const xc_source_ops *ops)
{
    if (!ops || ops->abi != XC_SOURCE_ABI || !ops->kind || !ops->open || !ops->next ||
        !ops->close || ((ops->keys || ops->key_prefixes) && !ops->conf_key) || (ops->prepare && !ops->plan_free) ||
        (ops->shared_new && !ops->shared_free) || !keys_own(ops) ||
        !prefixes_own(ops))
        return XC_EINTERNAL;
    return XC_OK;
}

int xc_source_register(const xc_source_ops *ops)
{
    if (ops && ops->kind && xc_source_find(ops->kind))
        return XC_EXISTS;
    if (xc_source_check(ops) != XC_OK)
        return XC_EINTERNAL;
    const xc_source_ops **r = realloc(registered, (size_t)(n_registered + 1) * sizeof *r);
    if (!r)
        return XC_ENOMEM;
    registered = r;
    registered[n_registered++] = ops;
    return XC_OK;
}

/* ---- rule families -------------------------------------------------------- */

const xc_rule *xc_rule_by_id(const char *id)
{
    size_t n;
    const xc_rule *const *all = xc_rules(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(all[i]->id, id) == 0)
            return all[i];
    return NULL;
}

/* Why rule r of family f cannot be taken in, into err; XC_OK when it can. */
static int check_rule(const xc_family *f, const xc_rule *r, xc_err *err)
{
    const char *id = r->id ? r->id : "(no id)";
    if (r->abi != XC_RULE_ABI) {
        xc_err_set(err, XC_ECONFIG, "rule %s of family \"%s\" was built for rule ABI %d; "
                   "this xcheck takes ABI %d: the family is refused", id, f->name, r->abi,
                   XC_RULE_ABI);
        xc_err_hint(err, "rebuild rules/%s.c against this xcheck's include/xcheck/plugin/rule.h",
                    f->name);
        return XC_ECONFIG;
    }
    if (!r->id || !r->family || strcmp(r->family, f->name) != 0)
        return xc_err_set(err, XC_ECONFIG, "rule %s says it belongs to family \"%s\", but "
                          "family \"%s\" lists it", id, r->family ? r->family : "(none)",
                          f->name);
    if (!r->evaluate == !r->evaluate_all)
        return xc_err_set(err, XC_ECONFIG, "rule %s of family \"%s\" must give evaluate or "
                          "evaluate_all, and only one", id, f->name);
    if (!r->prepare != !r->release)
        return xc_err_set(err, XC_ECONFIG, "rule %s of family \"%s\" gives prepare or "
                          "release without the other", id, f->name);
    if ((r->split || xc_category_visited(r->category)) && !(r->check_zh && *r->check_zh)) {
        xc_err_set(err, XC_ECONFIG, "rule %s of family \"%s\" raises flags a home visit "
                   "confirms but gives no check_zh (核查要点)", id, f->name);
        xc_err_hint(err, "give the rule a check_zh: what the caseworker checks on the visit, "
                    "in one sentence");
        return XC_ECONFIG;
    }
    return XC_OK;
}

int xc_family_check(const xc_family *f, xc_err *err)
{
    const char *name = f->name ? f->name : "(no name)";
    if (f->abi != XC_RULE_ABI) {
        xc_err_set(err, XC_ECONFIG, "rule family \"%s\" was built for rule ABI %d; this "
                   "xcheck takes ABI %d: the family is refused", name, f->abi, XC_RULE_ABI);
        xc_err_hint(err, "rebuild rules/%s.c against this xcheck's include/xcheck/plugin/rule.h",
                    name);
        return XC_ECONFIG;
    }
    if (!f->name || !f->rules)
        return xc_err_set(err, XC_ECONFIG, "rule family \"%s\" has no name or no rule list",
                          name);
    for (size_t i = 0; f->rules[i]; i++) {
        int rc = check_rule(f, f->rules[i], err);
        if (rc != XC_OK)
            return rc;
    }
    return XC_OK;
}

enum { MAX_FAMILIES = 64, MAX_RULES = 128 };

static struct {
    pthread_once_t once;
    const xc_family *families[MAX_FAMILIES];
    size_t n_families;
    const xc_rule *rules[MAX_RULES];
    size_t n_rules;
    xc_err refused;            /* the first family refused; code XC_OK: none */
} reg = {.once = PTHREAD_ONCE_INIT};

static void take_in(void)
{
    xc_err_clear(&reg.refused);
    for (size_t i = 0; i < xc_builtin_family_count; i++) {
        const xc_family *f = xc_builtin_families[i];
        xc_err why;
        xc_err_clear(&why);
        size_t n = 0;
        int rc = xc_family_check(f, &why);
        if (rc == XC_OK && reg.n_families == MAX_FAMILIES)
            rc = xc_err_set(&why, XC_ECONFIG, "rule family \"%s\": more than %d families",
                            f->name, MAX_FAMILIES);
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
