/*
 * cmd_rules.c - xcheck rules: every rule with its category and the datasets
 * it needs, and the parameters of the active policy profile.
 */
#include "cli.h"
#include "xcheck/i18n.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "xcheck/profile.h"
#include "xcheck/plugin/rule.h"
#include "xcheck/schema.h"

void help_rules(void)
{
    printf(_("Usage: xcheck rules [OPTION]...\n\n"
           "Lists every rule (id, category, the datasets it needs) and the parameters of\n"
           "the policy profile with their active values; a value the profile does not\n"
           "give is the default its rule family declares, marked (default).\n\n"
           "Options:\n"
           "  -c, --config=FILE    take the profile named in FILE's [run] section\n"
           "  -p, --profile=NAME   a shipped profile (default, yunnan, anhui-city, shandong,\n"
           "                       chengdu) or the path of a .profile file\n"
           "  -h, --help           show this help, then exit\n"));
}

int cmd_rules(int argc, char **argv)
{
    static const struct option opts[] = {
        {"config", required_argument, NULL, 'c'},
        {"profile", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    const char *config_path = NULL, *profile = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "c:p:h", opts, NULL)) != -1) {
        switch (c) {
        case 'c': config_path = optarg; break;
        case 'p': profile = optarg; break;
        case 'h':
            help_rules();
            return EXIT_OK;
        default:
            return usage_error("rules", "%s", _("invalid option"));
        }
    }
    if (optind < argc)
        return usage_error("rules", "unexpected argument \"%s\"", argv[optind]);
    xc_err err;
    xc_err_clear(&err);
    xc_config *cfg = NULL;
    if (config_path && xc_config_load(config_path, &cfg, &err) < 0) {
        print_error(&err);
        return EXIT_FAILED;
    }
    const char *name = profile ? profile : cfg && cfg->profile ? cfg->profile : "default";
    xc_profile pf;
    int rc = xc_profile_load(name, profile || !cfg ? "." : cfg->dir, rules_dir(), &pf, &err);
    xc_config_free(cfg);
    if (rc < 0) {
        print_error(&err);
        return EXIT_FAILED;
    }
    size_t n;
    const xc_rule *const *rules = xc_rules(&n);
    fputs(_("rules\n  "), stdout);
    static const char *const head[] = {N_("rule"), N_("category"), N_("family"),
                                       N_("datasets needed")};
    static const int width[] = {20, 12, 9, 30};
    for (int k = 0; k < 4; k++) {
        put_cell(_(head[k]), width[k]);
        putchar(' ');
    }
    fputs(_("title\n"), stdout);
    for (size_t i = 0; i < n; i++) {
        const xc_rule *r = rules[i];
        char needs[128] = "";
        for (int d = 0; d < XC_DS_COUNT; d++)
            if (r->needs & XC_NEEDS(d))
                snprintf(needs + strlen(needs), sizeof needs - strlen(needs), "%s%s",
                         needs[0] ? "," : "", xc_dataset((xc_ds_id)d)->name);
        /* 2026-12-02: the category was its English code ("mis_enrollment|
         * missed_exit") in a list for people */
        const char *cells[] = {r->id, r->split ? "错评/漏退" : xc_category_label_zh(r->category),
                               r->family, needs[0] ? needs : _("(the archive)")};
        printf("  ");
        for (int k = 0; k < 4; k++) {
            put_cell(cells[k], width[k]);
            putchar(' ');
        }
        printf("%s\n", r->title_zh);
    }
    printf(_("\nparameters of profile %s (%s)\n"), pf.name, pf.path);
    const char *sec, *key;
    char value[256];
    for (int i = 0; xc_profile_param(&pf, i, &sec, &key, value, sizeof value); i++)
        printf("  [%s] %-24s = %s%s\n", sec, key, value,
               xc_profile_param_is_default(&pf, i, sizeof value) ? _("  (default)") : "");
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAILED;
}
