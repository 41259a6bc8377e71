/*
 * builtins.h - the plug-ins built into this xcheck, as the build lists
 * them (builtins.c, generated from builtins.c.in by meson.build out of
 * connectors/meson.build's connector_kinds and rules/meson.build's
 * rule_families). Read by registry.c only.
 */
#ifndef XC_CORE_BUILTINS_H
#define XC_CORE_BUILTINS_H

#include "xcheck/plugin/rule.h"
#include "xcheck/plugin/source.h"

/* The connectors, the first being the default kind, then NULL. */
extern const xc_source_ops *const xc_builtin_sources[];

/* The rule families in report order, and how many. */
extern const xc_family *const xc_builtin_families[];
extern const size_t xc_builtin_family_count;

#endif
