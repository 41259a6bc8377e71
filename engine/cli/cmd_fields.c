/*
 * cmd_fields.c - xcheck fields: the data contract's logical datasets, their
 * fields and the values coded fields allow, read from the schema
 * (include/xcheck/schema.def). --markdown prints README's list, which a
 * test compares with README so that it cannot go stale.
 */
#include "cli.h"
#include "xcheck/i18n.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "xcheck/schema.h"

void help_fields(void)
{
    printf(_("Usage: xcheck fields [--markdown] [DATASET]\n\n"
           "Lists every logical dataset (or DATASET alone): its fields, each with its type,\n"
           "whether a configuration must map it, whether it may be empty, and for coded\n"
           "fields the logical values allowed, with their Chinese labels (what map.<field>.\n"
           "<code> maps a code to). \"required by its rules\": mapped when a rule the\n"
           "configuration will evaluate needs the dataset; \"read by no rule\": may be left\n"
           "out.\n\n"
           "Options:\n"
           "  --markdown   print it as markdown tables (README's list of fields)\n"
           "  -h, --help   show this help, then exit\n"));
}

static const char *type_name(xc_ftype t)
{
    switch (t) {
    case XC_F_TEXT: return "text";
    case XC_F_ID: return "id";
    case XC_F_DATE: return "date";
    case XC_F_MONTH: return "month";
    case XC_F_MONEY: return "money";
    case XC_F_NUMBER: return "number";
    case XC_F_ENUM: return "enum";
    case XC_F_ENUMLIST: return "enumlist";
    case XC_F_REGION: return "region";
    }
    return "?";
}

static const char *side_name(xc_side s)
{
    return s == XC_SIDE_ARCHIVE ? "archive" : s == XC_SIDE_PROCESS ? "process" : "reference";
}

/* Whether a configuration must map field f of ds (as the configuration
 * checks it, engine/core/config.c): the fields the engine reads (the
 * archive's, the dispositions') and the links always, the others when a rule that will be evaluated needs the
 * dataset. */
static const char *mapping_name(const xc_dataset_def *ds, int f)
{
    const xc_field_def *fd = &ds->fields[f];
    if (fd->unread)
        return "optional (read by no rule)";
    if (fd->optional)
        return "optional";
    if (xc_dataset_engine_reads(ds) || f == ds->link_field)
        return "required";
    return "required by its rules";
}

static void print_plain(const xc_dataset_def *ds)
{
    printf("[%s] %s  %s%s\n", ds->name, ds->label_zh, side_name(ds->side),
           ds->required ? ", required" : "");
    for (int f = 0; f < ds->n_fields; f++) {
        const xc_field_def *fd = &ds->fields[f];
        printf("  %-20s %-9s %-27s %s\n", fd->name, type_name(fd->type), mapping_name(ds, f),
               fd->nullable ? "may be empty" : "not empty");
        for (int v = 0; fd->values && fd->values[v]; v++)
            printf("      %-22s %s\n", fd->values[v], fd->labels_zh[v]);
    }
}

static void print_markdown(const xc_dataset_def *ds)
{
    printf("#### `%s` %s (%s%s)\n\n", ds->name, ds->label_zh, side_name(ds->side),
           ds->required ? ", required" : "");
    printf("| field | type | mapping | empty | values |\n|---|---|---|---|---|\n");
    for (int f = 0; f < ds->n_fields; f++) {
        const xc_field_def *fd = &ds->fields[f];
        printf("| `%s` | %s | %s | %s | ", fd->name, type_name(fd->type), mapping_name(ds, f),
               fd->nullable ? "allowed" : "no");
        for (int v = 0; fd->values && fd->values[v]; v++)
            printf("%s`%s` %s", v ? ", " : "", fd->values[v], fd->labels_zh[v]);
        printf(" |\n");
    }
}

int cmd_fields(int argc, char **argv)
{
    static const struct option opts[] = {
        {"markdown", no_argument, NULL, 'm'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    bool markdown = false;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'm': markdown = true; break;
        case 'h':
            help_fields();
            return EXIT_OK;
        default:
            return usage_error("fields", "%s", _("invalid option"));
        }
    }
    if (argc - optind > 1)
        return usage_error("fields", "unexpected argument \"%s\"", argv[optind + 1]);
    const xc_dataset_def *only = NULL;
    if (optind < argc && !(only = xc_dataset_by_name(argv[optind])))
        return usage_error("fields", "unknown dataset \"%s\" (xcheck fields lists them)",
                           argv[optind]);
    bool first = true;
    for (int d = 0; d < XC_DS_COUNT; d++) {
        const xc_dataset_def *ds = xc_dataset((xc_ds_id)d);
        if (only && ds != only)
            continue;
        if (!first)
            printf("\n");
        first = false;
        markdown ? print_markdown(ds) : print_plain(ds);
    }
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAILED;
}
