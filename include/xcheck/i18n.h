/*
 * i18n.h - messages in the reader's language.
 *
 * Every text meant for a person on a terminal (help, errors, warnings,
 * reasons, labels) is written in English in the source and marked: _("...")
 * where it is used, N_("...") where it is only stored (a table of texts)
 * and translated where it is printed. The translations are the .po files
 * of engine/cli/po/; xc_err_set(), xc_err_detail() and xc_err_hint()
 * translate their format themselves, so the messages given to them need no
 * mark. The program chooses the language (engine/cli/locale.c): Chinese
 * under a Chinese locale and when none is set, English under C or en_*.
 * What the output files hold for the report (labels, summaries of flags)
 * is Chinese whatever the locale; the reasons of rejected rows, written in
 * the rejects files too, follow the language of the messages.
 */
#ifndef XCHECK_I18N_H
#define XCHECK_I18N_H

#include <libintl.h>

#define XC_TEXT_DOMAIN "xcheck"

#define _(s) dgettext(XC_TEXT_DOMAIN, s)
#define N_(s) s

#endif
