/*
 * main.c - the xcheck program: command line, messages, exit codes.
 *
 * The only file that prints errors and exits. Exit codes:
 *   0  success
 *   1  the run failed (configuration, input or output error)
 *   2  usage error (unknown command or option)
 *   3  success with findings: a rate over its threshold (`xcheck run`), an
 *      invalid ID number (`xcheck id`)
 */
#include <errno.h>
#include <getopt.h>
#include <iconv.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "xcheck/config.h"
#include "xcheck/idno.h"
#include "xcheck/pgconn.h"
#include "xcheck/pseudonym.h"
#include "xcheck/pseudonymise.h"
#include "xcheck/progress.h"
#include "xcheck/region.h"
#include "xcheck/report.h"
#include "xcheck/results.h"
#include "xcheck/rule.h"
#include "xcheck/run.h"
#include "xcheck/rundir.h"
#include "xcheck/sample.h"
#include "xcheck/text.h"
#include "xcheck/verify.h"
#include "xc_build.h"

enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2, EXIT_FINDINGS = 3, EXIT_PARTIAL = 4 };

/* Messages quote data (a value that would not convert, a path): what could
 * be an ID number is masked, as in every output. */
static void print_error(const xc_err *err)
{
    xc_err m = *err;
    xc_buf b = {0};
    char *fields[] = {m.msg, m.detail, m.hint, m.where, m.field};
    size_t sizes[] = {sizeof m.msg, sizeof m.detail, sizeof m.hint, sizeof m.where,
                      sizeof m.field};
    for (int i = 0; i < 5; i++) {
        b.len = 0;
        xc_mask_ids(&b, fields[i], strlen(fields[i]), false);
        if (!b.failed && b.p)
            snprintf(fields[i], sizes[i], "%s", b.p);
    }
    xc_buf_free(&b);
    err = &m;
    fprintf(stderr, "xcheck: error: %s\n", err->msg[0] ? err->msg : xc_strstatus(err->code));
    if (err->where[0] && !strstr(err->msg, err->where)) {
        if (err->row > 0)
            fprintf(stderr, "DETAIL:  in \"%s\", line %ld%s%s\n", err->where, err->row,
                    err->field[0] ? ", field " : "", err->field);
        else
            fprintf(stderr, "DETAIL:  in \"%s\"\n", err->where);
    }
    if (err->detail[0])
        fprintf(stderr, "DETAIL:  %s\n", err->detail);
    if (err->hint[0])
        fprintf(stderr, "HINT:  %s\n", err->hint);
}

static int usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "xcheck: ");
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry \"xcheck %s%s--help\" for more information.\n", cmd ? cmd : "",
            cmd ? " " : "");
    return EXIT_USAGE;
}

/* A run id as the results database keeps it: 1 to 127 bytes of valid
 * UTF-8 without control characters. Returns NULL, or why not. */
static const char *bad_run_id(const char *id)
{
    size_t n = strlen(id);
    unsigned cp;
    if (n == 0)
        return "is empty";
    if (n > 127)
        return "is longer than 127 bytes";
    if (!xc_utf8_valid(id, n))
        return "is not valid UTF-8";
    if (xc_text_control(id, n, &cp) != (size_t)-1 || strpbrk(id, "\t\n\r"))
        return "holds a control character";
    return NULL;
}

static void help_main(void)
{
    printf("xcheck cross-checks an archive of difficult workers' households against\n"
           "household-registration, social-insurance, property, vehicle and business\n"
           "data, and accounts for every row it reads.\n\n"
           "Usage:\n"
           "  xcheck COMMAND [OPTION]...\n\n"
           "Commands:\n"
           "  run        cross-check the archive against every configured dataset\n"
           "  rules      list the rules, their categories and the profile's parameters\n"
           "  diff       new, resolved and persisting flags against the previous run\n"
           "  id         check, normalise and explain resident ID numbers\n"
           "  sample     draw the households to visit for field verification from a run\n"
           "  verify     estimate error rates from the filled-in outcomes of a sample\n"
           "  key        make a pseudonym key, or show a key's id\n"
           "  pseudonymise  replace an export's ID column by keyed pseudonyms\n"
           "  prune      delete old runs from the results database\n"
           "  help       show this help, or a command's: xcheck help run\n"
           "  version    show the version\n\n"
           "Options:\n"
           "  -h, --help     show this help, then exit\n"
           "  -V, --version  show the version, then exit\n\n"
           "Exit status: 0 success, 1 failure, 2 usage error, 3 findings.\n");
}

static void help_rules(void)
{
    printf("Usage: xcheck rules [OPTION]...\n\n"
           "Lists every rule (id, category, the datasets it needs) and the parameters of\n"
           "the policy profile with their active values; a value the profile does not\n"
           "give is the default its rule family declares, marked (默认 default).\n\n"
           "Options:\n"
           "  -c, --config=FILE    take the profile named in FILE's [run] section\n"
           "  -p, --profile=NAME   a shipped profile (default, yunnan, anhui-city, shandong,\n"
           "                       chengdu) or the path of a .profile file\n"
           "  -h, --help           show this help, then exit\n");
}

static void help_diff(void)
{
    printf("Usage: xcheck diff [OPTION]...\n\n"
           "Compares the flags of a published run with the previous complete run (by\n"
           "as_of): new, resolved and persisting flags, with the days each has been open;\n"
           "the flags of rules one of the two runs did not evaluate, as not comparable;\n"
           "and what differs between the runs (configuration, profile, coverage).\n\n"
           "Options:\n"
           "      --results=DB   the results database (default: [run] results of -c)\n"
           "  -c, --config=FILE  take the results database from FILE\n"
           "      --run-id=ID    the run to look at (default: the last complete one)\n"
           "  -o, --output=FILE  also write the changes as CSV into FILE\n"
           "  -h, --help         show this help, then exit\n\n"
           "Exit status: 0 no new flags, 3 new flags (not comparable ones do not count),\n"
           "1 failure, 2 usage error.\n");
}

static void help_run(void)
{
    printf("Usage: xcheck run [OPTION]...\n\n"
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
           "  -q, --quiet          print nothing but errors\n"
           "  -h, --help           show this help, then exit\n\n"
           "Output in DIR: report.html, report.xlsx, flags.csv, evidence.jsonl, rates.csv,\n"
           "rules.csv, summary.json, households.csv, payments.csv (with payment data),\n"
           "accounting.csv, rejects/<dataset>.csv\n"
           "Exit status: 0 success, 1 failure, 2 usage error, 3 success but a rate (in\n"
           "total) is over its threshold.\n");
}

static void help_id(void)
{
    printf("Usage: xcheck id [OPTION]... [NUMBER]...\n\n"
           "Checks resident ID numbers (GB 11643-1999). With no NUMBER, or with -,\n"
           "reads one number per line from standard input. Prints one line per number,\n"
           "tab-separated: verdict (valid, warning, invalid), reason, normalised form,\n"
           "masked form, birth date, sex, region name.\n\n"
           "Options:\n"
           "      --as-of=DATE  judge birth dates against DATE (default: today)\n"
           "  -h, --help        show this help, then exit\n\n"
           "Exit status: 0 all valid (warnings included), 3 some invalid, 2 usage error.\n");
}

/* ---- xcheck id ---------------------------------------------------------- */

static int id_one(const char *text, size_t len, xc_date as_of)
{
    xc_id id;
    int rc = xc_id_parse(text, len, as_of, &id);
    char masked[40], birth[11] = "-";
    xc_id_mask(id.norm, masked, sizeof masked);
    const char *verdict = "valid", *reason = "ok", *region = "-";
    if (rc < 0) {
        verdict = "invalid";
        reason = xc_id_error_str(id.error);
    } else {
        xc_date_format(id.birth, birth);
        const char *name = xc_region_name(id.region);
        if (!name)
            name = xc_region_name(id.region / 100 * 100);
        if (!name)
            name = xc_region_name(id.region / 10000 * 10000);
        region = name ? name : "-";
        if (id.unknown_county || id.legacy) {
            verdict = "warning";
            reason = id.unknown_county && id.legacy ? "upgraded from 15 digits; unknown county code"
                   : id.legacy ? "upgraded from 15 digits" : "unknown county code";
        }
    }
    printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\n", verdict, reason, id.norm[0] ? id.norm : "-",
           id.norm[0] ? masked : "-", birth, rc < 0 ? "-" : id.sex == 'M' ? "M" : "F", region);
    return rc < 0 ? 1 : 0;
}

static int cmd_id(int argc, char **argv)
{
    static const struct option opts[] = {
        {"as-of", required_argument, NULL, 'a'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    xc_date as_of = xc_date_today();
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'a':
            if (xc_date_parse_iso(optarg, &as_of) < 0)
                return usage_error("id", "--as-of: \"%s\" is not a date (YYYY-MM-DD)", optarg);
            break;
        case 'h':
            help_id();
            return EXIT_OK;
        default:
            return usage_error("id", "%s", "invalid option");
        }
    }
    int invalid = 0;
    bool from_stdin = optind == argc;
    for (int i = optind; i < argc; i++) {
        if (strcmp(argv[i], "-") == 0)
            from_stdin = true;
        else
            invalid += id_one(argv[i], strlen(argv[i]), as_of);
    }
    if (from_stdin) {
        char *line = NULL;
        size_t cap = 0;
        ssize_t n;
        while ((n = getline(&line, &cap, stdin)) >= 0) {
            while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
                n--;
            invalid += id_one(line, (size_t)n, as_of);
        }
        free(line);
    }
    if (fflush(stdout) != 0) {
        perror("xcheck: error: writing the output");
        return EXIT_FAILED;
    }
    return invalid ? EXIT_FINDINGS : EXIT_OK;
}

/* Display columns of UTF-8 text: CJK and full-width characters take two. */
static int display_width(const char *s)
{
    int w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p & 0xC0) == 0x80)
            continue;
        w += *p >= 0xE1 ? 2 : 1;    /* 3- and 4-byte sequences: wide scripts */
    }
    return w;
}

/* Prints s left-aligned (width > 0) or right-aligned (width < 0) in |width|
 * display columns. */
static void put_cell(const char *s, int width)
{
    int pad = abs(width) - display_width(s);
    if (width < 0)
        printf("%*s", pad > 0 ? pad : 0, "");
    fputs(s, stdout);
    if (width > 0)
        printf("%*s", pad > 0 ? pad : 0, "");
}

static void put_count(uint64_t n, int width)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)n);
    put_cell(buf, width);
}

static void print_rates(const xc_run_result *res)
{
    static const int width[] = {18, -10, -10, -10, -12, 10};
    static const char *head[] = {"比率 rate", "分子", "分母", "比率", "阈值", "  结果 result"};
    for (int i = 0; i < 6; i++)
        put_cell(head[i], width[i]);
    putchar('\n');
    for (size_t i = 0; i < res->n_rates; i++) {
        const xc_rate_row *r = &res->rates[i];
        if (r->group != XC_GROUP_TOTAL)
            continue;
        char buf[64];
        put_cell(xc_rate_label_zh(r->rate), width[0]);
        if (!r->evaluated) {
            fputs("  未评估 not evaluated\n", stdout);
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
        printf("  %s\n", !r->denominator ? "无数据 none" : !r->pass ? "超标 FAIL"
               : !r->complete ? "数据不完整 INCOMPLETE" : "达标 pass");
    }
}

static void print_summary(const xc_run_result *res, const char *outdir)
{
    char asof[11];
    printf("\n核查日期 as_of: %s    政策 profile: %s    在档户数 households in archive: %zu"
           "    人数 persons: %zu\n\n", xc_date_format(res->as_of, asof), res->profile.name,
           res->households_in_archive, res->persons);
    if (res->incomplete) {
        printf("!! 数据不完整 INCOMPLETE: 比率只基于本次看到的数据，不能据此判定达标 "
               "the rates rest on partial data\n");
        for (int i = 0; i < res->n_warnings; i++)
            printf("!! %s\n", res->warnings[i].text);
        putchar('\n');
    }
    print_rates(res);

    printf("\n%s\n", "规则 rule                类别 category        疑点 flags");
    for (size_t i = 0; i < res->n_rules; i++) {
        const xc_rule_result *r = &res->rules[i];
        put_cell(r->rule->id, 24);
        put_cell(r->rule->split ? "错评/漏退" : xc_category_label_zh(r->rule->category), 20);
        if (r->evaluated && r->not_covered)
            printf("%5zu  %s（%zu项无法判断 not judged，其中%zu项社保未覆盖所需月份）\n", r->flags,
                   r->rule->title_zh, r->not_judged, r->not_covered);
        else if (r->evaluated && r->not_judged)
            printf("%5zu  %s（%zu项无法判断 not judged: 缺少低保标准、数据被拒等）\n", r->flags,
                   r->rule->title_zh, r->not_judged);
        else if (r->evaluated)
            printf("%5zu  %s\n", r->flags, r->rule->title_zh);
        else
            printf("  未评估 not evaluated: %s\n", r->why_not);
    }

    if (res->payments_evaluated) {
        printf("\n%s\n", "帮扶资金 program     笔数 payments       金额 amount     存疑 flagged"
                           "     存疑金额 flagged amount");
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
    static const char *head[] = {"数据集 dataset", "", "读取 read", "匹配 matched",
                                  "未匹配 unmatched", "拒绝 rejected"};
    static const int width[] = {18, 14, -12, -14, -18, -16};
    for (int i = 0; i < 6; i++)
        put_cell(head[i], width[i]);
    putchar('\n');
    uint64_t legacy = 0, invalid = 0, rejected = 0;
    for (int d = 0; d < XC_DS_COUNT; d++) {
        const xc_dataset_def *ds = xc_dataset((xc_ds_id)d);
        const xc_dataset_result *r = &res->ds[d];
        put_cell(ds->name, width[0]);
        put_cell(ds->label_zh, width[1]);
        if (!r->evaluated) {
            fputs("  未配置 not configured\n", stdout);
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
    printf("\n15位身份证号已升级 legacy IDs: %llu    档案中无效身份证号 invalid archive IDs: %llu"
           "    拒绝行 rejected rows: %llu\n", (unsigned long long)legacy,
           (unsigned long long)invalid, (unsigned long long)rejected);
    printf("用时 time: 档案 archive %.2f s, 扫描 scan %.2f s (%d 路 jobs), 评估 evaluate %.2f s, "
           "报告 report %.2f s, 合计 total %.2f s\n", res->seconds_archive, res->seconds_scan,
           res->jobs, res->seconds_evaluate, res->seconds_report, res->seconds);
    printf("输出 output: %s/ (report.html, report.xlsx, flags.csv, evidence.jsonl, rates.csv, "
           "rules.csv, summary.json, households.csv, %saccounting.csv, rejects/)\n", outdir,
           res->payments_evaluated ? "payments.csv, " : "");
}

/* Where the shipped profiles are: XCHECK_RULES_DIR, else those installed
 * beside an installed program (datadir/xcheck/rules, found from the
 * program's own place), else the source tree's rules/ (a program run from
 * its build directory). */
static const char *rules_dir(void)
{
    const char *dir = getenv("XCHECK_RULES_DIR");
    if (dir && *dir)
        return dir;
    static char installed[PATH_MAX];
    struct stat st;
#ifdef XC_INSTALLED_RULES_ABSOLUTE
    snprintf(installed, sizeof installed, "%s", XC_INSTALLED_RULES);
#else
    char exe[PATH_MAX - sizeof XC_INSTALLED_RULES - 1];  /* room for the rest */
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char *slash = n > 0 ? (exe[n] = '\0', strrchr(exe, '/')) : NULL;
    if (!slash)
        return XC_RULES_DIR;
    *slash = '\0';
    snprintf(installed, sizeof installed, "%s/%s", exe, XC_INSTALLED_RULES);
#endif
    if (stat(installed, &st) == 0 && S_ISDIR(st.st_mode))
        return installed;
    return XC_RULES_DIR;
}

/* A connection string given on the command line is visible to every user
 * of the machine (ps, /proc): a password in it deserves a warning. */
static void warn_password(const char *opt, const char *conninfo)
{
    if (xc_pg_conninfo_has_password(conninfo))
        fprintf(stderr, "xcheck: warning: %s holds a password, which other users of this "
                "machine can see in the process list\nHINT:  keep passwords in ~/.pgpass "
                "(or the file PGPASSFILE names) instead\n", opt);
}

/* The key named by --key, else by $XCHECK_KEY_FILE; NULL with *ret NULL
 * when neither is given. Returns XC_OK or a negative code with err. */
static int load_key(const char *path, xc_key **ret, xc_err *err)
{
    *ret = NULL;
    if (!path || !*path)
        path = getenv(XC_KEY_ENV);
    if (!path || !*path)
        return XC_OK;
    return xc_key_load(path, ret, err);
}

/* The lock_timeout of the results sessions: [run] lock_timeout of -c, else
 * the default. */
static long lock_timeout(const xc_config *cfg)
{
    return cfg ? cfg->lock_timeout_ms : XC_LOCK_TIMEOUT_DEFAULT_MS;
}

/* The results database of diff and prune: --results, else [run] results of
 * -c CONFIG (*ret_cfg, which the caller frees, holds it then). Returns
 * EXIT_OK, or the exit code after saying what is wrong. */
static int results_database(const char *cmd, const char *config_path, const char **results,
                            xc_config **ret_cfg)
{
    xc_err err;
    xc_err_clear(&err);
    *ret_cfg = NULL;
    if (config_path && xc_config_load(config_path, ret_cfg, &err) < 0) {
        print_error(&err);
        return EXIT_FAILED;
    }
    if (!*results && *ret_cfg)
        *results = (*ret_cfg)->results;
    if (!*results) {
        xc_config_free(*ret_cfg);
        *ret_cfg = NULL;
        return usage_error(cmd, "%s", "no results database: give --results or -c with "
                           "[run] results");
    }
    warn_password("--results", *results);
    return EXIT_OK;
}

/* ---- xcheck key --------------------------------------------------------- */

static void help_key(void)
{
    printf("Usage: xcheck key new FILE\n"
           "       xcheck key id [FILE]\n\n"
           "new: writes a new random 256-bit pseudonym key into FILE (mode 0600; an\n"
           "existing file is never replaced) and prints its key id.\n"
           "id: prints the key id of FILE (default: $XCHECK_KEY_FILE).\n\n"
           "The key turns ID numbers into pseudonyms (HMAC-SM3) in the results database\n"
           "and in pseudonymised exports. Keep it apart from the results, readable by\n"
           "the job's user only; make a new one for each audit exercise. The key is never\n"
           "given on the command line or in the configuration: only its file's name is.\n"
           "Exit status: 0 success, 1 failure, 2 usage error.\n");
}

static int cmd_key(int argc, char **argv)
{
    if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        help_key();
        return EXIT_OK;
    }
    xc_err err;
    xc_err_clear(&err);
    char id[XC_KEY_ID_LEN + 1];
    if (argc == 3 && strcmp(argv[1], "new") == 0) {
        xc_key *k = NULL;
        if (xc_key_generate(argv[2], &err) < 0 || xc_key_load(argv[2], &k, &err) < 0) {
            print_error(&err);
            return EXIT_FAILED;
        }
        printf("新密钥已写入 new key written: %s\n密钥标识 key id: %s\n", argv[2],
               xc_key_id(k, id));
        xc_key_free(k);
        return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAILED;
    }
    if ((argc == 2 || argc == 3) && strcmp(argv[1], "id") == 0) {
        xc_key *k = NULL;
        if (load_key(argc == 3 ? argv[2] : NULL, &k, &err) < 0) {
            print_error(&err);
            return EXIT_FAILED;
        }
        if (!k)
            return usage_error("key", "%s", "no key file: name one, or set " XC_KEY_ENV);
        printf("%s\n", xc_key_id(k, id));
        xc_key_free(k);
        return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAILED;
    }
    return usage_error("key", "%s", "expected: key new FILE, or key id [FILE]");
}

/* ---- xcheck pseudonymise ------------------------------------------------ */

static void help_pseudonymise(void)
{
    printf("Usage: xcheck pseudonymise --column=NAME [OPTION]... INPUT OUTPUT\n\n"
           "Copies the CSV export INPUT (gzip or plain) to OUTPUT with its ID column\n"
           "replaced by keyed pseudonyms (HMAC-SM3 of the normalised number, 32 hex\n"
           "digits), for a department that will not hand out ID numbers. Bind OUTPUT\n"
           "with id_form = pseudonym; xcheck matches it under the same key. Every other\n"
           "field is copied byte for byte. A number that cannot be normalised is never\n"
           "written: its cell is left empty and counted; a record with another number\n"
           "of fields than the header is left out and counted.\n\n"
           "Options:\n"
           "      --column=NAME    an ID column (with --no-header: its number from 1);\n"
           "                       up to 8, each given with its own --column\n"
           "      --key=FILE       the pseudonym key (default: $XCHECK_KEY_FILE)\n"
           "      --delimiter=C    field delimiter: one character, or tab (default ,)\n"
           "      --quote=C        quote character, or none (default \")\n"
           "      --no-header      the first line is data\n"
           "      --encoding=E     utf-8 (default) or gb18030: the file is decoded as the\n"
           "                       run decodes it, and OUTPUT is written in UTF-8\n"
           "      --gzip           write OUTPUT gzip-compressed (default: when it ends .gz)\n"
           "  -h, --help           show this help, then exit\n"
           "Exit status: 0 success, 1 failure, 2 usage error, 3 some numbers or records\n"
           "could not be pseudonymised, or another column holds what looks like an ID\n"
           "number (counted on stderr).\n");
}

static int cmd_pseudonymise(int argc, char **argv)
{
    static const struct option opts[] = {
        {"column", required_argument, NULL, 'C'},
        {"key", required_argument, NULL, 'K'},
        {"delimiter", required_argument, NULL, 'D'},
        {"quote", required_argument, NULL, 'Q'},
        {"no-header", no_argument, NULL, 'H'},
        {"gzip", no_argument, NULL, 'Z'},
        {"encoding", required_argument, NULL, 'E'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    xc_pseudonymise_opts po = {.delimiter = ',', .quote = '"', .header = true};
    const char *key_path = NULL;
    bool gzip = false, gb = false;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'C':
            if (po.n_columns == XC_PSEUDONYMISE_COLUMNS)
                return usage_error("pseudonymise", "at most %d --column options",
                                   XC_PSEUDONYMISE_COLUMNS);
            po.column[po.n_columns++] = optarg;
            break;
        case 'K': key_path = optarg; break;
        case 'D':
            if (strcmp(optarg, "tab") == 0 || strcmp(optarg, "\\t") == 0)
                po.delimiter = '\t';
            else if (strcmp(optarg, "pipe") == 0)
                po.delimiter = '|';
            else if (strcmp(optarg, "semicolon") == 0)
                po.delimiter = ';';
            else if (strcmp(optarg, "comma") == 0)
                po.delimiter = ',';
            else if (strlen(optarg) == 1 && optarg[0] != '"' && optarg[0] != '\n')
                po.delimiter = optarg[0];
            else
                return usage_error("pseudonymise", "--delimiter: \"%s\" is not one character "
                                   "or tab", optarg);
            break;
        case 'Q':
            if (strcmp(optarg, "none") == 0)
                po.quote = 0;
            else if (strlen(optarg) == 1 && optarg[0] != '\n')
                po.quote = optarg[0];
            else
                return usage_error("pseudonymise", "--quote: \"%s\" is not one character or "
                                   "none", optarg);
            break;
        case 'H': po.header = false; break;
        case 'Z': gzip = true; break;
        case 'E':
            if (strcasecmp(optarg, "gb18030") == 0 || strcasecmp(optarg, "gbk") == 0)
                gb = true;
            else if (strcasecmp(optarg, "utf-8") != 0 && strcasecmp(optarg, "utf8") != 0)
                return usage_error("pseudonymise", "--encoding: \"%s\" is not utf-8 or "
                                   "gb18030", optarg);
            break;
        case 'h':
            help_pseudonymise();
            return EXIT_OK;
        default:
            return usage_error("pseudonymise", "%s", "invalid option");
        }
    }
    if (!po.n_columns)
        return usage_error("pseudonymise", "%s", "--column NAME is required");
    if (po.quote && po.quote == po.delimiter)
        return usage_error("pseudonymise", "%s", "the quote and the delimiter are the same");
    if (argc - optind != 2)
        return usage_error("pseudonymise", "%s", "expected INPUT and OUTPUT");
    po.gb18030 = gb;
    const char *in = argv[optind], *out = argv[optind + 1];
    size_t n = strlen(out);
    po.gzip = gzip || (n > 3 && strcmp(out + n - 3, ".gz") == 0);
    xc_err err;
    xc_err_clear(&err);
    xc_key *key = NULL;
    if (load_key(key_path, &key, &err) < 0) {
        print_error(&err);
        return EXIT_FAILED;
    }
    if (!key)
        return usage_error("pseudonymise", "%s", "no key: give --key FILE or set " XC_KEY_ENV);
    xc_pseudonymise_stats st;
    int rc = xc_pseudonymise_file(in, out, &po, key, &st, &err);
    xc_key_free(key);
    if (rc < 0) {
        print_error(&err);
        return EXIT_FAILED;
    }
    fprintf(stderr, "xcheck: %s: %llu 行 records, %llu 已写 written, %llu 已转换 pseudonymised "
            "(%llu 15位升级 upgraded from 15 digits), %llu 空 empty, %llu 无效 invalid "
            "(left empty), %llu 字段数不符 with another number of fields (left out)\n", out,
            (unsigned long long)st.records, (unsigned long long)st.written,
            (unsigned long long)st.pseudonymised, (unsigned long long)st.legacy,
            (unsigned long long)st.empty, (unsigned long long)st.invalid,
            (unsigned long long)st.bad_records);
    if (st.first_invalid_line)
        fprintf(stderr, "xcheck: warning: the first invalid ID number is on line %ld of %s\n",
                st.first_invalid_line, in);
    if (st.first_bad_line)
        fprintf(stderr, "xcheck: warning: the first record with another number of fields is "
                "on line %ld of %s\n", st.first_bad_line, in);
    if (st.other_ids)
        fprintf(stderr, "xcheck: warning: %llu records hold what looks like an ID number (or a "
                "card number) in another column, copied as it is, the first on line %ld of "
                "%s\nHINT:  name that column with --column too, or leave it out of the export\n",
                (unsigned long long)st.other_ids, st.first_other_line, in);
    return st.invalid || st.bad_records || st.other_ids ? EXIT_FINDINGS : EXIT_OK;
}

/* ---- xcheck prune ------------------------------------------------------- */

static void help_prune(void)
{
    printf("Usage: xcheck prune --results=DB --older-than=DAYS\n\n"
           "Deletes from the results database (schema xcheck) every run published more\n"
           "than DAYS days ago, with its flags and rates, in one transaction.\n\n"
           "Options:\n"
           "      --results=DB       conninfo or postgresql:// URI of the results database\n"
           "  -c, --config=FILE      take DB from [run] results of FILE\n"
           "      --older-than=DAYS  publication age in days of the runs to delete\n"
           "  -h, --help             show this help, then exit\n"
           "Exit status: 0 success, 1 failure, 2 usage error.\n");
}

static int cmd_prune(int argc, char **argv)
{
    static const struct option opts[] = {
        {"results", required_argument, NULL, 'B'},
        {"config", required_argument, NULL, 'c'},
        {"older-than", required_argument, NULL, 'O'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    const char *results = NULL, *config_path = NULL;
    long days = -1;
    int c;
    while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
        switch (c) {
        case 'B': results = optarg; break;
        case 'c': config_path = optarg; break;
        case 'O': {
            char *end;
            errno = 0;
            days = strtol(optarg, &end, 10);
            if (errno || end == optarg || *end || days < 0 || days > 100000)
                return usage_error("prune", "--older-than: \"%s\" is not a number of days "
                                   "from 0 to 100000", optarg);
            break;
        }
        case 'h':
            help_prune();
            return EXIT_OK;
        default:
            return usage_error("prune", "%s", "invalid option");
        }
    }
    if (optind < argc)
        return usage_error("prune", "unexpected argument \"%s\"", argv[optind]);
    if (days < 0)
        return usage_error("prune", "%s", "--older-than DAYS is required");
    xc_err err;
    xc_err_clear(&err);
    xc_config *cfg = NULL;
    int code = results_database("prune", config_path, &results, &cfg);
    if (code != EXIT_OK)
        return code;
    long n = 0;
    int rc = xc_results_prune(results, NULL, lock_timeout(cfg), (int)days, &n, &err);
    xc_config_free(cfg);
    if (rc < 0) {
        print_error(&err);
        return EXIT_FAILED;
    }
    printf("已删除 deleted: %ld 次运行 runs published more than %ld days ago\n", n, days);
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAILED;
}

/* ---- xcheck diff -------------------------------------------------------- */

/* Prints the diff of run_id against the previous run (and writes it as CSV
 * to csv_dir/diff.csv, or to the file csv_path). Returns the number of new
 * flags, or a negative code. */
static int diff_to(const char *results, long lock_ms, const char *run_id, const char *csv_path,
                   bool quiet, xc_err *err)
{
    xc_diff *d = NULL;
    int rc = xc_results_diff(results, NULL, lock_ms, run_id, &d, err);
    if (rc < 0)
        return rc;
    xc_buf b = {0};
    if (!quiet) {
        xc_results_diff_format(d, &b);
        char *text = xc_buf_take(&b);
        if (text)
            fputs(text, stdout);
        free(text);
    }
    if (csv_path) {
        xc_results_diff_csv(d, &b);
        char *text = xc_buf_take(&b);
        xc_output out;
        rc = text ? xc_output_open_file(&out, csv_path, err)
                  : xc_err_set(err, XC_ENOMEM, "out of memory");
        if (rc >= 0) {
            fputs(text, out.f);
            rc = xc_output_commit(&out, err);
        }
        free(text);
        if (rc < 0) {
            xc_results_diff_free(d);
            return rc;
        }
    }
    int added = (int)d->n_added;
    xc_results_diff_free(d);
    return added;
}

static int show_diff(const char *results, long lock_ms, const char *run_id, const char *outdir,
                     bool quiet, xc_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/diff.csv", outdir);
    int rc = diff_to(results, lock_ms, run_id, path, quiet, err);
    return rc < 0 ? rc : XC_OK;
}

static int cmd_diff(int argc, char **argv)
{
    static const struct option opts[] = {
        {"results", required_argument, NULL, 'B'},
        {"config", required_argument, NULL, 'c'},
        {"run-id", required_argument, NULL, 'R'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    const char *results = NULL, *config_path = NULL, *run_id = NULL, *output = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "c:o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'B': results = optarg; break;
        case 'c': config_path = optarg; break;
        case 'R':
            /* 2026-12-02: a long id was cut, and two runs became one */
            if (bad_run_id(optarg))
                return usage_error("diff", "the --run-id given %s", bad_run_id(optarg));
            run_id = optarg;
            break;
        case 'o': output = optarg; break;
        case 'h':
            help_diff();
            return EXIT_OK;
        default:
            return usage_error("diff", "%s", "invalid option");
        }
    }
    if (optind < argc)
        return usage_error("diff", "unexpected argument \"%s\"", argv[optind]);
    xc_err err;
    xc_err_clear(&err);
    xc_config *cfg = NULL;
    int code = results_database("diff", config_path, &results, &cfg);
    if (code != EXIT_OK)
        return code;
    int rc = diff_to(results, lock_timeout(cfg), run_id, output, false, &err);
    xc_config_free(cfg);
    if (rc < 0) {
        print_error(&err);
        return EXIT_FAILED;
    }
    return fflush(stdout) != 0 ? EXIT_FAILED : rc > 0 ? EXIT_FINDINGS : EXIT_OK;
}

/* ---- xcheck rules ------------------------------------------------------- */

static int cmd_rules(int argc, char **argv)
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
            return usage_error("rules", "%s", "invalid option");
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
    printf("规则 rules\n");
    for (size_t i = 0; i < n; i++) {
        const xc_rule *r = rules[i];
        char needs[128] = "";
        for (int d = 0; d < XC_DS_COUNT; d++)
            if (r->needs & XC_NEEDS(d))
                snprintf(needs + strlen(needs), sizeof needs - strlen(needs), "%s%s",
                         needs[0] ? "," : "", xc_dataset((xc_ds_id)d)->name);
        printf("  %-20s %-28s %-9s %-30s ", r->id, r->split ? "mis_enrollment|missed_exit"
               : xc_category_name(r->category), r->family, needs[0] ? needs : "(archive)");
        printf("%s\n", r->title_zh);
    }
    printf("\n政策参数 parameters of profile %s (%s)\n", pf.name, pf.path);
    const char *sec, *key;
    char value[256];
    for (int i = 0; xc_profile_param(&pf, i, &sec, &key, value, sizeof value); i++)
        printf("  [%s] %-24s = %s%s\n", sec, key, value,
               xc_profile_param_is_default(&pf, i, sizeof value) ? "  (默认 default)" : "");
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAILED;
}

/* ---- xcheck run --------------------------------------------------------- */

/* Adds to err, met after the run's outputs were put in place, that they
 * are there, and whether the run was published. */
static void outputs_kept(xc_err *err, const char *outdir, bool published)
{
    char note[600];
    snprintf(note, sizeof note, "the run's outputs are in place in \"%s\"; the run %s",
             outdir, published ? "was published" : "was not published");
    if (!err->detail[0])
        xc_err_detail(err, "%s", note);
    else if (strlen(err->detail) + strlen(note) + 3 < sizeof err->detail)
        strcat(strcat(err->detail, "; "), note);
    else if (!err->hint[0])
        xc_err_hint(err, "%s", note);
}

static int cmd_run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"config", required_argument, NULL, 'c'},
        {"output", required_argument, NULL, 'o'},
        {"as-of", required_argument, NULL, 'a'},
        {"profile", required_argument, NULL, 'p'},
        {"jobs", required_argument, NULL, 'j'},
        {"database", required_argument, NULL, 'd'},
        {"pushdown", required_argument, NULL, 'P'},
        {"run-id", required_argument, NULL, 'R'},
        {"results", required_argument, NULL, 'B'},
        {"nightly", no_argument, NULL, 'N'},
        {"full-ids", no_argument, NULL, 'F'},
        {"key", required_argument, NULL, 'K'},
        {"exchange-key", required_argument, NULL, 'X'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    const char *config_path = NULL, *output = NULL, *profile = NULL, *database = NULL;
    const char *run_id = NULL, *results = NULL, *key_path = NULL, *exchange_path = NULL;
    bool quiet = false, as_of_given = false, nightly = false, full_ids = false;
    xc_date as_of = 0;
    int jobs = 0, pushdown = -1, c;
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
            return usage_error("run", "%s", "invalid option");
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
            fprintf(stderr, "xcheck: no --config given: running the bundled demo (%s)\n",
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
    if (!results && !demo)
        results = cfg->results;
    if (nightly && !results) {
        xc_config_free(cfg);
        return usage_error("run", "%s", "--nightly needs a results database: give --results "
                           "or [run] results");
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
                        "mode 0600) and name it with --key FILE or " XC_KEY_ENV
                        "; the departments' exports may have a key of their own, "
                        "--exchange-key FILE or " XC_EXCHANGE_KEY_ENV);
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
        .database = database,
        .pushdown = pushdown,
        .run_id = run_id,
        .full_ids = full_ids,
        .key = matching,
    };
    /* Progress on stderr: a live status line on a terminal, one line per
     * stage and dataset otherwise; nothing with --quiet. */
    xc_progress *display = NULL;
    if (!quiet) {
        const char *term = getenv("TERM");
        bool live = isatty(fileno(stderr)) && !(term && strcmp(term, "dumb") == 0);
        if ((display = xc_progress_new(stderr, live))) {
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
            printf("结果已发布 results published: run %s\n", res.run_id);
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

/* ---- xcheck sample ------------------------------------------------------ */

static void help_sample(void)
{
    printf("Usage: xcheck sample [OPTION]... RUNDIR\n\n"
           "Draws the households to visit for field verification (入户核查) from a run's\n"
           "output directory (its households.csv, flags.csv and summary.json).\n"
           "Households in the archive on as_of, and households that had exited by then,\n"
           "are stratified by county x 在档/已退档 x 有疑点/无疑点 (a flag of 错评, 漏退,\n"
           "错退 or 返困); a stratum smaller than its size is taken whole. The same seed\n"
           "gives the same sample.\n\n"
           "Options:\n"
           "  -o, --output=DIR   where to write (default: RUNDIR)\n"
           "      --seed=N       the random seed, 0 to 2^64-1 (default: %u); choose it\n"
           "                     in the open, e.g. before witnesses\n"
           "      --size=N       N households per stratum\n"
           "      --share=P      a share of each stratum, 0 < P <= 1 (0.05 or 5%%) ...\n"
           "      --min=N        ... but at least N per stratum (default: 5)\n"
           "                     default: --share 0.05 --min 5\n"
           "  -h, --help         show this help, then exit\n\n"
           "Output in DIR: sample.csv and sample.xlsx (the households to visit, with empty\n"
           "columns 核查结果 (属实/不属实), 核查日期, 核查人, 备注), sample-strata.csv\n"
           "(N_h and n_h of every stratum, the seed). Fill in 核查结果 and give the file\n"
           "to xcheck verify.\n"
           "Exit status: 0 success, 1 failure, 2 usage error.\n", XC_SAMPLE_SEED);
}

static int parse_count(const char *cmd, const char *opt, const char *arg, size_t min,
                       size_t *ret)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(arg, &end, 10);
    if (!*arg || *end || errno || arg[0] == '-' || v < min)
        return usage_error(cmd, "%s: \"%s\" is not a whole number of at least %zu", opt, arg,
                           min);
    *ret = (size_t)v;
    return EXIT_OK;
}

static int parse_share(const char *arg, double *ret)
{
    char *end;
    double v = strtod(arg, &end);
    if (end != arg && *end == '%' && !end[1]) {
        v /= 100;
        end++;
    }
    if (end == arg || *end || !(v > 0 && v <= 1))
        return usage_error("sample", "--share: \"%s\" is not a share above 0 and at most 1 "
                           "(0.05 or 5%%)", arg);
    *ret = v;
    return EXIT_OK;
}

static void print_sample(const xc_frame *f, const xc_sample *s, const char *outdir)
{
    printf("抽样 sample: %zu 层 strata, %zu / %zu 户 households drawn, 随机种子 seed %llu\n",
           s->n_strata, s->n_picked, f->n, (unsigned long long)s->opts.seed);
    if (f->left_out)
        printf("未纳入 left out: %zu 户既不在档也未退档 (cancelled, or enrolled after as_of)\n",
               f->left_out);
    printf("\n");
    static const int width[] = {30, -10, -10};
    put_cell("层 stratum", width[0]);
    put_cell("总户数 N_h", width[1]);
    put_cell("样本 n_h", width[2]);
    putchar('\n');
    for (size_t i = 0; i < s->n_strata; i++) {
        put_cell(s->strata[i].code, width[0]);
        put_count(s->strata[i].population, width[1]);
        put_count(s->strata[i].size, width[2]);
        putchar('\n');
    }
    printf("\n输出 output: %s/ (sample.csv, sample.xlsx, sample-strata.csv)\n", outdir);
}

static int cmd_sample(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"seed", required_argument, NULL, 'S'},
        {"size", required_argument, NULL, 'n'},
        {"share", required_argument, NULL, 'P'},
        {"min", required_argument, NULL, 'm'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    xc_sample_opts so = {.seed = XC_SAMPLE_SEED, .share = 0.05, .min = 5};
    const char *output = NULL;
    bool size_given = false, share_given = false, min_given = false;
    int c, rc = EXIT_OK;
    while (rc == EXIT_OK && (c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        size_t seed;
        switch (c) {
        case 'o': output = optarg; break;
        case 'S':
            if ((rc = parse_count("sample", "--seed", optarg, 0, &seed)) == EXIT_OK)
                so.seed = seed;
            break;
        case 'n': rc = parse_count("sample", "--size", optarg, 1, &so.size); size_given = true; break;
        case 'P': rc = parse_share(optarg, &so.share); share_given = true; break;
        case 'm': rc = parse_count("sample", "--min", optarg, 0, &so.min); min_given = true; break;
        case 'h':
            help_sample();
            return EXIT_OK;
        default:
            return usage_error("sample", "%s", "invalid option");
        }
    }
    if (rc != EXIT_OK)
        return rc;
    if (size_given && (share_given || min_given))
        return usage_error("sample", "%s", "--size cannot be combined with --share or --min");
    if (optind + 1 != argc)
        return usage_error("sample", "%s", optind < argc ? "one RUNDIR only"
                           : "no RUNDIR: give the output directory of a run");
    const char *rundir = argv[optind];
    xc_err err;
    xc_err_clear(&err);
    xc_frame f;
    xc_sample s = {0};
    int xrc = xc_frame_load(rundir, &f, &err);
    if (xrc >= 0)
        xrc = xc_sample_draw(&f, &so, &s, &err);
    if (xrc >= 0)
        xrc = xc_sample_write(&f, &s, rundir, output ? output : rundir, &err);
    if (xrc >= 0)
        print_sample(&f, &s, output ? output : rundir);
    xc_sample_free(&s);
    xc_frame_free(&f);
    if (xrc < 0) {
        print_error(&err);
        return EXIT_FAILED;
    }
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAILED;
}

/* ---- xcheck verify ------------------------------------------------------ */

static void help_verify(void)
{
    printf("Usage: xcheck verify [OPTION]... SAMPLEFILE\n\n"
           "Reads the outcomes of field verification back from the sample that xcheck\n"
           "sample wrote, with its column 核查结果 filled in: 属实 (the visit found the\n"
           "household's problem: for a flagged household its flags are right, for an\n"
           "unflagged one the checks missed it), 不属实 (no problem found), or empty (not\n"
           "yet verified: counted, left out of the estimates). SAMPLEFILE is sample.csv as\n"
           "a spreadsheet saves it (UTF-8 with or without BOM, GB18030, UTF-16) or the\n"
           "filled-in sample.xlsx itself.\n\n"
           "Prints, with 95%% Wilson intervals: per stratum the confirmed share and the\n"
           "households it projects to; the share of flagged households whose flags are\n"
           "right; the problem households among the unflagged; the estimated error rate\n"
           "of households in the archive, of exited households and overall (stratified\n"
           "estimate, Wilson interval at the effective sample size); the confirmed share\n"
           "per rule.\n\n"
           "Options:\n"
           "      --run=RUNDIR   check the sample against the run it was drawn from (every\n"
           "                     stratum's households and every household's stratum)\n"
           "  -o, --output=FILE  write the estimates as CSV to FILE (default: verify.csv\n"
           "                     beside SAMPLEFILE)\n"
           "  -h, --help         show this help, then exit\n\n"
           "Exit status: 0 success, 1 failure (a value that is not allowed, with its file,\n"
           "line and column), 2 usage error.\n");
}

static void put_pct(double p, int width)
{
    char buf[32];
    snprintf(buf, sizeof buf, isnan(p) ? "-" : "%.1f%%", 100 * p);
    put_cell(buf, width);
}

static void put_interval(double lo, double hi, double scale, int width)
{
    char buf[64];
    if (isnan(lo))
        snprintf(buf, sizeof buf, "-");
    else if (scale == 100)
        snprintf(buf, sizeof buf, "[%.1f%%, %.1f%%]", 100 * lo, 100 * hi);
    else
        snprintf(buf, sizeof buf, "[%.1f, %.1f]", lo, hi);
    put_cell(buf, width);
}

static void print_estimate_cells(const xc_estimate *e)
{
    put_pct(e->p, -9);
    printf("  ");
    put_interval(e->lo, e->hi, 100, 18);
    char buf[32];
    snprintf(buf, sizeof buf, isnan(e->projected) ? "-" : "%.1f", e->projected);
    put_cell(buf, -9);
    printf("  ");
    put_interval(e->projected_lo, e->projected_hi, 1, 1);
}

static void put_heads(const char *const *head, const int *width, int n)
{
    for (int i = 0; i < n; i++)
        put_cell(head[i], width[i]);
    putchar('\n');
}

static void print_verify_strata(const xc_verify *v)
{
    static const char *const head[] = {"分层 stratum", "N_h", "n_h", "已核查", "属实", "未核查",
                                       "属实率", "  95% 区间", "推算户数", "  (区间)"};
    static const int width[] = {30, -7, -7, -8, -7, -8, -9, 20, -9, 1};
    putchar('\n');
    put_heads(head, width, 10);
    for (size_t h = 0; h < v->n_strata; h++) {
        const xc_vstratum *s = &v->strata[h];
        put_cell(s->code, width[0]);
        put_count(s->population, width[1]);
        put_count(s->size, width[2]);
        put_count(s->confirmed + s->not_confirmed, width[3]);
        put_count(s->confirmed, width[4]);
        put_count(s->unverified + (s->size - s->rows), width[5]);
        print_estimate_cells(&s->est);
        putchar('\n');
    }
}

static void print_verify_groups(const xc_verify *v)
{
    static const char *const head[] = {"估计 estimate (分层 stratified)", "总户数", "已核查",
                                       "属实", "估计值", "  95% 区间", "推算户数", "  (区间)"};
    static const int width[] = {36, -8, -8, -7, -9, 20, -9, 1};
    putchar('\n');
    put_heads(head, width, 8);
    for (int g = 0; g < XC_VG_COUNT; g++) {
        const xc_estimate *e = &v->groups[g];
        put_cell(xc_verify_group_zh(g), width[0]);
        put_count(e->population, width[1]);
        put_count(e->verified, width[2]);
        put_count(e->confirmed, width[3]);
        print_estimate_cells(e);
        if (e->estimated && e->covered < e->population)
            printf("  (仅含已核查的层 only strata with outcomes: %zu / %zu 户)", e->covered,
                   e->population);
        putchar('\n');
    }
}

static void print_verify_rules(const xc_verify *v)
{
    static const char *const head[] = {"规则 rule", "已核查", "属实", "属实率", "  95% 区间"};
    static const int width[] = {24, -8, -7, -9, 1};
    putchar('\n');
    put_heads(head, width, 5);
    for (size_t i = 0; i < v->n_rules; i++) {
        const xc_vrule *r = &v->rules[i];
        put_cell(r->id, width[0]);
        put_count(r->verified, width[1]);
        put_count(r->confirmed, width[2]);
        put_pct(r->p, width[3]);
        printf("  ");
        put_interval(r->lo, r->hi, 100, width[4]);
        putchar('\n');
    }
}

static void print_verify(const xc_verify *v, const char *csv_path)
{
    printf("核查结果 outcomes: %s (%s)\n", v->path, v->encoding);
    printf("样本 sampled: %zu 户    已核查 verified: %zu    属实 confirmed: %zu    "
           "未核查 not yet verified: %zu    缺行 missing rows: %zu\n", v->n_rows + v->missing,
           v->verified, v->confirmed, v->unverified, v->missing);
    if (v->unverified + v->missing)
        printf("注 note: %zu 户尚未核查，未计入估计 (not yet verified: left out of the "
               "estimates)\n", v->unverified + v->missing);
    print_verify_strata(v);
    print_verify_groups(v);
    print_verify_rules(v);
    printf("\n方法 method: 属实率 = 属实/已核查; 区间为 95%% Wilson 区间; 分层估计按各层总户数加权,"
           " 有效样本量 = p(1-p)/方差 (含有限总体校正)\n");
    printf("输出 output: %s\n", csv_path);
}

static int cmd_verify(int argc, char **argv)
{
    static const struct option opts[] = {
        {"run", required_argument, NULL, 'r'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    const char *rundir = NULL, *output = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'r': rundir = optarg; break;
        case 'o': output = optarg; break;
        case 'h':
            help_verify();
            return EXIT_OK;
        default:
            return usage_error("verify", "%s", "invalid option");
        }
    }
    if (optind + 1 != argc)
        return usage_error("verify", "%s", optind < argc ? "one SAMPLEFILE only"
                           : "no SAMPLEFILE: give the filled-in sample.csv or sample.xlsx");
    const char *path = argv[optind];
    char csv_path[4096];
    if (output)
        snprintf(csv_path, sizeof csv_path, "%s", output);
    else {
        const char *slash = strrchr(path, '/');
        snprintf(csv_path, sizeof csv_path, "%.*sverify.csv",
                 slash ? (int)(slash - path + 1) : 0, path);
    }
    xc_err err;
    xc_err_clear(&err);
    xc_verify v;
    int rc = xc_verify_load(path, &v, &err);
    if (rc >= 0 && rundir)
        rc = xc_verify_check_run(&v, rundir, &err);
    if (rc >= 0)
        rc = xc_verify_write_csv(&v, csv_path, &err);
    if (rc >= 0)
        print_verify(&v, csv_path);
    xc_verify_free(&v);
    if (rc < 0) {
        print_error(&err);
        return EXIT_FAILED;
    }
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAILED;
}

int main(int argc, char **argv)
{
    /* A file over the size limit (ulimit -f) is an error of its own, with
     * its path and a hint: write() fails with EFBIG instead of SIGXFSZ
     * ending the process. */
    signal(SIGXFSZ, SIG_IGN);
    if (argc < 2) {
        help_main();
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0) {
        help_main();
        return EXIT_OK;
    }
    if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("xcheck %s\n", XC_VERSION);
        return EXIT_OK;
    }
    if (strcmp(cmd, "help") == 0) {
        const char *what = argc > 2 ? argv[2] : "";
        if (strcmp(what, "run") == 0)
            help_run();
        else if (strcmp(what, "id") == 0)
            help_id();
        else if (strcmp(what, "rules") == 0)
            help_rules();
        else if (strcmp(what, "diff") == 0)
            help_diff();
        else if (strcmp(what, "sample") == 0)
            help_sample();
        else if (strcmp(what, "verify") == 0)
            help_verify();
        else if (strcmp(what, "key") == 0)
            help_key();
        else if (strcmp(what, "prune") == 0)
            help_prune();
        else if (strcmp(what, "pseudonymise") == 0 || strcmp(what, "pseudonymize") == 0)
            help_pseudonymise();
        else if (!*what)
            help_main();
        else
            return usage_error(NULL, "no help for \"%s\": unknown command", what);
        return EXIT_OK;
    }
    if (strcmp(cmd, "run") == 0)
        return cmd_run(argc - 1, argv + 1);
    if (strcmp(cmd, "id") == 0)
        return cmd_id(argc - 1, argv + 1);
    if (strcmp(cmd, "rules") == 0)
        return cmd_rules(argc - 1, argv + 1);
    if (strcmp(cmd, "diff") == 0)
        return cmd_diff(argc - 1, argv + 1);
    if (strcmp(cmd, "sample") == 0)
        return cmd_sample(argc - 1, argv + 1);
    if (strcmp(cmd, "verify") == 0)
        return cmd_verify(argc - 1, argv + 1);
    if (strcmp(cmd, "key") == 0)
        return cmd_key(argc - 1, argv + 1);
    if (strcmp(cmd, "prune") == 0)
        return cmd_prune(argc - 1, argv + 1);
    if (strcmp(cmd, "pseudonymise") == 0 || strcmp(cmd, "pseudonymize") == 0)
        return cmd_pseudonymise(argc - 1, argv + 1);
    return usage_error(NULL, "unknown command \"%s\"", cmd);
}
