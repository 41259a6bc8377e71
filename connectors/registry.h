/* registry.h - the built-in connectors, inside connectors/ only. */
#ifndef XCHECK_CONNECTORS_REGISTRY_H
#define XCHECK_CONNECTORS_REGISTRY_H

#include "xcheck/source.h"

/* The connectors connectors/meson.build lists, in its order, then NULL
 * (registry.c, generated from registry.c.in). */
extern const xc_source_ops *const xc_source_builtin[];

#endif
