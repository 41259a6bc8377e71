/*
 * cmd_run.c - xcheck run: the archive cross-checked against every configured
 * dataset, the outputs put in place, the summary on the console, then
 * publication and the nightly diff.
 */
#include "cli.h"
#include "xcheck/i18n.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xcheck/profile.h"
#include "xcheck/region.h"
#include "progress.h"
#include "xcheck/outputs.h"
#include "xcheck/results.h"
#include "xcheck/plugin/rule.h"
#include "xcheck/run.h"
#include "xcheck/rundir.h"
#include "xcheck/schema.h"
#include "xcheck/text.h"
#include "xc_build.h"

void help_run(void)
{
    printf(_("Usage: xcheck run [OPTION]...\n\n"
           "Reads the archive (household, member), streams every other dataset bound in\n"
           "the configuration once, evaluates every rule over every household and writes\n"
           "the flags, their evidence, the rates and the row accounting.\n"
           "Without --config, runs the bundled demo.\n\n"
           "Options:\n"
           "  -c, --config=FILE    run configuration (INI); default: the bundled demo,\n"
           "                       which is never published\n"
           "  -o, --output=DIR     output directory (default: [run] output, else xcheck-out),\n"
           "                       replaced whole when the run succeeds; the previous\n"
           "                       outputs are kept as DIR.prev\n"
           "      --as-of=DATE     evaluation date YYYY-MM-DD (default: [run] as_of, else today)\n"
           "  -p, --profile=NAME   policy profile, overriding [run] profile (see xcheck rules)\n"
           "  -j, --jobs=N         sources read at once, and connections per PostgreSQL\n"
           "                       table (default: the number of cores)\n"
           "      --memory=SIZE    about the most memory the run may hold (512M, 4G; 0: no\n"
           "                       limit; default: [run] memory, else half of the\n"
           "                       machine's, or of its control group's limit): past it, the\n"
           "                       facts about the households go to a temporary file,\n"
           "                       encrypted under a key that never leaves the process,\n"
           "                       and are evaluated in windows of households\n"
           "      --temp-dir=DIR   where that file goes (default: [run] temp_dir, else\n"
           "                       $TMPDIR, else /tmp); it is unlinked at once\n"
           "  -d, --database=DB    conninfo or postgresql:// URI of postgres sources,\n"
           "                       overriding [run] database (unset: the PG* variables)\n"
           "      --pushdown=MODE  auto, on or off for every postgres dataset: filter by\n"
           "                       the archive's ID numbers on the server\n"
           "      --run-id=ID      the run's name in the results (default: its as_of)\n"
           "      --results=DB     publish flags, rates and the run's record into DB's\n"
           "                       schema xcheck (default: [run] results); needs -c\n"
           "      --nightly        after publishing, show what changed since the previous\n"
           "                       run (new, resolved, persisting, not comparable flags)\n"
           "                       and write diff.csv; needs a results database and -c\n"
           "      --full-ids       write whole ID numbers into evidence.jsonl and the\n"
           "                       rejects (default: masked, as in every output for\n"
           "                       people); summary.json says so. Never the results\n"
           "                       database\n"
           "      --key=FILE       the pseudonym key (xcheck key new), needed by --results\n"
           "                       (default: the file named by $XCHECK_KEY_FILE)\n"
           "      --exchange-key=FILE  the key the departments pseudonymised their exports\n"
           "                       with, for datasets with id_form = pseudonym (default:\n"
           "                       $XCHECK_EXCHANGE_KEY_FILE, else the pseudonym key)\n"
           "      --region=CODE    limit the run to the households of an area: a province\n"
           "                       (53), city (5301) or county (530102) code; the rows of\n"
           "                       the others are still read and accounted for (default:\n"
           "                       [run] region, else every household)\n"
           "      --visits-by-cadre[=sheet|file]  the visit list once more per cadre\n"
           "                       (帮扶干部), 未结对 apart: one sheet each in report.xlsx\n"
           "                       (sheet, the default), or one file each,\n"
           "                       visits/<cadre>.xlsx, listed in report.xlsx's sheet\n"
           "                       结对干部 (default: [report] visits_by_cadre, else one\n"
           "                       list)\n"));
    printf(_("  -q, --quiet          print nothing but errors\n"
           "  -h, --help           show this help, then exit\n\n"
           "Output in DIR: report.html, report.xlsx, flags.csv, evidence.jsonl, rates.csv,\n"
           "rules.csv, summary.json, households.csv, payments.csv (with payment data),\n"
           "accounting.csv, rejects/<dataset>.csv, visits/<cadre>.xlsx (with\n"
           "--visits-by-cadre=file)\n"
           "Exit status: 0 success, 1 failure, 2 usage error, 3 success but a rate (in\n"
           "total) is over its threshold, 4 finished on partial data: the rates are\n"
           "incomplete (takes precedence over 3).\n"));
}

/* The memory limit of the process's control group (v2 memory.max, v1
 * memory.limit_in_bytes), 0 when it has none or it cannot be read. */
static uint64_t cgroup_limit(void)
{
    FILE *f = fopen("/proc/self/cgroup", "r");
    if (!f)
        return 0;
    char line[4096], path[4400];
    uint64_t limit = 0;
    while (!limit && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        const char *at;
        if (strncmp(line, "0::", 3) == 0)
            snprintf(path, sizeof path, "/sys/fs/cgroup%s/memory.max", line + 3);
        else if ((at = strstr(line, ":memory:")))
            snprintf(path, sizeof path, "/sys/fs/cgroup/memory%s/memory.limit_in_bytes", at + 8);
        else
            continue;
        FILE *m = fopen(path, "r");
        char v[64];
        if (m && fgets(v, sizeof v, m)) {
            v[strcspn(v, "\n")] = '\0';
            uint64_t n;
            /* "max", or a v1 limit near 2^63: none */
            if (xc_size_parse(v, &n) == 0 && n < ((uint64_t)1 << 60))
                limit = n;
        }
        if (m)
            fclose(m);
    }
    fclose(f);
    return limit;
}

/* Without --memory or [run] memory: half of what the machine has, or of
 * its control group's limit when that is less, so that a run on a smaller
 * server writes facts to its temporary file instead of being killed. */
static uint64_t default_memory(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGE_SIZE);
    uint64_t have = pages > 0 && size > 0 ? (uint64_t)pages * (uint64_t)size : 0;
    uint64_t cg = cgroup_limit();
    if (cg && (!have || cg < have))
        have = cg;
    return have / 2;
}

static void print_rates(const xc_run_result *res)
{
    static const int width[] = {18, -10, -10, -10, -12, 10};
    static const char *head[] = {N_("rate"), N_("numer."), N_("denom."), N_("value"),
                                 N_("threshold"), N_("  result")};
    for (int i = 0; i < 6; i++)
        put_cell(_(head[i]), width[i]);
    putchar('\n');
    for (size_t i = 0; i < res->n_rates; i++) {
        const xc_rate_row *r = &res->rates[i];
        if (r->group != XC_GROUP_TOTAL)
            continue;
        char buf[64];
        put_cell(xc_rate_label_zh(r->rate), width[0]);
        if (!r->evaluated) {
            fputs(_("  not evaluated\n"), stdout);
            continue;
        }
        put_count(r->numerator, width[1]);
        put_count(r->denominator, width[2]);
        snprintf(buf, sizeof buf, r->denominator ? "%.2f%%" : "-",
                 r->denominator ? 100.0 * (double)r->numerator / (double)r->denominator : 0.0);
        put_cell(buf, width[3]);
        snprintf(buf, sizeof buf, "%s%.2f%%", xc_rate_is_max(r->rate) ? "≤" : "≥",
                 100.0 * r->threshold);
        put_cell(buf, width[4]);
        printf("  %s\n", !r->denominator ? _("none") : !r->pass ? _("FAIL")
               : !r->complete ? _("INCOMPLETE") : _("pass"));
    }
}

static void print_summary(const xc_run_result *res, const char *outdir)
{
    char asof[11];
    printf(_("\nas_of: %s    profile: %s    households in archive: %zu    persons: %zu\n\n"),
           xc_date_format(res->as_of, asof), res->profile.name,
           res->households_in_archive, res->persons);
    if (res->region_digits) {
        char label[256];
        printf(_("region: %s (the other %zu households are only read and counted, not "
                 "evaluated)\n\n"),
               xc_run_region_label(res, label, sizeof label), res->households_outside);
    }
    if (res->incomplete) {
        fputs(_("!! INCOMPLETE: the rates rest on the data seen in this run only, they cannot "
                "show that a target is met\n"), stdout);
        for (int i = 0; i < res->n_warnings; i++)
            printf("!! %s\n", res->warnings[i].text);
        putchar('\n');
    }
    /* Sources of several databases: a fact to state, not missing data. */
    bool apart = false;
    for (int d = 0; d < XC_DS_COUNT; d++)
        if (res->ds[d].evaluated && res->ds[d].snapshots > 1) {
            printf(_("!! %s: read from snapshots of %d databases, not one point in time\n"),
                   xc_dataset((xc_ds_id)d)->name, res->ds[d].snapshots);
            apart = true;
        }
    if (apart)
        putchar('\n');
    print_rates(res);
    const xc_disposition_counts *dc = &res->dispositions;
    if (dc->rows) {
        printf(_("\ndispositions: %zu flags verified false, kept out of the rates; %zu "
                 "verified right (%zu rows of the register in force of %zu)\n"),
               dc->excluded, dc->confirmed, dc->rows_used, dc->rows);
        if (dc->expired)
            printf(_("!! %zu flags' verifications have expired: counted again\n"), dc->expired);
        if (dc->rows_later)
            printf(_("!! %zu rows of the register were decided after as_of: not used\n"),
                   dc->rows_later);
        if (dc->rows_unknown_rule)
            printf(_("!! %zu rows of the register name rules xcheck does not have (%s): not "
                     "used, correct them\n"), dc->rows_unknown_rule, dc->unknown_rules);
    }

    putchar('\n');
    put_cell(_("rule"), 24);
    put_cell(_("category"), 20);
    printf("%s\n", _("flags"));
    for (size_t i = 0; i < res->n_rules; i++) {
        const xc_rule_result *r = &res->rules[i];
        put_cell(r->rule->id, 24);
        put_cell(r->rule->split ? "错评/漏退" : xc_category_label_zh(r->rule->category), 20);
        if (r->evaluated && r->not_covered)
            printf(_("%5zu  %s (%zu not judged, of which %zu for months social insurance does "
                     "not cover)\n"), r->flags, r->rule->title_zh, r->not_judged,
                   r->not_covered);
        else if (r->evaluated && r->not_judged)
            printf(_("%5zu  %s (%zu not judged: no dibao standard, rejected data...)\n"),
                   r->flags, r->rule->title_zh, r->not_judged);
        else if (r->evaluated)
            printf("%5zu  %s\n", r->flags, r->rule->title_zh);
        else
            printf(_("  not evaluated: %s\n"), r->why_not);
    }

    if (res->payments_evaluated) {
        putchar('\n');
        put_cell(_("program"), 18);
        put_cell(_("payments"), -14);
        put_cell(_("amount"), -16);
        put_cell(_("flagged"), -12);
        printf("  %s\n", _("flagged amount"));
        for (int p = 0; p <= XC_PAY_PROGRAMS; p++) {
            const xc_payment_total *t = &res->payments[p];
            if (!t->payments && p < XC_PAY_PROGRAMS)
                continue;
            char amount[32], flagged[32];
            snprintf(amount, sizeof amount, "%lld.%02lld", (long long)(t->amount / 100),
                     (long long)(t->amount % 100));
            snprintf(flagged, sizeof flagged, "%lld.%02lld (%.1f%%)",
                     (long long)(t->flagged_amount / 100), (long long)(t->flagged_amount % 100),
                     t->amount ? 100.0 * (double)t->flagged_amount / (double)t->amount : 0.0);
            put_cell(xc_payment_program_zh(p), 18);
            put_count(t->payments, -14);
            put_cell(amount, -16);
            put_count(t->flagged, -12);
            printf("  %s\n", flagged);
        }
    }

    putchar('\n');
    static const char *head[] = {N_("dataset"), "", N_("read"), N_("matched"), N_("unmatched"),
                                 N_("rejected")};
    static const int width[] = {18, 14, -12, -14, -18, -16};
    for (int i = 0; i < 6; i++)
        put_cell(head[i][0] ? _(head[i]) : "", width[i]);
    putchar('\n');
    uint64_t legacy = 0, invalid = 0, rejected = 0;
    for (int d = 0; d < XC_DS_COUNT; d++) {
        const xc_dataset_def *ds = xc_dataset((xc_ds_id)d);
        const xc_dataset_result *r = &res->ds[d];
        put_cell(ds->name, width[0]);
        put_cell(ds->label_zh, width[1]);
        if (!r->evaluated) {
            fputs(_("  not configured\n"), stdout);
            continue;
        }
        const xc_counts *c = &r->counts;
        put_count(c->read, width[2]);
        put_count(c->matched, width[3]);
        put_count(c->unmatched, width[4]);
        put_count(c->rejected, width[5]);
        putchar('\n');
        legacy += c->legacy_ids;
        invalid += c->invalid_ids;
        rejected += c->rejected;
    }
    printf(_("\nlegacy IDs upgraded: %llu    invalid IDs in the archive: %llu    rejected rows: "
             "%llu\n"), (unsigned long long)legacy,
           (unsigned long long)invalid, (unsigned long long)rejected);
    printf(_("time: archive %.2f s, scan %.2f s (%d jobs), evaluate %.2f s, report %.2f s, "
             "total %.2f s\n"), res->seconds_archive, res->seconds_scan,
           res->jobs, res->seconds_evaluate, res->seconds_report, res->seconds);
    if (res->spill_windows)
        printf(_("memory: limit %.0f MB; the facts past it (%.0f MB) spilled, encrypted, to a "
                 "temporary file and evaluated in %d batches\n"), res->memory_limit / 1048576.0,
               res->spill_bytes / 1048576.0, res->spill_batches);
    printf(_("output: %s/ (report.html, report.xlsx, flags.csv, evidence.jsonl, rates.csv, "
             "rules.csv, summary.json, households.csv, %saccounting.csv, rejects/)\n"), outdir,
           res->payments_evaluated ? "payments.csv, " : "");
}

/* Adds to err, met after the run's outputs were put in place, that they
 * are there, and whether the run was published. */
static void outputs_kept(xc_err *err, const char *outdir, bool published)
{
    char note[600];
    snprintf(note, sizeof note, published
             ? _("the run's outputs are in place in \"%s\"; the run was published")
             : _("the run's outputs are in place in \"%s\"; the run was not published"), outdir);
    if (!err->detail[0])
        xc_err_detail(err, "%s", note);
    else if (strlen(err->detail) + strlen(note) + 3 < sizeof err->detail)
        strcat(strcat(err->detail, "; "), note);
    else if (!err->hint[0])
        xc_err_hint(err, "%s", note);
}

static int show_diff(const char *results, long lock_ms, const char *run_id, const char *outdir,
                     bool quiet, xc_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/diff.csv", outdir);
    int rc = diff_to(results, lock_ms, run_id, path, quiet, err);
    return rc < 0 ? rc : XC_OK;
}

int cmd_run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"config", required_argument, NULL, 'c'},
        {"output", required_argument, NULL, 'o'},
        {"as-of", required_argument, NULL, 'a'},
        {"profile", required_argument, NULL, 'p'},
        {"jobs", required_argument, NULL, 'j'},
        {"memory", required_argument, NULL, 'M'},
        {"temp-dir", required_argument, NULL, 'T'},
        {"database", required_argument, NULL, 'd'},
        {"pushdown", required_argument, NULL, 'P'},
        {"run-id", required_argument, NULL, 'R'},
        {"results", required_argument, NULL, 'B'},
        {"nightly", no_argument, NULL, 'N'},
        {"full-ids", no_argument, NULL, 'F'},
        {"key", required_argument, NULL, 'K'},
        {"exchange-key", required_argument, NULL, 'X'},
        {"region", required_argument, NULL, 'G'},
        {"visits-by-cadre", optional_argument, NULL, 'V'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    const char *config_path = NULL, *output = NULL, *profile = NULL, *database = NULL;
    const char *run_id = NULL, *results = NULL, *key_path = NULL, *exchange_path = NULL;
    bool quiet = false, as_of_given = false, nightly = false, full_ids = false;
    xc_date as_of = 0;
    int jobs = 0, pushdown = -1, c;
    uint64_t memory = 0;
    bool memory_given = false;
    const char *temp_dir = NULL;
    uint32_t region = 0;
    int region_digits = 0, by_cadre = -1;
    while ((c = getopt_long(argc, argv, "c:o:p:j:d:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'd': database = optarg; break;
        case 'R':
            if (bad_run_id(optarg))
                return usage_error("run", "the --run-id given %s", bad_run_id(optarg));
            run_id = optarg;
            break;
        case 'B': results = optarg; break;
        case 'N': nightly = true; break;
        case 'F': full_ids = true; break;
        case 'K': key_path = optarg; break;
        case 'X': exchange_path = optarg; break;
        case 'P':
            if (strcmp(optarg, "auto") == 0)
                pushdown = XC_PUSHDOWN_AUTO;
            else if (strcmp(optarg, "on") == 0)
                pushdown = XC_PUSHDOWN_ON;
            else if (strcmp(optarg, "off") == 0)
                pushdown = XC_PUSHDOWN_OFF;
            else
                return usage_error("run", "--pushdown: \"%s\" is not auto, on or off", optarg);
            break;
        case 'c': config_path = optarg; break;
        case 'o': output = optarg; break;
        case 'p': profile = optarg; break;
        case 'j': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 64)
                return usage_error("run", "--jobs: \"%s\" is not a number from 1 to 64", optarg);
            jobs = (int)v;
            break;
        }
        case 'M':
            if (xc_size_parse(optarg, &memory) < 0)
                return usage_error("run", "--memory: \"%s\" is not a size (512M, 4G; 0: no "
                                   "limit)", optarg);
            memory_given = true;
            break;
        case 'T': temp_dir = optarg; break;
        case 'G':
            if ((region_digits = xc_region_arg(optarg, &region)) < 0)
                return usage_error("run", "--region: \"%s\" is not a region code of 2, 4 or 6 "
                                   "digits (53, 5301, 530102)", optarg);
            break;
        case 'V':
            if (!optarg || strcmp(optarg, "sheet") == 0)
                by_cadre = XC_VISITS_BY_CADRE_SHEET;
            else if (strcmp(optarg, "file") == 0)
                by_cadre = XC_VISITS_BY_CADRE_FILE;
            else
                return usage_error("run", "--visits-by-cadre: \"%s\" is not sheet or file",
                                   optarg);
            break;
        case 'q': quiet = true; break;
        case 'a':
            if (xc_date_parse_iso(optarg, &as_of) < 0)
                return usage_error("run", "--as-of: \"%s\" is not a date (YYYY-MM-DD)", optarg);
            as_of_given = true;
            break;
        case 'h':
            help_run();
            return EXIT_OK;
        default:
            return usage_error("run", "%s", _("invalid option"));
        }
    }
    if (optind < argc)
        return usage_error("run", "unexpected argument \"%s\"", argv[optind]);
    /* The bundled demo is never published: its run would take the place of
     * a real run of the same as_of in the results. */
    bool demo = !config_path;
    if (demo && (results || nightly))
        return usage_error("run", "%s needs -c CONFIG: only a run of your own configuration is "
                           "published (the bundled demo never is)",
                           results ? "--results" : "--nightly");
    if (!config_path) {
        config_path = getenv("XCHECK_DEMO_CONFIG");
        if (!config_path)
            config_path = XC_DEMO_CONFIG;
        if (!quiet)
            fprintf(stderr, _("xcheck: no --config given: running the bundled demo (%s)\n"),
                    config_path);
    }
    warn_password("--database", database);
    warn_password("--results", results);
    xc_err err;
    xc_err_clear(&err);
    xc_config *cfg = NULL;
    if (xc_config_load(config_path, &cfg, &err) < 0) {
        print_error(&err);
        return EXIT_FAILED;
    }
    bool results_given = results != NULL;
    if (!results && !demo)
        results = cfg->results;
    /* A run limited to an area is not published: its flags and rates
     * would take the place of the whole archive's run of that as_of, and
     * the next nightly diff would take the other areas' flags as resolved. */
    if (results && (region_digits || cfg->region_digits)) {
        xc_config_free(cfg);
        if (results_given && region_digits)
            return usage_error("run", "%s", _("--region cannot be published: leave out "
                               "--results (and --nightly)"));
        xc_err_set(&err, XC_ECONFIG, "a run limited to an area (%s) is not published to the "
                   "results database (%s)", region_digits ? "--region" : "[run] region",
                   results_given ? "--results" : "[run] results");
        xc_err_hint(&err, "run the whole archive for the results database; limit a run to an "
                    "area for its own outputs only, with a configuration without results");
        print_error(&err);
        return EXIT_FAILED;
    }
    if (nightly && !results) {
        xc_config_free(cfg);
        return usage_error("run", "%s", _("--nightly needs a results database: give --results "
                           "or [run] results"));
    }
    /* Before any data is read: a publication or a pseudonymised dataset
     * without its key would fail only hours later. */
    xc_key *key = NULL, *xkey = NULL;
    bool pseudonyms = false;
    for (int d = 0; d < XC_DS_COUNT; d++)
        pseudonyms |= cfg->ds[d].configured && cfg->ds[d].id_pseudonym;
    const char *xpath = exchange_path ? exchange_path : getenv(XC_EXCHANGE_KEY_ENV);
    int krc = load_key(key_path, &key, &err);
    if (krc >= 0 && xpath && *xpath)
        krc = xc_key_load(xpath, &xkey, &err);
    const xc_key *matching = xkey ? xkey : key;
    if (krc < 0 ||
        (results && !key && xc_err_set(&err, XC_ECONFIG, "publishing results needs a "
                                       "pseudonym key") < 0) ||
        (pseudonyms && !matching && xc_err_set(&err, XC_ECONFIG, "a dataset with id_form = "
                                               "pseudonym needs a pseudonym key") < 0)) {
        if (krc >= 0)
            xc_err_hint(&err, "make one with xcheck key new FILE (kept apart from the results, "
                        "mode 0600) and name it with --key FILE or %s; the departments' "
                        "exports may have a key of their own, --exchange-key FILE or %s",
                        XC_KEY_ENV, XC_EXCHANGE_KEY_ENV);
        print_error(&err);
        xc_key_free(key);
        xc_config_free(cfg);
        return EXIT_FAILED;
    }
    /* The outputs are written beside the output directory and put in its
     * place whole once complete (rundir.h): checked before any data is
     * read. */
    const char *outdir = output ? output : cfg->output ? cfg->output : "xcheck-out";
    xc_rundir *rundir = NULL;
    if (xc_rundir_begin(outdir, &rundir, &err) < 0) {
        print_error(&err);
        xc_key_free(key);
        xc_key_free(xkey);
        xc_config_free(cfg);
        return EXIT_FAILED;
    }
    outdir = xc_rundir_target(rundir);
    xc_run_opts ro = {
        .version = XC_VERSION,
        .output = xc_rundir_path(rundir),
        .as_of = as_of_given ? as_of : cfg->as_of_set ? cfg->as_of : xc_date_today(),
        .profile = profile,
        .rules_dir = rules_dir(),
        .jobs = jobs,
        .memory = memory_given ? memory : cfg->memory_set ? cfg->memory : default_memory(),
        .temp_dir = temp_dir ? temp_dir : cfg->temp_dir,
        .database = database,
        .pushdown = pushdown,
        .run_id = run_id,
        .full_ids = full_ids,
        .visits_by_cadre = (xc_visits_by_cadre)(by_cadre >= 0 ? by_cadre
                                                                : cfg->visits_by_cadre),
        .region = region_digits ? region : cfg->region,
        .region_digits = region_digits ? region_digits : cfg->region_digits,
        .key = matching,
    };
    /* Progress on stderr: a live status line on a terminal, one line per
     * stage and dataset otherwise; nothing with --quiet. */
    xc_progress *display = NULL;
    if (!quiet) {
        const char *term = getenv("TERM");
        bool live = isatty(fileno(stderr)) && !(term && strcmp(term, "dumb") == 0);
        /* Without memory for it, the run goes on without progress. */
        if (xc_progress_new(stderr, live, &display) == XC_OK) {
            ro.progress = xc_progress_dataset;
            ro.tick = xc_progress_tick;
            ro.stage = xc_progress_stage;
            ro.progress_user = display;
        }
    }
    xc_run_result res;
    int rc = xc_run_execute(cfg, &ro, &res, &err);
    if (rc >= 0) {
        if (ro.stage)
            ro.stage(ro.progress_user, "report");
        rc = xc_outputs_write(&res, ro.output, &err);
    }
    if (rc >= 0)
        rc = xc_rundir_commit(rundir, res.run_id, &err);
    else
        xc_rundir_explain(rundir, &err);
    xc_progress_free(display);
    if (rc < 0) {
        print_error(&err);
        xc_rundir_free(rundir);
        xc_run_result_free(&res);
        xc_config_free(cfg);
        xc_key_free(key);
        xc_key_free(xkey);
        return EXIT_FAILED;
    }
    if (!quiet)
        print_summary(&res, outdir);
    int failed = res.rates_failed;
    bool partial = res.incomplete;
    /* Published once the outputs are in place: a failed publication (or
     * diff) leaves them there, and says so. */
    if (rc >= 0 && results) {
        rc = xc_results_publish(results, NULL, cfg->lock_timeout_ms, &res, key, &err);
        if (rc >= 0 && !quiet)
            printf(_("results published: run %s\n"), res.run_id);
        else if (rc < 0)
            outputs_kept(&err, outdir, false);
    }
    if (rc >= 0 && nightly &&
        (rc = show_diff(results, cfg->lock_timeout_ms, res.run_id, outdir, quiet, &err)) < 0)
        outputs_kept(&err, outdir, true);
    xc_rundir_free(rundir);
    xc_run_result_free(&res);
    xc_config_free(cfg);
    xc_key_free(key);
    xc_key_free(xkey);
    if (rc < 0) {
        print_error(&err);
        return EXIT_FAILED;
    }
    if (fflush(stdout) != 0) {
        perror("xcheck: error: writing the output");
        return EXIT_FAILED;
    }
    return partial ? EXIT_PARTIAL : failed ? EXIT_FINDINGS : EXIT_OK;
}
