/*
 * xcgen.c - the benchmark's data generator: a province-scale archive of
 * difficult workers in a few Yunnan counties, the reference data of the
 * other departments to check it against, and the flags xcheck must raise.
 *
 *     xcgen --out DIR [--scale S] [--ref-factor F] [--seed N]
 *           [--as-of YYYY-MM-DD] [--sql-schema NAME] [--process]
 *           [--dry-run] [--arch-seqs N] [--split N] [--si-hole N] [--si-months N]
 *
 * Scale 1 is 100,000 archived households (about 300,000 people), hukou
 * 10,000,000 rows, social_insurance 24,000,000 (about 2,000,000 insured
 * people: the archive's earners with 24 monthly rows, adults outside it
 * with 12), property 3,000,000, vehicle 2,000,000, business 1,000,000, and
 * a few dozen dibao_standard rows (province, city and county levels, each
 * changing in the last year); every count scales linearly with S.
 * --ref-factor F (an integer, 1 to 16) multiplies the reference side only:
 * hukou, social_insurance, property, vehicle and business get F times the
 * rows, every added one of a person outside the archive, drawn as the
 * others are. household, member, dibao_standard and expected-flags.csv
 * stay those of factor 1 byte for byte, the reference rows of archived
 * people keep their values and the malformed rows their number, so that
 * xcheck's time and memory can be measured against the size of the
 * reference data alone.
 * --si-months N (24 to 120) gives the archive's earners their social
 * insurance of the N months before as_of instead of 24, so that xcheck's
 * memory can be measured against the months of history: the planted
 * conditions all lie in the last 24 months, and the earlier ones follow
 * them without changing a flag (below the standard, but for an exited
 * household from 6 months before its exit; early_above()). Everything
 * else, the others' 12 months included, is the same as with 24.
 *
 * Writes DIR/<dataset>.csv.gz (the logical datasets of
 * tests/bench/SCHEMA.md; with --split N the large reference ones as N
 * files DIR/<dataset>-001.csv.gz ... of about equal rows, bound by a glob),
 * DIR/xcheck.ini binding them,
 * DIR/expected-flags.csv (the columns 1, 2, 3, 6, 8 and 9 of xcheck's
 * flags.csv, sorted), DIR/near-misses.csv (rule, archive_no, masked_id,
 * what: each planted near miss and the rule that must not flag it: the
 * household by its archive number, or a person outside every household by
 * the masked ID) and, with --sql-schema, DIR/load.sql. Prints a summary;
 * its line "rejects: dataset=N ..." counts the malformed reference rows
 * xcheck must reject.
 *
 * --process adds the union's own process data: household.cadre_id is
 * bound in xcheck.ini (the column is always written), and contact,
 * payment, exit_record, followup and candidate are written, bound and
 * loaded, with the flags of the process rules (CT-UNPAIRED ... CAND-
 * ELIGIBLE) and their near misses. Without it the configuration binds the
 * datasets of the 19 rules ID-INVALID ... EX-RELAPSE and the archive's
 * structure rules (HH-NO-SELF ... MB-DUPLICATE) only, the rule set of
 * the SQL peer (tests/bench/peer.sql), and household, member, the
 * reference datasets and dibao_standard are the same byte for byte either
 * way. The process data follows the
 * schedules of rules/default.profile, the profile xcheck.ini names: per
 * half-year a home visit and two phone contacts over the last 18 months;
 * for every exit an exit record (publicity of 5 to 10 working days,
 * approval, written notice) and follow-ups about 1, 3 and 5-6 months after
 * it; payments (送温暖 before the Spring Festival, quarterly living aid,
 * school aid in September, medical aid within the personal burden) to the
 * workers on their social security cards while their household is in the
 * archive; and candidate lists (dibao_list, union_member, disabled_list)
 * of people mostly archived already or earning above the standard, whose
 * reference rows (hukou, social_insurance, assets) are written with the
 * archive's, so that they are the same at every --ref-factor.
 *
 * The output depends on the arguments only: splitmix64 streams per
 * household and per dataset, gzip without a time stamp or a file name.
 * Datasets are written by two threads, each from its own streams, so the
 * order they run in changes nothing.
 *
 * Planting. Each planted household carries exactly one condition that one
 * of the rules detects, or one near miss that none may flag (table
 * `plants`, rates per 100,000 households, at least one of each; the
 * candidates outside the archive are counted the same way), except that a
 * quarter of the IN-EXIT-DUE households list a member who earns nothing
 * twice (MB-DUPLICATE too: counted twice, the household would be one larger
 * and its income above the standard lost). The archive's structure is
 * planted in the household and member rows as written (enum shape): no
 * `self`, two, a worker_id of no member, rows given twice, and their near
 * misses (the worker listed last, worker_id with blanks, two members of one
 * name). Those flags come with and without --process, and the SQL peer
 * (tests/bench/peer.sql) raises them too. Every other
 * household is clean: each person in hukou, normal, under the same name;
 * no property, vehicle or business role; per-capita income below the
 * local standard in every month while in the archive, above it in the 6
 * months before an exit and after it; a cadre, contacts on schedule, a
 * complete exit procedure and follow-up, payments on the card while in
 * the archive (--process). A planted candidate is judged on the model as
 * CAND-ELIGIBLE would judge it, and must come out as planted. Income is
 * computed month by month
 * from the standard xcheck will find (longest region prefix with a row in
 * force, by the month of effective_from), so the income rules are tested
 * at their margins: a month "above" is 2-60% above, "below" 3-55% below,
 * and some near misses are exactly at the standard. Dates sit on the rules'
 * edges too: deaths on enrolled_on or on as_of, a car bought the day after
 * enrollment or sold the day after it, holdings ended on as_of or on
 * enrolled_on, exits on the first day of the audit period and the day
 * before it, households that exit after as_of (in the archive on as_of),
 * two households enrolled the same day sharing a member, contacts on the
 * first and last days of a half-year, publicity ending on an adjusted
 * working day, payments on the days of enrollment and exit and on the
 * first day of the audit period and the day before it, a follow-up on the
 * day it is due and the day before.
 *
 * Identity: archived people get sequence numbers 001-200 and everybody else
 * 201-999 of their (region, birth date), so the two never collide. The
 * archive lives in 8 counties: from about scale 60 some of their birth
 * days have no archive number left, and the person is numbered from the
 * next ID region that has one (birth day and sex unchanged); at scale 100
 * about 1% are. A scale past all regions' numbers stops while the archive
 * is built, before any file is written, with the largest scale that fits.
 * --dry-run builds the archive and the candidates and stops (about 30 s
 * and 5 GB at scale 100); --arch-seqs N leaves N numbers per sex and day,
 * so that a small scale is as crowded as a large one. Regions
 * are real GB/T 2260 codes (xc_gb2260). Reference data writes an ID number
 * as 18 characters, or as planted dirt that must still match: a lower-case
 * x, or the 15-digit form of someone born in the 1900s. A few reference
 * rows are malformed and must be rejected without changing a flag: an
 * invalid ID number (someone outside the archive), or, since xcheck judges
 * the rows of people outside the archive by their ID alone, a bad month, a
 * value with no mapping, a bad region code or an empty required field in
 * a row of an archived person - several of them would raise a flag if they
 * were accepted. Every value stays loadable into the PostgreSQL tables of
 * load.sql (the dirt is in text columns only).
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <zlib.h>

#include "xcheck/date.h"
#include "xcheck/idno.h"
#include "xcheck/region.h"

#define NODATE INT32_MIN
#define NONE UINT32_MAX
#define WINDOW 24                 /* months of the archive's income data */

/* ---- errors ------------------------------------------------------------- */

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("xcgen: error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        die("out of memory (%zu x %zu bytes)", n, size);
    return p;
}

static void *xrealloc(void *p, size_t size)
{
    p = realloc(p, size ? size : 1);
    if (!p)
        die("out of memory (%zu bytes)", size);
    return p;
}

/* ---- options and the dates derived from as_of --------------------------- */

static struct {
    const char *out;
    double scale;
    unsigned ref_factor;          /* multiplies the reference datasets' rows */
    uint64_t seed;
    xc_date as_of;
    const char *schema;
    bool process;                 /* the union's process datasets too */
    bool dry_run;                 /* build the archive and stop, writing nothing */
    unsigned arch_seqs;           /* archive numbers per region, birth day and sex */
    unsigned si_hole;             /* months social insurance leaves out */
    unsigned split;               /* each large reference dataset in this many files */
    unsigned si_months;           /* months of the archive's social insurance */
} opt = {NULL, 1.0, 1, 1, 0, NULL, false, false, 100, 0, 1, WINDOW};

static xc_date A;                 /* as_of */
/* The data is an export made at most this many days after as_of: its
 * events after as_of are real, but xcheck refuses any after the day of its
 * run, so the default as_of plus these days is a day long past. */
#define LATER_DAYS 150
static xc_month L;                /* the last month that ended on or before as_of */
static xc_month W0;               /* first month of the archive's income data */
/* --si-months N: the archive's social insurance starts N - 24 months
 * before W0. The plants live in the window W0..L; the earlier months only
 * carry on what the window implies, so that no flag or near miss changes
 * (early_above()). */
static xc_month E0;               /* first month of the archive's social insurance */
/* --si-hole N: social insurance holds no row of months [HOLE0, HOLE1], the
 * N months ending 6 months before L (inside the income window and the
 * audit period; the last 3 months, of relapses and candidates, stay). */
static xc_month HOLE0 = 1, HOLE1 = 0;
static size_t n_hole_dropped;     /* planted income flags the hole leaves unjudged */

/* Whether months [a, b] meet the hole. */
static bool meets_hole(xc_month a, xc_month b)
{
    return a <= HOLE1 && b >= HOLE0;
}
static xc_date audit_from;        /* exits after this day are audited */
static int YA;                    /* year of as_of */
static unsigned adult_cutoff;     /* yyyymmdd: 18 years before as_of */

static xc_date mstart(xc_month m)
{
    return xc_date_from_ymd(m / 12, m % 12 + 1, 1);
}

static xc_date mend(xc_month m)
{
    return mstart(m + 1) - 1;
}

static xc_date ymd(int y, int m, int d)
{
    return xc_date_from_ymd(y, m, d);
}

/* The same day `months` months earlier (31 March - 1 month = 28/29 Feb). */
static xc_date months_before(xc_date d, int months)
{
    int y, m, day;
    xc_date_to_ymd(d, &y, &m, &day);
    int total = y * 12 + (m - 1) - months;
    y = total / 12;
    m = total % 12 + 1;
    while (!xc_date_valid(y, m, day))
        day--;
    return xc_date_from_ymd(y, m, day);
}

static xc_date min_date(xc_date a, xc_date b)
{
    return a < b ? a : b;
}

static xc_date max_date(xc_date a, xc_date b)
{
    return a > b ? a : b;
}

static xc_date months_after(xc_date d, int months)
{
    return months_before(d, -months);
}

/* ---- the profile's schedules and calendar -------------------------------- */

/* The parameters of rules/default.profile, the profile xcheck.ini names:
 * [contact] per half-year at least 1 home visit and 2 phone contacts, in
 * the complete half-years of the last 12 months; [exit] publicity of at
 * least 5 working days, and an exit 6 months old needs a follow-up dated 5
 * months or more after it; [candidate] own income below the standard in
 * each of the last 3 months; [audit] the last 12 months. Contacts and
 * payments cover the last 18 months or less, from the start of a
 * half-year. */
enum {
    CT_PERIOD = 6, CT_VISITS = 1, CT_CALLS = 2, CT_WINDOW = 12, EX_PUBLICITY = 5,
    EX_FOLLOWUP_AFTER = 6, EX_FOLLOWUP_MIN = 5, CAND_MONTHS = 3, HISTORY = 18
};

/* Its [exit] holidays and adjusted working days (调休上班), as it lists them. */
static const char *const holiday_text[] = {
    ("2024-01-01, 2024-02-10..2024-02-17, 2024-04-04..2024-04-06, 2024-05-01..2024-05-05, "
    "2024-06-10, 2024-09-15..2024-09-17, 2024-10-01..2024-10-07"),
    ("2025-01-01, 2025-01-28..2025-02-04, 2025-04-04..2025-04-06, 2025-05-01..2025-05-05, "
    "2025-05-31..2025-06-02, 2025-10-01..2025-10-08"),
    ("2026-01-01..2026-01-03, 2026-02-15..2026-02-23, 2026-04-04..2026-04-06, "
    "2026-05-01..2026-05-05, 2026-06-19..2026-06-21, 2026-09-25..2026-09-27, "
    "2026-10-01..2026-10-07"),
};
static const char *const workday_text[] = {
    ("2024-02-04, 2024-02-18, 2024-04-07, 2024-04-28, 2024-05-11, 2024-09-14, 2024-09-29, "
    "2024-10-12"),
    "2025-01-26, 2025-02-08, 2025-04-27, 2025-09-28, 2025-10-11",
    "2026-01-04, 2026-02-14, 2026-02-28, 2026-05-09, 2026-09-20, 2026-10-10",
};

typedef struct day_range {
    xc_date first, last;
} day_range;

static day_range hols[64];
static int n_hols;
static xc_date adjusted[64];
static int n_adjusted;

static xc_date parse_day(const char *s)
{
    char buf[11];
    xc_date d;
    memcpy(buf, s, 10);
    buf[10] = '\0';
    if (xc_date_parse_iso(buf, &d) < 0)
        die("bad date '%s' in the holiday list", buf);
    return d;
}

/* Items "YYYY-MM-DD" or "YYYY-MM-DD..YYYY-MM-DD", comma-separated. */
static void parse_days(const char *text, bool holidays)
{
    for (const char *p = text; *p;) {
        p += strspn(p, ", ");
        size_t n = strcspn(p, ", ");
        if (!n)
            break;
        if (n != 10 && n != 22)
            die("bad item '%.*s' in the holiday list", (int)n, p);
        xc_date a = parse_day(p), b = n == 22 ? parse_day(p + 12) : a;
        if (holidays && n_hols < (int)(sizeof hols / sizeof hols[0]))
            hols[n_hols++] = (day_range){a, b};
        else if (!holidays && n_adjusted < (int)(sizeof adjusted / sizeof adjusted[0]))
            adjusted[n_adjusted++] = a;
        else
            die("too many days in the holiday list");
        p += n;
    }
}

static void setup_calendar(void)
{
    for (size_t i = 0; i < sizeof holiday_text / sizeof holiday_text[0]; i++)
        parse_days(holiday_text[i], true);
    for (size_t i = 0; i < sizeof workday_text / sizeof workday_text[0]; i++)
        parse_days(workday_text[i], false);
}

/* Monday 0 ... Sunday 6: 1970-01-01 (day 0) was a Thursday. */
static int weekday(xc_date d)
{
    return (int)(((d % 7) + 7 + 3) % 7);
}

/* A working day: Monday to Friday but a holiday, or an adjusted one. */
static bool is_workday(xc_date d)
{
    for (int i = 0; i < n_adjusted; i++)
        if (adjusted[i] == d)
            return true;
    if (weekday(d) >= 5)
        return false;
    for (int i = 0; i < n_hols; i++)
        if (d >= hols[i].first && d <= hols[i].last)
            return false;
    return true;
}

static int workdays_in(xc_date a, xc_date b)
{
    int n = 0;
    for (xc_date d = a; d <= b; d++)
        n += is_workday(d);
    return n;
}

static int weekdays_in(xc_date a, xc_date b)
{
    int n = 0;
    for (xc_date d = a; d <= b; d++)
        n += weekday(d) < 5;
    return n;
}

/* The day of the k-th working day from `from` on (from counting if it is
 * one). */
static xc_date nth_workday(xc_date from, int k)
{
    xc_date d = from;
    for (int n = is_workday(d); n < k; n += is_workday(d))
        d++;
    return d;
}

/* The k-th working day counting back from `to` (to counting if it is one). */
static xc_date nth_workday_back(xc_date to, int k)
{
    xc_date d = to;
    for (int n = is_workday(d); n < k; n += is_workday(d))
        d--;
    return d;
}

/* The half-year (a CT_PERIOD-month period aligned to the year) holding d. */
static xc_date period_start(xc_date d)
{
    xc_month m = xc_date_month(d);
    return mstart(m - m % CT_PERIOD);
}

static xc_date period_end(xc_date d)
{
    xc_month m = xc_date_month(d);
    return mstart(m - m % CT_PERIOD + CT_PERIOD) - 1;
}

static xc_date hist_from;         /* first day of the process data */
static xc_date ct_window;         /* first day of CT-VISITS' window */
static xc_date ct_last;           /* start of the last complete period on as_of */
static xc_date fu_last;           /* the last exit day 6 months old on as_of */

static void setup_process_dates(void)
{
    hist_from = period_start(months_before(A, HISTORY) + 1);   /* a whole half-year */
    if (hist_from <= months_before(A, HISTORY))
        hist_from = period_end(hist_from) + 1;
    ct_window = months_before(A, CT_WINDOW) + 1;
    ct_last = period_end(A) == A ? period_start(A) : period_start(period_start(A) - 1);
    fu_last = months_before(A, EX_FOLLOWUP_AFTER);
    while (months_after(fu_last, EX_FOLLOWUP_AFTER) > A)
        fu_last--;
    while (months_after(fu_last + 1, EX_FOLLOWUP_AFTER) <= A)
        fu_last++;
}

/* ---- random numbers: splitmix64 streams --------------------------------- */

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static uint64_t rnext(rng *r)
{
    return mix64(r->s += 0x9E3779B97F4A7C15ULL);
}

enum stream {
    S_PLAN = 1, S_OTHERS, S_HOUSEHOLD, S_SI_ARCHIVE, S_HUKOU, S_SI, S_PROPERTY, S_VEHICLE,
    S_BUSINESS, S_EMPLOYERS, S_PROCESS, S_CONTACT, S_PAYMENT, S_CANDIDATE, S_STRANGER
};

/* An independent stream for (stream, index). */
static rng rstream(uint64_t stream, uint64_t index)
{
    rng r = {mix64(opt.seed * 0xD1B54A32D192ED03ULL ^ mix64(stream << 40 ^ index))};
    return r;
}

/* Uniform in [0, n). */
static uint32_t rbelow(rng *r, uint32_t n)
{
    return (uint32_t)(((rnext(r) >> 32) * (uint64_t)n) >> 32);
}

/* Uniform in [lo, hi] (inclusive); lo when hi < lo. */
static int64_t rrange(rng *r, int64_t lo, int64_t hi)
{
    if (hi <= lo)
        return lo;
    return lo + (int64_t)(rnext(r) % (uint64_t)(hi - lo + 1));
}

static xc_date rday(rng *r, xc_date lo, xc_date hi)
{
    return (xc_date)rrange(r, lo, hi);
}

/* True with probability per_mille / 1000. */
static bool rpm(rng *r, uint32_t per_mille)
{
    return rbelow(r, 1000) < per_mille;
}

/* A Thursday in [lo, hi] whose next 7 days keep the plain weekly rhythm: no
 * holiday, no adjusted working day. */
static xc_date plain_thursday(rng *r, xc_date lo, xc_date hi)
{
    for (int tries = 0; tries < 1000; tries++) {
        xc_date d = rday(r, lo, hi - 6);
        d += (3 - weekday(d) + 7) % 7;
        bool plain = d <= hi;
        for (xc_date x = d; plain && x <= d + 7; x++)
            plain = is_workday(x) == (weekday(x) < 5);
        if (plain)
            return d;
    }
    die("no plain week between %d and %d", lo, hi);
}

/* ---- regions ------------------------------------------------------------ */

/* The archive's counties and how many households each holds (weights). */
static const uint32_t counties[] = {530102, 530103, 530111, 530112, 530302, 530381, 532502,
                                    532503};
static const uint32_t county_weight[] = {16, 14, 18, 14, 12, 10, 8, 8};
#define N_COUNTIES (sizeof counties / sizeof counties[0])

/* Provinces other than Yunnan where a worker may be registered (HK-MOVED). */
static const uint32_t elsewhere[] = {510104, 520102, 440106, 450103, 330106};

static uint32_t *idreg;           /* region codes of ID numbers, sorted */
static int n_idreg;
static uint32_t *ync;              /* Yunnan county codes (hukou, property) */
static int n_ync;

static const char *city_name(uint32_t county);

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return (a > b) - (a < b);
}

static int region_index(uint32_t code)
{
    const uint32_t *p = bsearch(&code, idreg, (size_t)n_idreg, sizeof *idreg, cmp_u32);
    if (!p)
        die("region %06u is not among the ID regions", code);
    return (int)(p - idreg);
}

static void setup_regions(void)
{
    idreg = xcalloc(xc_gb2260_count, sizeof *idreg);
    ync = xcalloc(xc_gb2260_count, sizeof *ync);
    size_t other = 0;
    for (size_t i = 0; i < xc_gb2260_count; i++) {
        uint32_t c = xc_gb2260[i].code;
        if (c % 100 < 2)                 /* provinces, cities, 市辖区 */
            continue;
        if (c / 10000 == 53) {
            ync[n_ync++] = c;
            idreg[n_idreg++] = c;
        } else if (other++ % 61 == 0) {  /* people born elsewhere */
            idreg[n_idreg++] = c;
        }
    }
    for (size_t i = 0; i < sizeof elsewhere / sizeof elsewhere[0]; i++) {
        if (!xc_region_known(elsewhere[i]))
            die("region %06u is not in the GB/T 2260 table", elsewhere[i]);
    }
    for (size_t i = 0; i < N_COUNTIES; i++)
        if (!xc_region_known(counties[i]))
            die("county %06u is not in the GB/T 2260 table", counties[i]);
    for (int i = 0; i < n_ync; i++)
        city_name(ync[i]);             /* fill the cache before the threads */
    qsort(idreg, (size_t)n_idreg, sizeof *idreg, cmp_u32);
    int u = 0;
    for (int i = 0; i < n_idreg; i++)
        if (u == 0 || idreg[u - 1] != idreg[i])
            idreg[u++] = idreg[i];
    n_idreg = u;
}

/* "昆明市": the name of a code's city without the province. */
static const char *city_name(uint32_t county)
{
    static char names[100][64];
    static bool done[100];
    uint32_t city = county / 100 % 100;
    if (county / 10000 != 53)
        return "外省";
    if (!done[city]) {
        const char *n = xc_region_name(county / 100 * 100);
        if (!n)
            n = "云南省";
        if (strncmp(n, "云南省", strlen("云南省")) == 0)
            n += strlen("云南省");
        snprintf(names[city], sizeof names[city], "%s", *n ? n : "云南");
        done[city] = true;
    }
    return names[city];
}

/* ---- local minimum-living standards ------------------------------------- */

typedef struct std_row {
    char text[8];                 /* region code as written */
    uint32_t code;                /* prefix */
    int digits;                   /* 2, 4 or 6 */
    xc_date from;
    int64_t fen;
} std_row;

static std_row stds[64];
static int n_stds;

static void add_std(const char *text, xc_date from, int64_t yuan)
{
    std_row *s = &stds[n_stds++];
    snprintf(s->text, sizeof s->text, "%s", text);
    uint32_t code = (uint32_t)strtoul(text, NULL, 10);
    size_t len = strlen(text);
    s->digits = (int)len;
    if (len == 6 && code % 10000 == 0) {
        s->digits = 2;
        code /= 10000;
    } else if (len == 6 && code % 100 == 0) {
        s->digits = 4;
        code /= 100;
    }
    s->code = code;
    s->from = from;
    s->fen = yuan * 100;
}

/* Province, city and county levels; every code changes at least once in
 * the last year, one of them in the middle of a month. */
static void setup_standards(void)
{
    int y = YA;
    add_std("53", ymd(y - 12, 1, 1), 460);
    add_std("53", ymd(y - 9, 1, 1), 540);
    add_std("53", ymd(y - 6, 7, 1), 620);
    add_std("53", ymd(y - 3, 1, 1), 690);
    add_std("53", ymd(y - 1, 1, 1), 730);
    add_std("5301", ymd(y - 8, 1, 1), 600);
    add_std("5301", ymd(y - 5, 1, 1), 690);
    add_std("5301", ymd(y - 3, 7, 1), 770);
    add_std("5301", ymd(y - 2, 1, 1), 820);
    add_std("5301", mstart(L - 5) + 14, 860);
    add_std("5303", ymd(y - 6, 1, 1), 580);
    add_std("5303", ymd(y - 2, 7, 1), 700);
    add_std("5303", mstart(L - 8), 745);
    add_std("532500", ymd(y - 4, 1, 1), 640);      /* GB/T 2260 style: the city */
    add_std("532500", mstart(L - 7), 690);
    add_std("530112", ymd(y - 2, 1, 1), 850);      /* a county above its city */
    add_std("530112", mstart(L - 2), 890);
    add_std("532503", ymd(y - 3, 1, 1), 660);
    add_std("532503", mstart(L - 10) + 9, 705);
    /* other provinces: no household there */
    add_std("44", ymd(y - 3, 1, 1), 900);
    add_std("4401", ymd(y - 2, 1, 1), 1120);
    add_std("440106", ymd(y - 1, 7, 1), 1200);
    add_std("51", ymd(y - 4, 1, 1), 610);
    add_std("5101", ymd(y - 2, 1, 1), 900);
    add_std("520000", ymd(y - 3, 1, 1), 640);
    add_std("52", ymd(y - 1, 1, 1), 700);
    add_std("11", ymd(y - 2, 7, 1), 1395);
}

/* xcheck's lookup (engine/core/income.c): the longest prefix with a row in force
 * in month m, the latest of that prefix whose effective_from's month is on
 * or before m. -1 when none. */
static int64_t std_for(uint32_t region, xc_month m)
{
    static const int digits[] = {6, 4, 2};
    static const uint32_t div[] = {1, 100, 10000};
    for (int k = 0; k < 3; k++) {
        const std_row *best = NULL;
        for (int i = 0; i < n_stds; i++) {
            const std_row *s = &stds[i];
            if (s->digits == digits[k] && s->code == region / div[k] &&
                xc_date_month(s->from) <= m && (!best || s->from >= best->from))
                best = s;
        }
        if (best)
            return best->fen;
    }
    return -1;
}

/* ---- names -------------------------------------------------------------- */

static const char *const surnames[] = {
    "李", "王", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高",
    "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧",
    "程", "曹", "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕", "苏", "卢", "蒋", "蔡", "贾",
    "丁", "魏", "薛", "叶", "阎", "余", "潘", "杜", "戴", "夏", "钟", "汪", "田", "任", "姜",
    "范", "方", "石", "姚", "谭", "廖", "邹", "熊", "金", "陆", "郝", "孔", "白", "崔", "康",
    "毛", "邱", "秦", "江", "史", "顾", "侯", "邵", "孟", "龙", "万", "段", "雷", "钱", "汤",
    "尹", "黎", "易", "常", "武", "乔", "贺", "赖", "龚", "文", "普", "李", "杨", "字", "者",
    "刀", "岩", "玉", "和", "木", "起", "番", "鲁", "左", "保"};
static const char *const given[] = {
    "伟", "芳", "娜", "秀", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
    "涛", "明", "超", "兰", "霞", "平", "刚", "桂", "英", "华", "建", "国", "文", "玉", "红",
    "云", "春", "海", "波", "林", "荣", "德", "志", "福", "贵", "金", "凤", "琼", "燕", "梅",
    "宏", "光", "成", "辉", "斌", "丹", "萍", "雪", "鹏", "飞", "宇", "浩", "晨", "欣", "怡",
    "婷", "佳", "俊", "永", "新", "忠", "学", "顺", "山", "珍", "花", "昌", "发", "祥", "友"};
static const char *const dotted_first[] = {
    "阿依古丽", "玉苏甫", "扎西", "卓玛", "阿不都", "努尔", "古丽", "买买提", "热依拉", "次仁"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void gen_name(rng *r, const char *surname, char *out, size_t outsz)
{
    if (!surname)
        surname = surnames[rbelow(r, COUNT(surnames))];
    if (rpm(r, 300))
        snprintf(out, outsz, "%s%s", surname, given[rbelow(r, COUNT(given))]);
    else
        snprintf(out, outsz, "%s%s%s", surname, given[rbelow(r, COUNT(given))],
                 given[rbelow(r, COUNT(given))]);
}

/* A transliterated name: "阿依古丽·吴" with the middle dot U+00B7. */
static void gen_dotted(rng *r, const char *surname, char *out, size_t outsz)
{
    snprintf(out, outsz, "%s\xC2\xB7%s", dotted_first[rbelow(r, COUNT(dotted_first))], surname);
}

/* The same name with the bullet U+2022 instead of the middle dot. */
static void bullet_variant(const char *in, char *out, size_t outsz)
{
    size_t o = 0;
    for (const char *p = in; *p && o + 4 < outsz;) {
        if ((unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xB7) {
            memcpy(out + o, "\xE2\x80\xA2", 3);
            o += 3;
            p += 2;
        } else {
            out[o++] = *p++;
        }
    }
    out[o] = '\0';
}

/* The first UTF-8 character of a name (its surname, mostly). */
static void first_char(const char *name, char *out)
{
    size_t n = 1;
    unsigned char c = (unsigned char)name[0];
    if (c >= 0xF0)
        n = 4;
    else if (c >= 0xE0)
        n = 3;
    else if (c >= 0xC0)
        n = 2;
    memcpy(out, name, n);
    out[n] = '\0';
}

static char employers[600][96];
#define N_EMPLOYERS (COUNT(employers))

static void setup_employers(void)
{
    static const char *const place[] = {"昆明", "曲靖", "红河", "云南", "蒙自", "开远", "宣威",
                                        "滇中", "五华", "官渡"};
    static const char *const trade[] = {
        "市政工程", "建工", "机械制造", "纺织", "烟草物流", "商贸", "电力安装", "化工", "冶金",
        "食品", "医药", "矿业", "水泥", "汽车维修", "百货", "印刷", "酒店管理", "餐饮",
        "物业服务", "农产品", "运输", "建材", "家政服务", "保安服务", "环卫"};
    static const char *const suffix[] = {"有限公司", "有限责任公司", "股份有限公司",
                                         "集团有限公司"};
    rng r = rstream(S_EMPLOYERS, 0);
    for (size_t i = 0; i < N_EMPLOYERS; i++)
        snprintf(employers[i], sizeof employers[i], "%s%s%s%s%s", place[rbelow(&r, COUNT(place))],
                 i % 3 ? given[rbelow(&r, COUNT(given))] : "",
                 i % 3 ? given[rbelow(&r, COUNT(given))] : "", trade[rbelow(&r, COUNT(trade))],
                 suffix[rbelow(&r, COUNT(suffix))]);
}

/* ---- ID numbers --------------------------------------------------------- */

/* A number is kept as its first 17 digits: region * 10^11 + yyyymmdd *
 * 10^3 + sequence. */
static uint64_t id17_make(uint32_t region, xc_date birth, unsigned seq)
{
    int y, m, d;
    xc_date_to_ymd(birth, &y, &m, &d);
    return (uint64_t)region * 100000000000ULL +
           (uint64_t)(y * 10000 + m * 100 + d) * 1000ULL + seq;
}

/* 18 characters and a NUL. */
static void id_text(uint64_t id17, char out[19])
{
    for (int i = 16; i >= 0; i--) {
        out[i] = (char)('0' + id17 % 10);
        id17 /= 10;
    }
    out[17] = xc_id_check_char(out);
    out[18] = '\0';
}

static char id_check(uint64_t id17)
{
    char t[19];
    id_text(id17, t);
    return t[17];
}

static int id_year(uint64_t id17)
{
    return (int)(id17 / 10000000ULL % 10000);
}

static xc_date id_birth(uint64_t id17)
{
    unsigned v = (unsigned)(id17 / 1000 % 100000000);
    return ymd((int)(v / 10000), (int)(v / 100 % 100), (int)(v % 100));
}

/* The 15-digit form (people born 1900-1999 only). */
static void id15_text(uint64_t id17, char out[16])
{
    char t[19];
    id_text(id17, t);
    memcpy(out, t, 6);
    memcpy(out + 6, t + 8, 9);
    out[15] = '\0';
}

static void mask_text(const char *id, char *out, size_t outsz)
{
    xc_id_mask(id, out, outsz);
}

/* Sequence counters per (region, birth day): the archive's 001-200 (100 per
 * sex: odd for men), everybody else's 201-999. The n-th number of a day is
 * spread over its range by a stride prime to the range's size, from an
 * offset of the day's own. */
static xc_date day0;
static int n_days;
static uint8_t *cnt_arch;         /* [region][day][sex] */
static uint16_t *cnt_other;       /* [region][day] */
static size_t n_arch_moved;       /* archived people numbered in another region */

static void setup_counters(void)
{
    day0 = ymd(1920, 1, 1);
    n_days = A - day0 + 1;
    cnt_arch = xcalloc((size_t)n_idreg * (size_t)n_days * 2, 1);
    cnt_other = xcalloc((size_t)n_idreg * (size_t)n_days, sizeof *cnt_other);
}

/* An archived person's number, or 0 when the day is full. want_x: one
 * whose check character is X. A day holds opt.arch_seqs numbers per sex
 * (100: all of 001-200; the stride 7 is prime to every size allowed). */
static uint64_t alloc_arch_id(uint32_t region, xc_date birth, int male, bool want_x)
{
    size_t k = ((size_t)region_index(region) * (size_t)n_days + (size_t)(birth - day0)) * 2 +
               (size_t)male;
    unsigned room = opt.arch_seqs;
    unsigned offset = (unsigned)(mix64(k) % room);
    while (cnt_arch[k] < room) {
        unsigned seq = 2u * ((7u * cnt_arch[k]++ + offset) % room) + (male ? 1u : 2u);
        uint64_t id = id17_make(region, birth, seq);
        if (!want_x || id_check(id) == 'X')
            return id;
    }
    return 0;
}

/* An archived person's number born on birth, from region when its day
 * has one left, else from the next ID region (in code order, wrapping
 * round) that has; 0 when every region's day is full. The archive's people
 * live in a few counties: from about scale 60 their busiest birth days fill
 * up there, and a number from another region keeps the person's birth day,
 * sex and check character as drawn, so every age-based plant stays exact.
 * Below that no day is full and the numbers are those of region alone. */
static uint64_t alloc_arch_id_any(uint32_t region, xc_date birth, int male, bool want_x)
{
    uint64_t id = alloc_arch_id(region, birth, male, want_x);
    if (id)
        return id;
    int ri = region_index(region);
    for (int j = 1; !id && j < n_idreg; j++)
        id = alloc_arch_id(idreg[(ri + j) % n_idreg], birth, male, want_x);
    n_arch_moved += id != 0;
    return id;
}

static uint64_t alloc_other_id(int ri, xc_date birth)
{
    size_t k = (size_t)ri * (size_t)n_days + (size_t)(birth - day0);
    if (cnt_other[k] >= 799)
        return 0;
    unsigned offset = (unsigned)(mix64(k) % 799);
    return id17_make(idreg[ri], birth, 201u + (7u * cnt_other[k]++ + offset) % 799);
}

/* ---- the archive -------------------------------------------------------- */

enum relation { REL_SELF, REL_SPOUSE, REL_CHILD, REL_PARENT, REL_OTHER };
static const char *const relation_name[] = {"self", "spouse", "child", "parent", "other"};
enum id_form { IDF_CLEAN, IDF_BADCHECK, IDF_FULLWIDTH, IDF_BLANKS, IDF_LEGACY };
enum hk_form { HKF_NORMAL, HKF_NONE, HKF_LOWERX, HKF_OTHERNAME, HKF_DOTNAME };
enum hk_status { HKS_NORMAL, HKS_DECEASED, HKS_MOVED_OUT, HKS_CANCELLED };
static const char *const hk_status_name[] = {"normal", "deceased", "moved_out", "cancelled"};
enum earner { EARN_NONE, EARN_WAGE, EARN_PENSION, EARN_BENEFIT };
static const char *const si_kind_name[] = {"", "contribution", "pension", "unemployment_benefit"};
enum hh_status { ST_ACTIVE, ST_RELIEVED, ST_EXITED, ST_CANCELLED };
static const char *const status_name[] = {"active", "relieved", "exited", "cancelled"};
static const char *const level_name[] = {"national", "provincial", "local"};
static const char *const cause_name[] = {"illness", "disability", "education", "unemployment",
                                         "housing", "accident", "other"};

typedef struct person {
    uint64_t id17;
    uint32_t hh;
    xc_date birth;
    xc_date hk_date;              /* status_on, NODATE when normal */
    uint32_t hk_region;
    uint16_t share;               /* per mille of the household's income */
    uint16_t employer;
    uint8_t relation, male, id_form, hk_form, hk_status, earner;
    char name[40];
    char hk_name[40];             /* HKF_OTHERNAME, HKF_DOTNAME */
} person;

typedef struct household {
    uint32_t region, first, n;    /* its persons: [first, first + n) */
    uint32_t extra;               /* a person of another household listed here too */
    uint32_t partner;             /* DUP pairs: the other household */
    uint32_t target;              /* the person the plant is about */
    uint32_t cadre;               /* 0: none */
    uint32_t above, equal;        /* income months (bit i: month W0 + i) */
    xc_date enrolled, exited;
    xc_date pa, pb;               /* dates of a process plant (NODATE: none) */
    uint8_t level, status, plant, causes, var;   /* var: the plant's variant */
    uint8_t shape;                /* how its rows are written: SH_* */
    uint64_t typed_id17;          /* SH_WORKER_TYPED: the worker_id written */
    char archive_no[24];
} household;

static household *H;
static size_t n_hh;
static person *P;
static size_t n_p, cap_p;

/* ---- plants ------------------------------------------------------------- */

enum need { NEED_NONWORKER = 1, NEED_PARENT = 2, NEED_SPOUSE = 4 };
/* The archive's own structure as written: the worker's row with relation
 * `other`, or after the other members; the target written `self` too; the
 * household's worker_id a number of no member, or the worker's own with
 * blanks; the target's row (or the worker's) written twice. */
enum shape { SH_PLAIN, SH_NO_SELF, SH_SELF_LAST, SH_MULTI_SELF, SH_WORKER_TYPED,
             SH_WORKER_BLANKS, SH_DUP_ROW, SH_DUP_WORKER };
/* SUBJECT: not a household, a person on a candidate list */
enum kind_class { IN_ARCHIVE, EXITED, SCOPED, CANCELLED, LEAVING, SUBJECT };

enum plant {
    PL_NONE,
    PL_ID_INVALID, PL_ID_LEGACY, PL_ID_NOT_FOUND, PL_ID_NAME, PL_DUP, PL_DUP_FIRST,
    PL_DEC_MIS, PL_DEC_MISSED, PL_MOVED_OUT, PL_MOVED_PROV,
    PL_PRC_MIS, PL_PRC_MIS_CANC, PL_PRC_MISSED, PL_PRM_MIS, PL_PRM_MISSED,
    PL_VH_MIS, PL_VH_MIS_DEREG, PL_VH_MISSED, PL_VH_NEXTDAY, PL_VH_LATE_EXIT,
    PL_BZ_MIS, PL_BZ_MIS_CLOSED, PL_BZ_MISSED,
    PL_ENROLL_HIGH, PL_EXIT_DUE, PL_EX_WRONG, PL_EX_RELAPSE,
    NM_ID_FULLWIDTH, NM_ID_BLANKS, NM_ID_CANCELLED, NM_LOWERX, NM_NAME_DOT, NM_DUP,
    NM_DUP_FIRST, NM_DEC_FUTURE, NM_DEC_MEMBER, NM_MOVED_COUNTY, NM_MOVED_FUTURE,
    NM_PRC_CANC, NM_PRC_BEFORE, NM_PR_COOWN, NM_VH_MOTO, NM_VH_DEREG, NM_VH_EXITED,
    NM_BZ_REVOKED, NM_BZ_EXEC,
    NM_ENROLL_2OF3, NM_EXIT_5, NM_EXIT_EQUAL, NM_EXWRONG_6, NM_EX_BEFORE_AUDIT,
    NM_RELAPSE_ABOVE,
    NM_RELAPSE_EQUAL,
    PL_HH_NO_SELF, PL_HH_MULTI_SELF, PL_HH_WORKER, PL_MB_DUP, PL_MB_DUP_WORKER,
    NM_HH_SELF_LAST, NM_HH_WORKER_BLANKS, NM_MB_SAME_NAME,
    /* the process rules (--process) */
    PL_CT_UNPAIRED, PL_CT_NO_VISIT, PL_CT_FEW_CALLS, PL_CT_SILENT, PL_CT_VISIT_EARLY,
    NM_CT_UNPAIRED_EXITED, NM_CT_LAST_DAY, NM_CT_FIRST_DAY, NM_CT_MID_ENROLL, NM_CT_NEW,
    PL_EXP_SHORT, PL_EXP_HOLIDAY, PL_EXP_NO_DATES, PL_EXP_NO_RECORD, PL_EXN_NO_NOTICE,
    PL_EXF_DAY_EARLY, PL_EXF_NONE,
    NM_EXP_5, NM_EXP_HOLIDAY_5, NM_EXP_REPEAT, NM_EXP_BEFORE_AUDIT, NM_EXN_SAME_DAY,
    NM_EXF_ON_DUE, NM_EXF_YOUNG,
    PL_PAY_BEFORE_ENROLL, PL_PAY_EXIT_DAY, PL_PAY_STRANGER, PL_PAY_MED_OVER, PL_PAY_CHANNEL,
    NM_PAY_ON_ENROLL, NM_PAY_BEFORE_EXIT, NM_PAY_STRANGER_OLD, NM_PAY_MED_EQUAL,
    NM_PAY_MED_UNKNOWN, NM_PAY_CHANNEL_OLD,
    PL_CAND, PL_CAND_TWO_LISTS, PL_CAND_EXITED,
    NM_CAND_ARCHIVED, NM_CAND_ABOVE, NM_CAND_EQUAL, NM_CAND_CAR, NM_CAND_COMMERCIAL,
    NM_CAND_TWO_HOMES, NM_CAND_BUSINESS, NM_CAND_NO_STD, NM_CAND_EXITED,
    PL_COUNT
};

typedef struct plant_def {
    const char *name;             /* what it is, for the summary */
    const char *rule;             /* the rule it makes fire, NULL for a near miss */
    unsigned per_100k;            /* households (SUBJECT: candidates) per 100,000
                                     households */
    uint8_t cls, needs;
    const char *near;             /* a near miss: the rule that must not fire */
} plant_def;

static const plant_def plants[PL_COUNT] = {
    [PL_NONE] = {"clean", NULL, 0, 0, 0},
    [PL_ID_INVALID] = {"member ID with a wrong check character", "ID-INVALID", 40, SCOPED,
                       NEED_NONWORKER},
    [PL_ID_LEGACY] = {"member ID of 15 digits", "ID-LEGACY", 80, SCOPED, NEED_PARENT},
    [PL_ID_NOT_FOUND] = {"member without a hukou row", "ID-NOT-FOUND", 50, SCOPED,
                         NEED_NONWORKER},
    [PL_ID_NAME] = {"hukou name differs", "ID-NAME-MISMATCH", 60, SCOPED, NEED_NONWORKER},
    [PL_DUP] = {"member also in an earlier in-archive household", "DUP-PERSON", 30,
                IN_ARCHIVE, 0},
    [PL_DUP_FIRST] = {"(the earlier household of a DUP-PERSON pair)", NULL, 0, IN_ARCHIVE,
                      NEED_PARENT},
    [PL_DEC_MIS] = {"worker died before enrollment", "HK-DECEASED", 15, IN_ARCHIVE, 0},
    [PL_DEC_MISSED] = {"worker died after enrollment", "HK-DECEASED", 90, IN_ARCHIVE, 0},
    [PL_MOVED_OUT] = {"worker moved out", "HK-MOVED", 60, IN_ARCHIVE, 0},
    [PL_MOVED_PROV] = {"worker registered in another province", "HK-MOVED", 30, IN_ARCHIVE,
                       0},
    [PL_PRC_MIS] = {"commercial property before enrollment", "PR-COMMERCIAL", 25,
                    IN_ARCHIVE, 0},
    [PL_PRC_MIS_CANC] = {"commercial property before enrollment, cancelled since",
                         "PR-COMMERCIAL", 10, IN_ARCHIVE, 0},
    [PL_PRC_MISSED] = {"commercial property after enrollment", "PR-COMMERCIAL", 40,
                       IN_ARCHIVE, 0},
    [PL_PRM_MIS] = {"two homes before enrollment", "PR-MULTI", 20, IN_ARCHIVE, 0},
    [PL_PRM_MISSED] = {"a second home after enrollment", "PR-MULTI", 40, IN_ARCHIVE, 0},
    [PL_VH_MIS] = {"car before enrollment", "VH-CAR", 40, IN_ARCHIVE, 0},
    [PL_VH_MIS_DEREG] = {"car before enrollment, deregistered since", "VH-CAR", 10,
                         IN_ARCHIVE, 0},
    [PL_VH_MISSED] = {"car after enrollment", "VH-CAR", 80, IN_ARCHIVE, 0},
    [PL_VH_NEXTDAY] = {"car the day after enrollment", "VH-CAR", 20, IN_ARCHIVE, 0},
    [PL_VH_LATE_EXIT] = {"car after enrollment; exited or cancelled after as_of", "VH-CAR", 10,
                         LEAVING, 0},
    [PL_BZ_MIS] = {"business role before enrollment", "BZ-ROLE", 20, IN_ARCHIVE, 0},
    [PL_BZ_MIS_CLOSED] = {"business role before enrollment, business closed since",
                          "BZ-ROLE", 10, IN_ARCHIVE, 0},
    [PL_BZ_MISSED] = {"business role after enrollment", "BZ-ROLE", 40, IN_ARCHIVE, 0},
    [PL_ENROLL_HIGH] = {"income above in the 3 months before enrollment", "IN-ENROLL-HIGH",
                        50, IN_ARCHIVE, 0},
    [PL_EXIT_DUE] = {"income above for exactly 6 months", "IN-EXIT-DUE", 300, IN_ARCHIVE, 0},
    [PL_EX_WRONG] = {"exit after 2-5 months above", "EX-WRONG", 30, EXITED, 0},
    [PL_EX_RELAPSE] = {"exited, below in the last 3 months", "EX-RELAPSE", 100, EXITED, 0},
    [NM_ID_FULLWIDTH] = {"near miss: member ID in full-width digits", NULL, 40, SCOPED,
                         NEED_NONWORKER, "ID-INVALID"},
    [NM_ID_BLANKS] = {"near miss: member ID with inner blanks", NULL, 40, SCOPED,
                      NEED_NONWORKER, "ID-INVALID"},
    [NM_ID_CANCELLED] = {"near miss: wrong check character in a cancelled household", NULL,
                         10, CANCELLED, NEED_NONWORKER, "ID-INVALID"},
    [NM_LOWERX] = {"near miss: hukou ID with a lower-case x", NULL, 50, SCOPED,
                   NEED_NONWORKER, "ID-NOT-FOUND"},
    [NM_NAME_DOT] = {"near miss: hukou name with another middle dot", NULL, 30, SCOPED,
                     NEED_NONWORKER, "ID-NAME-MISMATCH"},
    [NM_DUP] = {"near miss: member also in an exited household", NULL, 20, IN_ARCHIVE, 0,
                "DUP-PERSON"},
    [NM_DUP_FIRST] = {"(the exited household of a near-miss pair)", NULL, 0, EXITED,
                      NEED_PARENT},
    [NM_DEC_FUTURE] = {"near miss: worker's death dated after as_of", NULL, 15, IN_ARCHIVE,
                       0, "HK-DECEASED"},
    [NM_DEC_MEMBER] = {"near miss: a deceased member, not the worker", NULL, 30, IN_ARCHIVE,
                       NEED_NONWORKER, "HK-DECEASED"},
    [NM_MOVED_COUNTY] = {"near miss: worker registered in another county of Yunnan", NULL,
                         50, IN_ARCHIVE, 0, "HK-MOVED"},
    [NM_MOVED_FUTURE] = {"near miss: worker's moving out dated after as_of", NULL, 15,
                         IN_ARCHIVE, 0, "HK-MOVED"},
    [NM_PRC_CANC] = {"near miss: commercial property cancelled before as_of", NULL, 20,
                     IN_ARCHIVE, 0, "PR-COMMERCIAL"},
    [NM_PRC_BEFORE] = {"near miss: commercial property held only before enrollment", NULL,
                       10, IN_ARCHIVE, 0, "PR-COMMERCIAL"},
    [NM_PR_COOWN] = {"near miss: one home, two co-owner rows", NULL, 30, IN_ARCHIVE,
                     NEED_SPOUSE, "PR-MULTI"},
    [NM_VH_MOTO] = {"near miss: a motorcycle", NULL, 60, IN_ARCHIVE, 0, "VH-CAR"},
    [NM_VH_DEREG] = {"near miss: a deregistered car", NULL, 30, IN_ARCHIVE, 0, "VH-CAR"},
    [NM_VH_EXITED] = {"near miss: a car in an exited household", NULL, 10, EXITED, 0,
                      "VH-CAR"},
    [NM_BZ_REVOKED] = {"near miss: business revoked before enrollment", NULL, 20,
                       IN_ARCHIVE, 0, "BZ-ROLE"},
    [NM_BZ_EXEC] = {"near miss: executive of an active business", NULL, 30, IN_ARCHIVE, 0,
                    "BZ-ROLE"},
    [NM_ENROLL_2OF3] = {"near miss: 2 of the 3 months before enrollment above", NULL, 40,
                        IN_ARCHIVE, 0, "IN-ENROLL-HIGH"},
    [NM_EXIT_5] = {"near miss: income above for 5 months", NULL, 60, IN_ARCHIVE, 0,
                   "IN-EXIT-DUE"},
    [NM_EXIT_EQUAL] = {"near miss: 6 months, one exactly at the standard", NULL, 20,
                       IN_ARCHIVE, 0, "IN-EXIT-DUE"},
    [NM_EXWRONG_6] = {"near miss: exit after exactly 6 months above", NULL, 30, EXITED, 0,
                      "EX-WRONG"},
    [NM_EX_BEFORE_AUDIT] = {"near miss: exit after 2-5 months above, the day the audit "
                            "period starts", NULL, 20, EXITED, 0, "EX-WRONG"},
    [NM_RELAPSE_ABOVE] = {"near miss: one of the last 3 months above", NULL, 40, EXITED, 0,
                          "EX-RELAPSE"},
    [NM_RELAPSE_EQUAL] = {"near miss: one of the last 3 months at the standard", NULL, 20,
                          EXITED, 0, "EX-RELAPSE"},
    /* the archive's structure */
    [PL_HH_NO_SELF] = {"the worker's member row with relation other", "HH-NO-SELF", 30, SCOPED,
                       0},
    [PL_HH_MULTI_SELF] = {"a second member with relation self", "HH-MULTI-SELF", 30, SCOPED,
                          NEED_NONWORKER},
    [PL_HH_WORKER] = {"worker_id a valid number of no member", "HH-WORKER-NOT-MEMBER", 30,
                      SCOPED, 0},
    [PL_MB_DUP] = {"a member's row given twice", "MB-DUPLICATE", 40, SCOPED, NEED_NONWORKER},
    [PL_MB_DUP_WORKER] = {"the worker's row given twice: one self", "MB-DUPLICATE", 20, SCOPED,
                          0, "HH-MULTI-SELF"},
    [NM_HH_SELF_LAST] = {"near miss: the worker's row after the other members", NULL, 30,
                         SCOPED, NEED_NONWORKER, "HH-NO-SELF"},
    [NM_HH_WORKER_BLANKS] = {"near miss: worker_id with inner blanks", NULL, 30, SCOPED, 0,
                             "HH-WORKER-NOT-MEMBER"},
    [NM_MB_SAME_NAME] = {"near miss: two members of one name, two numbers", NULL, 30, SCOPED,
                         NEED_NONWORKER, "MB-DUPLICATE"},
    /* pairing and contacts: per half-year 1 visit and 2 calls */
    [PL_CT_UNPAIRED] = {"no paired cadre: enrolled lately, or kept in touch by the office",
                        "CT-UNPAIRED", 100, IN_ARCHIVE, 0},
    [PL_CT_NO_VISIT] = {"no home visit in a half-year of the window", "CT-VISITS", 150,
                        IN_ARCHIVE, 0},
    [PL_CT_FEW_CALLS] = {"one phone contact in a half-year of the window", "CT-VISITS", 150,
                         IN_ARCHIVE, 0},
    [PL_CT_SILENT] = {"no contact in the last 12 months", "CT-VISITS", 50, IN_ARCHIVE, 0},
    [PL_CT_VISIT_EARLY] = {"a half-year's only visit on the day before it began", "CT-VISITS",
                           30, IN_ARCHIVE, 0},
    [NM_CT_UNPAIRED_EXITED] = {"near miss: no cadre, an exited household", NULL, 20, EXITED,
                               0, "CT-UNPAIRED"},
    [NM_CT_LAST_DAY] = {"near miss: a half-year's only visit on its last day", NULL, 40,
                        IN_ARCHIVE, 0, "CT-VISITS"},
    [NM_CT_FIRST_DAY] = {"near miss: a half-year's second call on its first day", NULL, 40,
                         IN_ARCHIVE, 0, "CT-VISITS"},
    [NM_CT_MID_ENROLL] = {"near miss: enrolled inside the window, no contact in the half-year "
                          "of enrollment", NULL, 30, IN_ARCHIVE, 0, "CT-VISITS"},
    [NM_CT_NEW] = {"near miss: enrolled after the last complete half-year began, no contact",
                   NULL, 20, IN_ARCHIVE, 0, "CT-VISITS"},
    /* the exit procedure and the follow-up */
    [PL_EXP_SHORT] = {"exit publicity of 4 working days across a weekend", "EX-PUBLICITY", 30,
                      EXITED, 0},
    [PL_EXP_HOLIDAY] = {"exit publicity across a public holiday: 4 working days",
                        "EX-PUBLICITY", 20, EXITED, 0},
    [PL_EXP_NO_DATES] = {"exit record without publicity dates", "EX-PUBLICITY", 20, EXITED, 0},
    [PL_EXP_NO_RECORD] = {"exit without an exit record", "EX-PUBLICITY", 20, EXITED, 0},
    [PL_EXN_NO_NOTICE] = {"exit approved, no written notice", "EX-NOTICE", 30, EXITED, 0},
    [PL_EXF_DAY_EARLY] = {"last follow-up the day before it was due", "EX-FOLLOWUP", 20,
                          EXITED, 0},
    [PL_EXF_NONE] = {"no follow-up, or only in the first months", "EX-FOLLOWUP", 40, EXITED,
                     0},
    [NM_EXP_5] = {"near miss: exit publicity of 5 working days across a weekend", NULL, 30,
                  EXITED, 0, "EX-PUBLICITY"},
    [NM_EXP_HOLIDAY_5] = {"near miss: exit publicity across a public holiday: 5 working days",
                          NULL, 20, EXITED, 0, "EX-PUBLICITY"},
    [NM_EXP_REPEAT] = {"near miss: publicity cut short, then held again in full (the last "
                       "record counts)", NULL, 10, EXITED, 0, "EX-PUBLICITY"},
    [NM_EXP_BEFORE_AUDIT] = {"near miss: short publicity, no notice, no follow-up; exit the "
                             "day the audit period starts", NULL, 10, EXITED, 0,
                             "EX-PUBLICITY"},
    [NM_EXN_SAME_DAY] = {"near miss: notice dated the day of approval", NULL, 20, EXITED, 0,
                         "EX-NOTICE"},
    [NM_EXF_ON_DUE] = {"near miss: last follow-up on the day it was due", NULL, 20, EXITED, 0,
                       "EX-FOLLOWUP"},
    [NM_EXF_YOUNG] = {"near miss: exit less than 6 months ago, no follow-up yet", NULL, 20,
                      EXITED, 0, "EX-FOLLOWUP"},
    /* payments of the audit period */
    [PL_PAY_BEFORE_ENROLL] = {"payment the day before enrollment", "PAY-NOT-ARCHIVED", 20,
                              IN_ARCHIVE, 0},
    [PL_PAY_EXIT_DAY] = {"payment on the day of the exit", "PAY-NOT-ARCHIVED", 20, EXITED, 0},
    [PL_PAY_STRANGER] = {"payments to someone of no archived household", "PAY-NOT-ARCHIVED",
                         30, IN_ARCHIVE, 0},
    [PL_PAY_MED_OVER] = {"medical aid above the personal burden", "PAY-MEDICAL-OVER", 40,
                         IN_ARCHIVE, 0},
    [PL_PAY_CHANNEL] = {"payments by bank transfer or in cash", "PAY-CHANNEL", 60, IN_ARCHIVE,
                        0},
    [NM_PAY_ON_ENROLL] = {"near miss: payment on the day of enrollment", NULL, 20, IN_ARCHIVE,
                          0, "PAY-NOT-ARCHIVED"},
    [NM_PAY_BEFORE_EXIT] = {"near miss: payment on the day before the exit", NULL, 20, EXITED,
                            0, "PAY-NOT-ARCHIVED"},
    [NM_PAY_STRANGER_OLD] = {"near miss: payments to someone not archived, up to the day the "
                             "audit period starts", NULL, 10, IN_ARCHIVE, 0,
                             "PAY-NOT-ARCHIVED"},
    [NM_PAY_MED_EQUAL] = {"near miss: medical aid equal to the personal burden", NULL, 30,
                          IN_ARCHIVE, 0, "PAY-MEDICAL-OVER"},
    [NM_PAY_MED_UNKNOWN] = {"near miss: medical aid without a personal burden (not judged)",
                            NULL, 20, IN_ARCHIVE, 0, "PAY-MEDICAL-OVER"},
    [NM_PAY_CHANNEL_OLD] = {"near miss: a cash payment on the day the audit period starts",
                            NULL, 10, IN_ARCHIVE, 0, "PAY-CHANNEL"},
    /* candidate lists */
    [PL_CAND] = {"candidate outside the archive, own income below, no asset that "
                 "disqualifies", "CAND-ELIGIBLE", 100, SUBJECT, 0},
    [PL_CAND_TWO_LISTS] = {"such a candidate on two lists", "CAND-ELIGIBLE", 20, SUBJECT, 0},
    [PL_CAND_EXITED] = {"candidate of an exited household: no own income, the spouse earns",
                        "CAND-ELIGIBLE", 20, EXITED, NEED_SPOUSE},
    [NM_CAND_ARCHIVED] = {"near miss: candidate of a household in the archive", NULL, 1500,
                          SUBJECT, 0, "CAND-ELIGIBLE"},
    [NM_CAND_ABOVE] = {"near miss: candidate with wages above the standard", NULL, 2500,
                       SUBJECT, 0, "CAND-ELIGIBLE"},
    [NM_CAND_EQUAL] = {"near miss: candidate's income at the standard in one of the 3 months",
                       NULL, 30, SUBJECT, 0, "CAND-ELIGIBLE"},
    [NM_CAND_CAR] = {"near miss: low-income candidate with a car", NULL, 30, SUBJECT, 0,
                     "CAND-ELIGIBLE"},
    [NM_CAND_COMMERCIAL] = {"near miss: low-income candidate with commercial property", NULL,
                            20, SUBJECT, 0, "CAND-ELIGIBLE"},
    [NM_CAND_TWO_HOMES] = {"near miss: low-income candidate with two homes", NULL, 10,
                           SUBJECT, 0, "CAND-ELIGIBLE"},
    [NM_CAND_BUSINESS] = {"near miss: low-income candidate, legal representative or "
                          "shareholder of an active business", NULL, 10, SUBJECT, 0,
                          "CAND-ELIGIBLE"},
    [NM_CAND_NO_STD] = {"near miss: low-income candidate of a region without a standard "
                        "(not judged)", NULL, 10, SUBJECT, 0, "CAND-ELIGIBLE"},
    [NM_CAND_EXITED] = {"near miss: candidate of an exited household, its only earner, above "
                        "the standard", NULL, 20, EXITED, 0, "CAND-ELIGIBLE"},
};

/* The rules bound only with --process. */
static bool process_rule(const char *rule)
{
    static const char *const ids[] = {"CT-UNPAIRED", "CT-VISITS", "EX-PUBLICITY", "EX-NOTICE",
                                      "EX-FOLLOWUP", "PAY-NOT-ARCHIVED", "PAY-MEDICAL-OVER",
                                      "PAY-CHANNEL", "CAND-ELIGIBLE"};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        if (strcmp(rule, ids[i]) == 0)
            return true;
    return false;
}

static size_t plant_count[PL_COUNT];

/* ---- planted reference rows and expected flags -------------------------- */

/* Planted reference rows: of an archived person (P), or of a candidate
 * outside the archive (person NONE, id17 theirs). */
typedef struct prop_row {
    uint32_t person;
    uint64_t id17;
    uint8_t usage;                /* 0 residential 1 commercial 2 industrial 3 other */
    uint32_t region;
    uint32_t area_cm2;            /* m2 * 100 */
    xc_date reg, canc;
    char cert[96];
} prop_row;

typedef struct veh_row {
    uint32_t person;
    uint64_t id17;
    uint8_t kind;                 /* 0 car 1 truck 2 motorcycle 3 low_speed 4 other */
    xc_date reg, dereg;
    int64_t price;                /* fen, -1 unknown */
    char plate[16];
} veh_row;

typedef struct biz_row {
    uint32_t person;
    uint64_t id17;
    uint8_t role, status;         /* role 0 legal_rep 1 shareholder 2 executive;
                                     status 0 active 1 revoked 2 cancelled */
    int64_t capital;              /* fen */
    xc_date est, closed;
    char code[19];
} biz_row;

static const char *const usage_name[] = {"residential", "commercial", "industrial", "other"};
static const char *const vkind_name[] = {"car", "truck", "motorcycle", "low_speed", "other"};
static const char *const role_name[] = {"legal_rep", "shareholder", "executive"};
static const char *const bstatus_name[] = {"active", "revoked", "cancelled"};

#define VEC(T) struct { T *v; size_t n, cap; }
#define PUSH(vec, x) do { \
        if ((vec).n == (vec).cap) { \
            (vec).cap = (vec).cap ? (vec).cap * 2 : 64; \
            (vec).v = xrealloc((vec).v, (vec).cap * sizeof *(vec).v); \
        } \
        (vec).v[(vec).n++] = (x); \
    } while (0)

static VEC(prop_row) pl_prop;
static VEC(veh_row) pl_veh;
static VEC(biz_row) pl_biz;
static VEC(char *) expected;
static VEC(char *) near_misses;
static uint32_t cert_seq, plate_seq, biz_seq;

static char *dup_text(const char *t)
{
    char *s = xcalloc(strlen(t) + 1, 1);
    memcpy(s, t, strlen(t) + 1);
    return s;
}

/* rule,category,archive_no,masked_id,condition_from,condition_to; h NULL:
 * a person outside every household (no archive number). A flag of a
 * process rule is listed with --process only. */
static void expect(const char *rule, const char *category, const household *h,
                   const char *masked, xc_date from, xc_date to)
{
    if (!opt.process && process_rule(rule))
        return;
    char f[11] = "", t[11] = "", line[256];
    if (from != NODATE)
        xc_date_format(from, f);
    if (to != NODATE)
        xc_date_format(to, t);
    snprintf(line, sizeof line, "%s,%s,%s,%s,%s,%s", rule, category, h ? h->archive_no : "",
             masked, f, t);
    PUSH(expected, dup_text(line));
}

/* rule,archive_no,masked_id,what: a near miss the rule must not flag (h
 * NULL: a person outside every household, known by the masked ID). */
static void near_miss(const char *rule, const household *h, const char *masked,
                      const char *what)
{
    if (!opt.process && process_rule(rule))
        return;
    char line[512];
    snprintf(line, sizeof line, "%s,%s,%s,\"%s\"", rule, h ? h->archive_no : "", masked, what);
    PUSH(near_misses, dup_text(line));
}

/* The ID number of a planted row's owner. */
static uint64_t row_id(uint32_t owner, uint64_t id17)
{
    return owner != NONE ? P[owner].id17 : id17;
}

static void masked_id17(uint64_t id17, char out[32])
{
    char id[19];
    id_text(id17, id);
    mask_text(id, out, 32);
}

static void masked_of(uint32_t person_idx, char out[32])
{
    char id[19];
    id_text(P[person_idx].id17, id);
    mask_text(id, out, 32);
}

static void expect_person(const char *rule, const char *category, const household *h,
                          uint32_t person_idx, xc_date from, xc_date to)
{
    char m[32];
    masked_of(person_idx, m);
    expect(rule, category, h, m, from, to);
}

static void expect_worker(const char *rule, const char *category, const household *h,
                          xc_date from, xc_date to)
{
    expect_person(rule, category, h, h->first, from, to);
}

/* ---- the credit code of a business (GB 32100-2015) ---------------------- */

static void credit_code(rng *r, uint32_t region, char out[19])
{
    static const char cs[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    static const int w[] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    static const int ow[] = {3, 7, 9, 10, 5, 8, 4, 2};
    out[0] = '9';
    out[1] = rpm(r, 800) ? '1' : '2';
    snprintf(out + 2, 7, "%06u", region);
    /* organisation code (GB 11714): "MA", 6 characters and a check
     * character; a letter counts 10 (A) to 35 (Z) */
    int sum = 0;
    for (int i = 0; i < 8; i++) {
        char c = i == 0 ? 'M' : i == 1 ? 'A' : cs[rbelow(r, i == 2 ? 31 : 10)];
        out[8 + i] = c;
        sum += (c >= 'A' ? c - 'A' + 10 : c - '0') * ow[i];
    }
    int c9 = 11 - sum % 11;
    out[16] = c9 == 10 ? 'X' : c9 == 11 ? '0' : (char)('0' + c9);
    sum = 0;
    for (int i = 0; i < 17; i++) {
        const char *p = strchr(cs, out[i]);
        sum += (p ? (int)(p - cs) : 0) * w[i];
    }
    int c = 31 - sum % 31;
    out[17] = cs[c == 31 ? 0 : c];
    out[18] = '\0';
}

static void make_plate(rng *r, uint32_t region, char *out, size_t outsz)
{
    static const char letters[] = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    char city = region / 100 == 5301 ? 'A' : region / 100 == 5303 ? 'D'
              : region / 100 == 5325 ? 'G' : letters[rbelow(r, 24)];
    uint32_t n = plate_seq++;
    snprintf(out, outsz, "云%c%c%04u", city, letters[n / 10000 % 24], n % 10000);
}

static void make_cert(uint32_t region, xc_date reg, char *out, size_t outsz)
{
    int y, m, d;
    xc_date_to_ymd(reg, &y, &m, &d);
    snprintf(out, outsz, "云(%d)%s不动产权第%07u号", y, city_name(region), ++cert_seq % 10000000);
}

/* ---- building the archive ----------------------------------------------- */

static uint32_t new_person(void)
{
    if (n_p == cap_p) {
        cap_p = cap_p ? cap_p * 2 : 4096;
        P = xrealloc(P, cap_p * sizeof *P);
    }
    memset(&P[n_p], 0, sizeof *P);
    return (uint32_t)n_p++;
}

/* Every ID region's numbers of a thousand birth days running are taken:
 * the scale is past what the ID space holds. Households are drawn alike,
 * so the share of them built so far tells the largest scale that fits.
 * Happens while the archive is built, before any file is written. */
static void id_space_exhausted(uint32_t hh) __attribute__((noreturn));
static void id_space_exhausted(uint32_t hh)
{
    die("--scale %g: the archive's people outnumber its ID numbers (%u per sex on each "
        "birth day of each of %d regions): they ran out at household %u of %zu, so the "
        "largest scale this can do is about %.1f", opt.scale, opt.arch_seqs, n_idreg,
        hh + 1, n_hh, floor(opt.scale * hh / (double)n_hh * 10) / 10);
}

/* A person's number: from its ID region, birth date and sex (another
 * region's when that day is full there); another birth day when every
 * region's day is full. */
static void give_id(rng *r, person *p, uint32_t hh_region, bool want_x)
{
    uint32_t region;
    uint32_t k = rbelow(r, 100);
    if (k < 75)
        region = hh_region;
    else if (k < 95)
        region = ync[rbelow(r, (uint32_t)n_ync)];
    else
        region = idreg[rbelow(r, (uint32_t)n_idreg)];
    for (int tries = 0;; tries++) {
        uint64_t id = alloc_arch_id_any(region, p->birth, p->male, want_x);
        if (id) {
            p->id17 = id;
            return;
        }
        if (tries > 1000)
            id_space_exhausted(p->hh);
        p->birth += p->birth < A - 400 ? 1 : -1;
    }
}

/* Birth of an adult aged [lo, hi] years on as_of. */
static xc_date birth_aged(rng *r, int lo, int hi)
{
    return rday(r, months_before(A, hi * 12 + 11), months_before(A, lo * 12));
}

static uint32_t add_member(rng *r, household *h, uint8_t relation, xc_date birth, int male,
                           const char *surname, bool want_x)
{
    uint32_t i = new_person();
    person *p = &P[i];
    p->hh = (uint32_t)(h - H);
    p->relation = relation;
    p->male = (uint8_t)male;
    p->birth = birth < day0 ? day0 : birth >= A ? A - 1 : birth;
    give_id(r, p, h->region, want_x);
    gen_name(r, surname, p->name, sizeof p->name);
    p->hk_form = HKF_NORMAL;
    p->hk_status = HKS_NORMAL;
    p->hk_date = NODATE;
    p->hk_region = h->region;
    if (relation != REL_SELF && rpm(r, 20))      /* registered elsewhere: not the worker */
        p->hk_region = elsewhere[rbelow(r, COUNT(elsewhere))];
    else if (rpm(r, 100))
        p->hk_region = ync[rbelow(r, (uint32_t)n_ync)];
    p->employer = (uint16_t)rbelow(r, N_EMPLOYERS);
    h->n++;
    return i;
}

/* Members: the worker first, then spouse, children, parents. */
static void gen_members(rng *r, household *h, uint8_t needs)
{
    static const unsigned size_pm[] = {100, 320, 670, 880, 1000};   /* 1..5, cumulative */
    unsigned size = 1, k = rbelow(r, 1000);
    while (k >= size_pm[size - 1])
        size++;
    if ((needs & (NEED_NONWORKER | NEED_SPOUSE)) && size < 2)
        size = 2;
    if ((needs & NEED_PARENT) && size < 2)
        size = 2;
    h->first = (uint32_t)n_p;
    h->n = 0;
    int wmale = rpm(r, 550);
    xc_date wb = birth_aged(r, 24, 58);
    uint32_t w = add_member(r, h, REL_SELF, wb, wmale, NULL, false);
    char surname[8];
    first_char(P[w].name, surname);
    bool spouse = (needs & NEED_SPOUSE) || (size >= 2 && rpm(r, 820));
    unsigned left = size - 1;
    if ((needs & NEED_PARENT) && left) {
        add_member(r, h, REL_PARENT, wb - (xc_date)rrange(r, 20 * 365, 38 * 365),
                   (int)rbelow(r, 2), rpm(r, 500) ? surname : NULL, false);
        left--;
    }
    if (spouse && left) {
        add_member(r, h, REL_SPOUSE, wb + (xc_date)rrange(r, -2000, 2000), !wmale, NULL, false);
        left--;
    }
    for (; left; left--) {
        if (A - wb > 23 * 365 && rpm(r, 800)) {
            xc_date lo = wb + 20 * 365, hi = min_date(A - 30, wb + 40 * 365);
            add_member(r, h, REL_CHILD, rday(r, lo, hi), (int)rbelow(r, 2),
                       wmale ? surname : NULL, false);
        } else {
            add_member(r, h, rpm(r, 900) ? REL_PARENT : REL_OTHER,
                       wb - (xc_date)rrange(r, 20 * 365, 38 * 365), (int)rbelow(r, 2), NULL,
                       false);
        }
    }
}

/* A non-worker member, preferring the relation wanted. */
static uint32_t pick_member(rng *r, const household *h, int relation)
{
    for (uint32_t i = 1; i < h->n; i++)
        if (P[h->first + i].relation == relation)
            return h->first + i;
    return h->first + 1 + rbelow(r, h->n - 1);
}

/* An adult to hold an asset: the worker or the spouse. */
static uint32_t pick_adult(rng *r, const household *h)
{
    if (h->n > 1 && P[h->first + 1].relation == REL_SPOUSE && rpm(r, 400))
        return h->first + 1;
    return h->first;
}

/* A day in [lo, hi] on which the person was an adult, when there is one
 * (else hi). */
static xc_date rday_adult(rng *r, xc_date lo, xc_date hi, uint32_t who)
{
    xc_date adult = P[who].birth + 18 * 365;
    return rday(r, min_date(max_date(lo, adult), hi), hi);
}

static void set_bits(uint32_t *mask, xc_month from, xc_month to)
{
    for (xc_month m = from; m <= to; m++)
        if (m >= W0 && m <= L)
            *mask |= 1u << (m - W0);
}

static void clear_bits(uint32_t *mask, xc_month from, xc_month to)
{
    for (xc_month m = from; m <= to; m++)
        if (m >= W0 && m <= L)
            *mask &= ~(1u << (m - W0));
}

/* Exited cleanly: above the standard in the 6 months before the exit and
 * from then on. */
static void clean_exit_income(household *h)
{
    set_bits(&h->above, xc_date_month(h->exited) - 6, L);
}

static void add_prop(uint32_t owner, uint8_t usage, uint32_t region, xc_date reg,
                     xc_date canc, rng *r)
{
    prop_row x = {.person = owner, .usage = usage, .region = region,
                  .area_cm2 = (uint32_t)rrange(r, 3000, 16000), .reg = reg, .canc = canc};
    make_cert(region, reg, x.cert, sizeof x.cert);
    PUSH(pl_prop, x);
}

static void add_veh(uint32_t owner, uint8_t kind, xc_date reg, xc_date dereg, rng *r,
                    uint32_t region)
{
    veh_row x = {.person = owner, .kind = kind, .reg = reg, .dereg = dereg,
                 .price = rpm(r, 250) ? -1 : rrange(r, 30000, 250000) * 100};
    if (kind == 2)
        x.price = rpm(r, 250) ? -1 : rrange(r, 3000, 20000) * 100;
    make_plate(r, region, x.plate, sizeof x.plate);
    PUSH(pl_veh, x);
}

static void add_biz(uint32_t owner, uint8_t role, uint8_t status, xc_date est, xc_date closed,
                    rng *r, uint32_t region)
{
    biz_row x = {.person = owner, .role = role, .status = status,
                 .capital = rrange(r, 10, 5000) * 1000000, .est = est, .closed = closed};
    credit_code(r, region, x.code);
    biz_seq++;
    PUSH(pl_biz, x);
}

/* The planted publicity of an exit in the audit period (h->pa to h->pb)
 * and the exit date after it: from a Thursday across a plain weekend (4 or
 * 5 working days), or across a public holiday of the profile from the
 * second working day before it (4 or 5 working days, more weekdays: the
 * holiday's). Without a holiday in the audit period, the weekend kind. */
static void exit_publicity(rng *r, household *h, int pl)
{
    int days = pl == PL_EXP_SHORT || pl == PL_EXP_HOLIDAY ? EX_PUBLICITY - 1 : EX_PUBLICITY;
    h->var = 0;
    if (pl == PL_EXP_HOLIDAY || pl == NM_EXP_HOLIDAY_5) {
        int cand[64], n = 0;
        for (int i = 0; i < n_hols; i++)
            if (hols[i].first > audit_from + 20 && hols[i].last + 20 <= A &&
                weekdays_in(hols[i].first, hols[i].last) > 0)
                cand[n++] = i;
        if (n) {
            const day_range *hr = &hols[cand[rbelow(r, (uint32_t)n)]];
            h->pa = nth_workday_back(hr->first - 1, 2);
            h->pb = nth_workday(h->pa, days);
            if (h->pb <= hr->last || weekdays_in(h->pa, h->pb) <= days)
                die("publicity %d..%d around a holiday", h->pa, h->pb);
            h->var = 1;
        }
    }
    if (!h->var) {
        h->pa = plain_thursday(r, audit_from + 20, A - 20);
        h->pb = nth_workday(h->pa, days);
    }
    if (workdays_in(h->pa, h->pb) != days)
        die("publicity of %d working days planted as %d", workdays_in(h->pa, h->pb), days);
    h->exited = rday(r, h->pb + 2, min_date(h->pb + 15, A));
}

static const char *cat_mis = "mis_enrollment";
static const char *cat_missed = "missed_exit";

/* Dates, status, members, income pattern, planted rows and expected flags
 * of household hi. */
static void gen_household(uint32_t hi)
{
    household *h = &H[hi];
    rng rr = rstream(S_HOUSEHOLD, hi), *r = &rr;
    int pl = h->plant;
    const plant_def *def = &plants[pl];
    /* where, what level, why */
    uint32_t total = 0, k;
    for (size_t i = 0; i < N_COUNTIES; i++)
        total += county_weight[i];
    k = rbelow(r, total);
    size_t ci = 0;
    while (k >= county_weight[ci])
        k -= county_weight[ci++];
    h->region = counties[ci];
    snprintf(h->archive_no, sizeof h->archive_no, "KN%06u-%07u", h->region, hi + 1);
    k = rbelow(r, 100);
    h->level = k < 3 ? 0 : k < 25 ? 1 : 2;
    h->causes = (uint8_t)(1u << rbelow(r, 7));
    if (rpm(r, 350))
        h->causes |= (uint8_t)(1u << rbelow(r, 7));
    /* a cadre pairs with about 25 households; the planted ones have none */
    h->cadre = pl == PL_CT_UNPAIRED || pl == NM_CT_UNPAIRED_EXITED
             ? 0 : 1 + rbelow(r, (uint32_t)(n_hh / 25 + 1));
    h->extra = NONE;
    h->target = NONE;
    h->exited = NODATE;
    h->pa = h->pb = NODATE;

    /* status and dates */
    int cls = def->cls;
    if (pl == PL_NONE) {
        k = rbelow(r, 1000);
        cls = k < 860 ? IN_ARCHIVE : k < 970 ? EXITED : CANCELLED;
    } else if (cls == SCOPED) {
        cls = rpm(r, 800) ? IN_ARCHIVE : EXITED;
    }
    if (cls == IN_ARCHIVE) {
        h->status = rpm(r, 900) ? ST_ACTIVE : ST_RELIEVED;
        h->enrolled = rday(r, A - 3650, A - 30);
    } else if (cls == LEAVING) {  /* exits after as_of: in the archive on as_of */
        h->status = rpm(r, 700) ? ST_EXITED : ST_CANCELLED;
        h->enrolled = rday(r, A - 3650, A - 30);
        h->exited = rday(r, A + 1, A + 90);
    } else {
        h->status = cls == EXITED ? ST_EXITED : ST_CANCELLED;
        h->enrolled = rday(r, A - 3650, A - 400);
        h->exited = rday(r, max_date(h->enrolled + 200, A - 5 * 365), A);
    }
    switch (pl) {      /* plants that need particular dates */
    case PL_DUP_FIRST:
    case NM_DUP_FIRST:
        h->enrolled = rday(r, A - 3650, A - 1900);
        if (h->status == ST_EXITED)
            h->exited = rday(r, h->enrolled + 400, A);
        break;
    case PL_DUP:
    case NM_DUP:
        h->enrolled = rday(r, A - 1800, A - 30);
        break;
    case PL_ENROLL_HIGH:
    case NM_ENROLL_2OF3: {
        xc_month e = (xc_month)rrange(r, W0 + 3, L - 1);
        h->enrolled = rday(r, mstart(e), min_date(mend(e), A));
        break;
    }
    case PL_EXIT_DUE:
    case NM_EXIT_EQUAL:
        h->enrolled = rday(r, A - 3650, mstart(L - 6) - 1);
        break;
    case NM_EXIT_5:
        h->enrolled = rday(r, A - 3650, mstart(L - 5) - 1);
        break;
    case PL_EX_WRONG:
    case NM_EXWRONG_6: {
        xc_month x = (xc_month)rrange(r, L - 9, xc_date_month(A));
        h->exited = rday(r, mstart(x), min_date(mend(x), A));
        if (pl == PL_EX_WRONG && rpm(r, 200))
            h->exited = audit_from + 1;     /* the first day audited */
        h->enrolled = rday(r, A - 3650, h->exited - 400);
        break;
    }
    case NM_EX_BEFORE_AUDIT:
        h->exited = audit_from;
        h->enrolled = rday(r, A - 3650, h->exited - 400);
        break;
    case PL_EX_RELAPSE:
    case NM_RELAPSE_ABOVE:
    case NM_RELAPSE_EQUAL:
        h->exited = rday(r, A - 4 * 365, mend(L - 3));
        h->enrolled = rday(r, A - 3650, h->exited - 300);
        break;
    /* ---- process plants that need particular dates */
    case PL_CT_UNPAIRED:          /* new and not paired yet, or in touch with the office */
        h->var = (uint8_t)rbelow(r, 2);
        h->enrolled = h->var == 0 ? rday(r, ct_last + 1, A - 20) : rday(r, A - 3650, A - 400);
        break;
    case PL_CT_NO_VISIT:
    case PL_CT_FEW_CALLS:
    case PL_CT_SILENT:
    case PL_CT_VISIT_EARLY:
    case NM_CT_LAST_DAY:
    case NM_CT_FIRST_DAY:         /* enrolled before the window: every period judged */
        h->enrolled = rday(r, A - 3650, A - 400);
        break;
    case NM_CT_MID_ENROLL:        /* inside the window and a period, before the last */
        h->enrolled = rday(r, ct_window, ct_last - 1);
        if (h->enrolled == period_start(h->enrolled))
            h->enrolled++;
        break;
    case NM_CT_NEW:
        h->enrolled = rday(r, ct_last + 1, A - 20);
        break;
    case PL_EXP_SHORT:
    case NM_EXP_5:
    case PL_EXP_HOLIDAY:
    case NM_EXP_HOLIDAY_5:
        exit_publicity(r, h, pl);
        h->enrolled = rday(r, A - 3650, h->exited - 400);
        break;
    case PL_EXP_NO_DATES:
    case PL_EXP_NO_RECORD:
    case PL_EXN_NO_NOTICE:
    case NM_EXN_SAME_DAY:
    case NM_EXP_REPEAT:
        h->exited = rday(r, audit_from + 1, A);
        h->enrolled = rday(r, A - 3650, h->exited - 400);
        break;
    case NM_EXP_BEFORE_AUDIT:
        h->exited = audit_from;
        h->enrolled = rday(r, A - 3650, h->exited - 400);
        break;
    case PL_EXF_DAY_EARLY:
    case PL_EXF_NONE:
    case NM_EXF_ON_DUE:           /* in the audit period, 6 months old on as_of */
        h->exited = rday(r, audit_from + 1, fu_last);
        h->enrolled = rday(r, A - 3650, h->exited - 400);
        break;
    case NM_EXF_YOUNG:
        h->exited = rday(r, fu_last + 1, A - 10);
        h->enrolled = rday(r, A - 3650, h->exited - 400);
        break;
    case PL_PAY_BEFORE_ENROLL:
    case NM_PAY_ON_ENROLL:        /* enrolled in the audit period */
        h->enrolled = rday(r, audit_from + 2, A - 30);
        break;
    case PL_PAY_EXIT_DAY:
    case NM_PAY_BEFORE_EXIT:
        h->exited = rday(r, audit_from + 2, A);
        h->enrolled = rday(r, A - 3650, h->exited - 400);
        break;
    default:
        break;
    }

    /* people */
    gen_members(r, h, def->needs);
    person *w = &P[h->first];
    uint32_t t = NONE;
    if (def->needs & NEED_PARENT)
        t = pick_member(r, h, REL_PARENT);
    else if (def->needs & NEED_NONWORKER)
        t = pick_member(r, h, REL_SPOUSE);
    h->target = t;

    /* earners: the worker, maybe the spouse, parents with a pension */
    h->above = h->equal = 0;
    if (h->status == ST_EXITED && h->exited <= A)
        clean_exit_income(h);

    switch (pl) {
    /* ---- identity */
    case PL_ID_INVALID:
    case NM_ID_CANCELLED: {
        P[t].id_form = IDF_BADCHECK;
        if (pl == PL_ID_INVALID) {
            char id[19], m[32];
            id_text(P[t].id17, id);
            id[17] = id[17] == '9' ? 'X' : id[17] == 'X' ? '0' : (char)(id[17] + 1);
            mask_text(id, m, sizeof m);
            expect("ID-INVALID", "data_quality", h, m, NODATE, NODATE);
        }
        break;
    }
    case PL_ID_LEGACY:
        P[t].id_form = IDF_LEGACY;
        if (id_year(P[t].id17) < 1900 || id_year(P[t].id17) > 1999)
            die("ID-LEGACY plant born %d", id_year(P[t].id17));
        expect_person("ID-LEGACY", "data_quality", h, t, NODATE, NODATE);
        break;
    case PL_ID_NOT_FOUND:
        P[t].hk_form = HKF_NONE;
        expect_person("ID-NOT-FOUND", "data_quality", h, t, NODATE, NODATE);
        break;
    case PL_ID_NAME: {
        P[t].hk_form = HKF_OTHERNAME;
        char s[8];
        first_char(P[t].name, s);
        do
            gen_name(r, rpm(r, 500) ? s : NULL, P[t].hk_name, sizeof P[t].hk_name);
        while (strcmp(P[t].hk_name, P[t].name) == 0);
        expect_person("ID-NAME-MISMATCH", "data_quality", h, t, NODATE, NODATE);
        break;
    }
    case NM_ID_FULLWIDTH:
        P[t].id_form = IDF_FULLWIDTH;
        break;
    /* ---- the archive's structure */
    case PL_HH_NO_SELF:
        h->shape = SH_NO_SELF;
        expect_worker("HH-NO-SELF", "data_quality", h, NODATE, NODATE);
        break;
    case PL_HH_MULTI_SELF:
        h->shape = SH_MULTI_SELF;
        expect_worker("HH-MULTI-SELF", "data_quality", h, NODATE, NODATE);
        break;
    case PL_HH_WORKER: {
        /* the worker's number with another birth day: someone else's */
        xc_date b = w->birth;
        for (int tries = 0; !h->typed_id17; tries++) {
            b += b < A - 400 ? 1 : -1;
            h->typed_id17 = alloc_arch_id_any((uint32_t)(w->id17 / 100000000000ULL), b,
                                              w->male, false);
            if (tries > 1000)
                die("no typed worker number");
        }
        h->shape = SH_WORKER_TYPED;
        char m[32];
        masked_id17(h->typed_id17, m);
        expect("HH-WORKER-NOT-MEMBER", "data_quality", h, m, NODATE, NODATE);
        break;
    }
    case PL_MB_DUP:
        h->shape = SH_DUP_ROW;
        expect_person("MB-DUPLICATE", "data_quality", h, t, NODATE, NODATE);
        break;
    case PL_MB_DUP_WORKER:
        h->shape = SH_DUP_WORKER;
        expect_worker("MB-DUPLICATE", "data_quality", h, NODATE, NODATE);
        break;
    case NM_HH_SELF_LAST:
        h->shape = SH_SELF_LAST;
        break;
    case NM_HH_WORKER_BLANKS:
        h->shape = SH_WORKER_BLANKS;
        break;
    case NM_MB_SAME_NAME:
        memcpy(P[t].name, w->name, sizeof P[t].name);
        break;
    case NM_ID_BLANKS:
        P[t].id_form = IDF_BLANKS;
        break;
    case NM_LOWERX: {
        /* a number ending in X for this member */
        person *p = &P[t];
        uint64_t id = 0;
        for (int tries = 0; !id; tries++) {
            id = alloc_arch_id_any((uint32_t)(p->id17 / 100000000000ULL), p->birth, p->male,
                                   true);
            if (!id)
                p->birth -= 1;
            if (tries > 1000)
                die("no X number");
        }
        p->id17 = id;
        p->hk_form = HKF_LOWERX;
        break;
    }
    case NM_NAME_DOT: {
        char s[8];
        first_char(P[t].name, s);
        gen_dotted(r, s, P[t].name, sizeof P[t].name);
        bullet_variant(P[t].name, P[t].hk_name, sizeof P[t].hk_name);
        P[t].hk_form = HKF_DOTNAME;
        break;
    }
    /* ---- hukou */
    case PL_DEC_MIS:
        w->hk_status = HKS_DECEASED;
        w->hk_date = rpm(r, 200) ? h->enrolled : rday(r, h->enrolled - 1500, h->enrolled - 1);
        expect_worker("HK-DECEASED", cat_mis, h, w->hk_date, NODATE);
        break;
    case PL_DEC_MISSED:
        w->hk_status = HKS_DECEASED;
        w->hk_date = rpm(r, 100) ? A : rday(r, h->enrolled + 1, A);
        expect_worker("HK-DECEASED", cat_missed, h, w->hk_date, NODATE);
        break;
    case NM_DEC_FUTURE:
        w->hk_status = HKS_DECEASED;
        w->hk_date = rpm(r, 200) ? A + 1 : rday(r, A + 1, A + LATER_DAYS);
        break;
    case NM_DEC_MEMBER:
        P[t].hk_status = HKS_DECEASED;
        P[t].hk_date = rday(r, max_date(h->enrolled - 1000, P[t].birth + 1), A);
        break;
    case PL_MOVED_OUT:
        w->hk_status = HKS_MOVED_OUT;
        w->hk_date = rday(r, h->enrolled + 1, A);
        expect_worker("HK-MOVED", cat_missed, h, w->hk_date, NODATE);
        break;
    case PL_MOVED_PROV:
        w->hk_region = elsewhere[rbelow(r, COUNT(elsewhere))];
        expect_worker("HK-MOVED", cat_missed, h, NODATE, NODATE);
        break;
    case NM_MOVED_FUTURE:
        w->hk_status = HKS_MOVED_OUT;
        w->hk_date = rpm(r, 200) ? A + 1 : rday(r, A + 1, A + LATER_DAYS);
        break;
    case NM_MOVED_COUNTY:
        do
            w->hk_region = ync[rbelow(r, (uint32_t)n_ync)];
        while (w->hk_region == h->region);
        break;
    /* ---- property */
    case PL_PRC_MIS:
    case PL_PRC_MIS_CANC:
    case PL_PRC_MISSED: {
        uint32_t o = pick_adult(r, h);
        xc_date reg = pl == PL_PRC_MISSED ? rday(r, h->enrolled + 1, A)
                                          : rday_adult(r, h->enrolled - 4000, h->enrolled, o);
        xc_date canc = pl == PL_PRC_MIS_CANC ? rday(r, h->enrolled + 1, A) : NODATE;
        add_prop(o, rpm(r, 800) ? 1 : 2, h->region, reg, canc, r);
        expect_person("PR-COMMERCIAL", pl == PL_PRC_MISSED ? cat_missed : cat_mis, h, o, reg,
                      NODATE);
        break;
    }
    case NM_PRC_CANC: {
        uint32_t o = pick_adult(r, h);
        xc_date reg = rday(r, h->enrolled + 1, A - 1);
        add_prop(o, 1, h->region, reg, rpm(r, 200) ? A : rday(r, reg + 1, A), r);
        break;
    }
    case NM_PRC_BEFORE: {
        uint32_t o = pick_adult(r, h);
        xc_date reg = rday_adult(r, h->enrolled - 4000, h->enrolled - 30, o);
        add_prop(o, 1, h->region, reg, rpm(r, 200) ? h->enrolled : rday(r, reg + 1, h->enrolled),
                 r);
        break;
    }
    case PL_PRM_MIS:
    case PL_PRM_MISSED: {
        uint32_t o2 = h->n > 1 && P[h->first + 1].relation == REL_SPOUSE ? h->first + 1
                                                                           : h->first;
        xc_date r1, r2;
        if (pl == PL_PRM_MIS) {
            r1 = rday_adult(r, h->enrolled - 5000, h->enrolled - 2, h->first);
            r2 = rday(r, r1 + 1, h->enrolled);
        } else if (rpm(r, 700)) {
            r1 = rday_adult(r, h->enrolled - 5000, h->enrolled, h->first);
            r2 = rday(r, h->enrolled + 1, A);
        } else {
            r1 = rday(r, h->enrolled + 1, A - 1);
            r2 = rday(r, r1 + 1, A);
        }
        add_prop(h->first, 0, h->region, r1, NODATE, r);
        add_prop(o2, 0, ync[rbelow(r, (uint32_t)n_ync)], r2, NODATE, r);
        expect_worker("PR-MULTI", pl == PL_PRM_MIS ? cat_mis : cat_missed, h, r2, NODATE);
        break;
    }
    case NM_PR_COOWN: {
        xc_date reg = rday_adult(r, h->enrolled - 5000, A, h->first);
        add_prop(h->first, 0, h->region, reg, NODATE, r);
        prop_row x = pl_prop.v[pl_prop.n - 1];
        x.person = h->first + 1;
        PUSH(pl_prop, x);
        break;
    }
    /* ---- vehicles */
    case PL_VH_MIS:
    case PL_VH_MIS_DEREG:
    case PL_VH_MISSED:
    case PL_VH_NEXTDAY:
    case PL_VH_LATE_EXIT: {
        uint32_t o = pick_adult(r, h);
        xc_date reg, dereg = NODATE;
        if (pl == PL_VH_MISSED || pl == PL_VH_LATE_EXIT)
            reg = rday(r, h->enrolled + 2, A);
        else if (pl == PL_VH_NEXTDAY)
            reg = h->enrolled + 1;
        else
            reg = rpm(r, 100) ? h->enrolled : rday_adult(r, h->enrolled - 3000, h->enrolled, o);
        if (pl == PL_VH_MIS_DEREG)
            dereg = rpm(r, 300) ? h->enrolled + 1 : rday(r, h->enrolled + 1, A);
        add_veh(o, rpm(r, 850) ? 0 : 1, reg, dereg, r, h->region);
        expect_person("VH-CAR", pl == PL_VH_MIS || pl == PL_VH_MIS_DEREG ? cat_mis : cat_missed,
                      h, o, reg, NODATE);
        break;
    }
    case NM_VH_MOTO: {
        uint32_t o = pick_adult(r, h);
        add_veh(o, rpm(r, 800) ? 2 : 3, rday_adult(r, h->enrolled - 3000, A, o), NODATE, r,
                h->region);
        break;
    }
    case NM_VH_DEREG: {
        uint32_t o = pick_adult(r, h);
        if (rpm(r, 600)) {
            xc_date reg = rday(r, h->enrolled + 1, A - 1);
            add_veh(o, 0, reg, rpm(r, 200) ? A : rday(r, reg + 1, A), r, h->region);
        } else {
            xc_date reg = rday_adult(r, h->enrolled - 3000, h->enrolled - 30, o);
            add_veh(o, 0, reg, rday(r, reg + 1, h->enrolled), r, h->region);
        }
        break;
    }
    case NM_VH_EXITED: {
        uint32_t o = pick_adult(r, h);
        add_veh(o, 0, rday_adult(r, h->enrolled - 3000, A, o), NODATE, r, h->region);
        break;
    }
    /* ---- business */
    case PL_BZ_MIS:
    case PL_BZ_MIS_CLOSED:
    case PL_BZ_MISSED: {
        uint32_t o = pick_adult(r, h);
        xc_date est = pl == PL_BZ_MISSED ? rday(r, h->enrolled + 1, A)
                                         : rday_adult(r, h->enrolled - 4000, h->enrolled, o);
        uint8_t st = 0;
        xc_date closed = NODATE;
        if (pl == PL_BZ_MIS_CLOSED) {
            st = rpm(r, 500) ? 1 : 2;
            closed = rday(r, h->enrolled + 1, A);
        }
        add_biz(o, (uint8_t)rbelow(r, 2), st, est, closed, r, h->region);
        expect_person("BZ-ROLE", pl == PL_BZ_MISSED ? cat_missed : cat_mis, h, o, est, NODATE);
        break;
    }
    case NM_BZ_REVOKED: {
        uint32_t o = pick_adult(r, h);
        xc_date est = rday_adult(r, h->enrolled - 4000, h->enrolled - 30, o);
        add_biz(o, (uint8_t)rbelow(r, 2), 1, est, rday(r, est + 1, h->enrolled), r, h->region);
        break;
    }
    case NM_BZ_EXEC: {
        uint32_t o = pick_adult(r, h);
        add_biz(o, 2, 0, rday_adult(r, h->enrolled - 4000, A, o), NODATE, r, h->region);
        break;
    }
    /* ---- income */
    case PL_ENROLL_HIGH:
    case NM_ENROLL_2OF3: {
        xc_month e = xc_date_month(h->enrolled);
        set_bits(&h->above, e - 3, e - 1);
        if (pl == NM_ENROLL_2OF3) {   /* one of the three below */
            xc_month skip = e - 3 + (xc_month)rbelow(r, 3);
            clear_bits(&h->above, skip, skip);
        }
        if (pl == PL_ENROLL_HIGH && meets_hole(e - 3, e - 1))
            n_hole_dropped++;     /* a month of them is not covered: not judged */
        else if (pl == PL_ENROLL_HIGH)
            expect_worker("IN-ENROLL-HIGH", cat_mis, h, mstart(e - 3), mend(e - 1));
        break;
    }
    case PL_EXIT_DUE:
    case NM_EXIT_5:
    case NM_EXIT_EQUAL: {
        int len = pl == NM_EXIT_5 ? 5 : 6;
        xc_month e = xc_date_month(h->enrolled);
        xc_month lo = e + 1 > W0 ? e + 1 : W0;
        xc_month s = (xc_month)rrange(r, lo, L - len + 1);
        set_bits(&h->above, s, s + len - 1);
        if (pl == NM_EXIT_EQUAL) {
            clear_bits(&h->above, s + 2, s + 2);
            h->equal |= 1u << (s + 2 - W0);
        }
        if (pl == PL_EXIT_DUE && meets_hole(s, s + 5))
            n_hole_dropped++;     /* the run is broken by the hole */
        else if (pl == PL_EXIT_DUE)
            expect_worker("IN-EXIT-DUE", cat_missed, h, mstart(s), mend(s + 5));
        /* a quarter with a member's row given twice, counted once: the
         * member earns nothing, so counted twice the household would be
         * one larger and poorer */
        if (pl == PL_EXIT_DUE && h->n >= 2 && rpm(r, 250)) {
            t = h->target = h->first + h->n - 1;
            h->shape = SH_DUP_ROW;
            expect_person("MB-DUPLICATE", "data_quality", h, t, NODATE, NODATE);
        }
        break;
    }
    case PL_EX_WRONG:
    case NM_EXWRONG_6:
    case NM_EX_BEFORE_AUDIT: {
        xc_month x = xc_date_month(h->exited);
        int months = pl == NM_EXWRONG_6 ? 6 : (int)rrange(r, 2, 5);
        if ((pl == NM_EX_BEFORE_AUDIT) != (h->exited <= audit_from) || h->exited > A)
            die("exit %d of %s outside the audit period", h->exited, h->archive_no);
        h->above = 0;
        set_bits(&h->above, x - months, L);
        if (pl == PL_EX_WRONG && meets_hole(x - 6, x - 1))
            n_hole_dropped++;     /* the months before the exit are not all covered */
        else if (pl == PL_EX_WRONG)
            expect_worker("EX-WRONG", "wrong_exit", h, h->exited, NODATE);
        break;
    }
    case PL_EX_RELAPSE:
    case NM_RELAPSE_ABOVE:
    case NM_RELAPSE_EQUAL: {
        xc_month x = xc_date_month(h->exited);
        h->above = 0;
        set_bits(&h->above, x - 6, L - 3);
        xc_month one = L - 2 + (xc_month)rbelow(r, 3);
        if (pl == NM_RELAPSE_ABOVE)
            set_bits(&h->above, one, one);
        if (pl == NM_RELAPSE_EQUAL)
            h->equal |= 1u << (one - W0);
        if (pl == PL_EX_RELAPSE)
            expect_worker("EX-RELAPSE", "relapse", h, mstart(L - 2), mend(L));
        break;
    }
    default:
        break;
    }

    /* who earns: whenever the pattern has a month at or above the standard,
     * the worker does; otherwise maybe; nobody dead or unidentifiable does */
    bool must = h->above || h->equal;
    for (uint32_t i = 0; i < h->n; i++) {
        person *p = &P[h->first + i];
        bool special = h->first + i == t || p->hk_status != HKS_NORMAL;
        bool old = p->birth < months_before(A, 60 * 12);
        if (special && !(must && i == 0))
            continue;
        if (i == 0 && (must || rpm(r, 550)))
            p->earner = old ? EARN_PENSION : rpm(r, 60) && !must ? EARN_BENEFIT : EARN_WAGE;
        else if (i > 0 && p->relation == REL_SPOUSE && rpm(r, 300))
            p->earner = EARN_WAGE;
        else if (i > 0 && old && rpm(r, 400))
            p->earner = EARN_PENSION;
    }
    if (pl == PL_CAND_EXITED) {   /* the spouse earns it all, the worker nothing */
        person *sp = &P[h->first + 1];
        if (sp->relation != REL_SPOUSE)
            die("household %s has no spouse", h->archive_no);
        sp->earner = sp->birth < months_before(A, 60 * 12) ? EARN_PENSION : EARN_WAGE;
        P[h->first].earner = EARN_NONE;
    } else if (pl == NM_CAND_EXITED) {   /* the worker alone */
        for (uint32_t i = 1; i < h->n; i++)
            P[h->first + i].earner = EARN_NONE;
    }
    if (must && P[h->first].earner == EARN_NONE && pl != PL_CAND_EXITED)
        die("household %s has income but no earner", h->archive_no);
    unsigned left = 1000, n_earn = 0;
    for (uint32_t i = 0; i < h->n; i++)
        n_earn += P[h->first + i].earner != EARN_NONE;
    for (uint32_t i = 0; i < h->n; i++) {
        person *p = &P[h->first + i];
        if (p->earner == EARN_NONE)
            continue;
        if (--n_earn == 0)
            p->share = (uint16_t)left;
        else
            p->share = (uint16_t)rrange(r, left / 3 > 0 ? left / 3 : 1, left * 3 / 4);
        left -= p->share;
    }
}

/* The DUP-PERSON pairs: the parent of the earlier household is listed in
 * the later one too. A quarter of the flagged pairs are enrolled the same
 * day: then the later archive number is flagged (either of the two). */
static void link_pairs(void)
{
    for (uint32_t hi = 0; hi < n_hh; hi++) {
        household *h = &H[hi];
        if (h->plant != PL_DUP && h->plant != NM_DUP)
            continue;
        const household *first = &H[h->partner];
        h->extra = first->target;
        if (first->target == NONE || P[first->target].earner != EARN_NONE ||
            P[first->target].relation != REL_PARENT)
            die("bad DUP pair %s", h->archive_no);
        if (first->enrolled >= h->enrolled)
            die("DUP pair out of order %s", h->archive_no);
        if (h->plant != PL_DUP)
            continue;
        rng r = rstream(S_PLAN, 1 + hi);
        const household *flagged = h;
        if (rpm(&r, 250)) {
            h->enrolled = first->enrolled;
            flagged = strcmp(h->archive_no, first->archive_no) > 0 ? h : first;
        }
        expect_person("DUP-PERSON", cat_mis, flagged, h->extra, flagged->enrolled, NODATE);
    }
}

/* How many of a plant: its rate, at least one. */
static size_t plant_want(int pl)
{
    double want = plants[pl].per_100k * (double)n_hh / 100000.0;
    return want < 1 ? 1 : (size_t)llround(want);
}

static void plan_plants(void)
{
    rng r = rstream(S_PLAN, 0);
    uint32_t *perm = xcalloc(n_hh, sizeof *perm);
    for (uint32_t i = 0; i < n_hh; i++)
        perm[i] = i;
    for (uint32_t i = (uint32_t)n_hh; i > 1; i--) {
        uint32_t j = rbelow(&r, i);
        uint32_t tmp = perm[i - 1];
        perm[i - 1] = perm[j];
        perm[j] = tmp;
    }
    size_t next = 0;
    for (int pl = 1; pl < PL_COUNT; pl++) {
        if (!plants[pl].per_100k || plants[pl].cls == SUBJECT)
            continue;
        size_t count = plant_want(pl);
        size_t per = pl == PL_DUP || pl == NM_DUP ? 2 : 1;
        if (next + count * per > n_hh / 2)
            die("--scale too small: %zu households cannot hold the planted ones", n_hh);
        for (size_t c = 0; c < count; c++) {
            uint32_t h = perm[next++];
            H[h].plant = (uint8_t)pl;
            plant_count[pl]++;
            if (per == 2) {
                uint32_t f = perm[next++];
                H[f].plant = pl == PL_DUP ? PL_DUP_FIRST : NM_DUP_FIRST;
                plant_count[H[f].plant]++;
                H[h].partner = f;
                H[f].partner = h;
            }
        }
    }
    free(perm);
}

/* ---- the process data: contacts, exits, follow-ups, payments ------------- */

/* xcheck's "in the archive on day d" (engine/pipeline/evaluate.c). */
static bool in_archive_on(const household *h, xc_date d)
{
    if (h->enrolled > d)
        return false;
    if (h->status == ST_ACTIVE || h->status == ST_RELIEVED)
        return true;
    return h->exited != NODATE && h->exited > d;
}

/* The complete half-years CT-VISITS judges for h: inside the window, begun
 * on or after enrolled_on, ended on or before as_of. */
static int judged_periods(const household *h, xc_date s[], xc_date e[], int max)
{
    xc_date ws = max_date(ct_window, h->enrolled);
    xc_date ps = period_start(ws);
    if (ps < ws)
        ps = period_end(ws) + 1;
    int n = 0;
    for (; period_end(ps) <= A && n < max; ps = period_end(ps) + 1) {
        s[n] = ps;
        e[n++] = period_end(ps);
    }
    return n;
}

typedef struct exit_row {
    uint32_t hh;
    xc_date applied, from, to, approved, notified;   /* NODATE: empty */
} exit_row;

typedef struct fu_row {
    uint32_t hh;
    xc_date on;
} fu_row;

static VEC(exit_row) exit_rows;
static VEC(fu_row) fu_rows;
static const char *const cat_process = "process";

static void add_followup(uint32_t hi, xc_date d)
{
    if (d <= A)
        PUSH(fu_rows, ((fu_row){hi, d}));
}

/* The exit record(s) of an exited household; the flags of EX-PUBLICITY and
 * EX-NOTICE. Publicity of 5 to 10 working days, approval up to 5 days
 * before the exit, the written notice within 4 days of the approval. */
static void plan_exit_record(rng *r, uint32_t hi, const char *wm)
{
    household *h = &H[hi];
    int pl = h->plant;
    if (pl == PL_EXP_NO_RECORD) {
        expect("EX-PUBLICITY", cat_process, h, wm, NODATE, NODATE);
        return;
    }
    exit_row e = {.hh = hi};
    if (h->pa != NODATE) {        /* planted publicity */
        e.from = h->pa;
        e.to = h->pb;
        e.approved = rday(r, e.to + 1, h->exited);
    } else {
        e.approved = h->exited - (xc_date)rrange(r, 0, 5);
        e.to = e.approved - (xc_date)rrange(r, 1, 6);
        e.from = nth_workday_back(e.to, pl == NM_EXP_BEFORE_AUDIT ? 3 : 5 + (int)rbelow(r, 6));
    }
    e.notified = e.approved + (xc_date)rrange(r, 0, 4);
    e.applied = e.from - (xc_date)rrange(r, 7, 30);
    switch (pl) {
    case PL_EXP_SHORT:
    case PL_EXP_HOLIDAY:
        expect("EX-PUBLICITY", cat_process, h, wm, e.from, e.to);
        break;
    case PL_EXP_NO_DATES:
        h->var = (uint8_t)rbelow(r, 4);   /* both dates empty, or one of them */
        if (h->var != 2)
            e.from = NODATE;
        if (h->var != 3)
            e.to = NODATE;
        expect("EX-PUBLICITY", cat_process, h, wm, e.from, e.to);
        break;
    case PL_EXN_NO_NOTICE:
        e.notified = NODATE;
        expect("EX-NOTICE", cat_process, h, wm, e.approved, NODATE);
        break;
    case NM_EXN_SAME_DAY:
        e.notified = e.approved;
        break;
    case NM_EXP_BEFORE_AUDIT:
        e.notified = NODATE;
        break;
    case NM_EXP_REPEAT: {         /* a first publicity, cut short after a complaint */
        exit_row first = {.hh = hi, .approved = NODATE, .notified = NODATE};
        first.from = nth_workday(e.from - (xc_date)rrange(r, 20, 40), 1);
        first.to = nth_workday(first.from, 2 + (int)rbelow(r, 2));
        first.applied = e.applied = first.from - (xc_date)rrange(r, 7, 30);
        PUSH(exit_rows, first);
        break;
    }
    default:
        if (h->exited <= audit_from) {   /* older records, less complete: not judged */
            if (rpm(r, 30))
                e.notified = NODATE;
            else if (rpm(r, 20))
                e.from = e.to = NODATE;
        }
    }
    if (e.from != NODATE && e.to != NODATE && h->exited > audit_from &&
        (workdays_in(e.from, e.to) >= EX_PUBLICITY) != (plants[pl].rule == NULL ||
                                                       strcmp(plants[pl].rule, "EX-PUBLICITY")))
        die("%s: publicity %d..%d of %d working days", h->archive_no, e.from, e.to,
            workdays_in(e.from, e.to));
    PUSH(exit_rows, e);
}

/* Follow-ups about 1, 3 and 5-6 months after an exit; the flags of
 * EX-FOLLOWUP. */
static void plan_followups(rng *r, uint32_t hi, const char *wm)
{
    household *h = &H[hi];
    int pl = h->plant;
    xc_date x = h->exited, due = months_after(x, EX_FOLLOWUP_MIN);
    xc_date six = months_after(x, EX_FOLLOWUP_AFTER);
    xc_date first = x + (xc_date)rrange(r, 15, 45);
    switch (pl) {
    case NM_EXP_BEFORE_AUDIT:
    case NM_EXF_YOUNG:
        break;
    case PL_EXF_DAY_EARLY:
    case NM_EXF_ON_DUE:
        add_followup(hi, first);
        add_followup(hi, pl == PL_EXF_DAY_EARLY ? due - 1 : due);
        if (pl == PL_EXF_DAY_EARLY)
            expect("EX-FOLLOWUP", cat_process, h, wm, x, due);
        break;
    case PL_EXF_NONE:
        h->var = (uint8_t)rbelow(r, 2);   /* none, or only in the first months */
        if (h->var) {
            add_followup(hi, first);
            add_followup(hi, months_after(x, 3) + (xc_date)rrange(r, -10, 10));
        }
        expect("EX-FOLLOWUP", cat_process, h, wm, x, due);
        break;
    default:
        add_followup(hi, first);
        add_followup(hi, months_after(x, 3) + (xc_date)rrange(r, -10, 10));
        if (due <= A)
            add_followup(hi, rday(r, due, min_date(six, A)));
    }
}

/* Model-time decisions of the process data for household hi, the flags it
 * must raise and its near misses. Contacts and payments are written from
 * these (write_contact, write_payment). */
static void plan_process(uint32_t hi)
{
    household *h = &H[hi];
    rng rr = rstream(S_PROCESS, hi), *r = &rr;
    int pl = h->plant;
    const plant_def *def = &plants[pl];
    char wm[32];
    masked_of(h->first, wm);
    if (def->near && strcmp(def->near, "CAND-ELIGIBLE") != 0)
        near_miss(def->near, h, wm, def->name);
    if (pl == NM_EXP_BEFORE_AUDIT) {
        near_miss("EX-NOTICE", h, wm, def->name);
        near_miss("EX-FOLLOWUP", h, wm, def->name);
    }

    /* pairing and contacts */
    if (pl == PL_CT_UNPAIRED)
        expect("CT-UNPAIRED", cat_process, h, wm, h->enrolled, NODATE);
    xc_date ps[8], pe[8];
    int np = judged_periods(h, ps, pe, 8);
    switch (pl) {
    case PL_CT_NO_VISIT:
    case PL_CT_FEW_CALLS:
    case PL_CT_VISIT_EARLY:
    case NM_CT_LAST_DAY:
    case NM_CT_FIRST_DAY: {
        if (np == 0)
            die("%s: no complete period to plant in", h->archive_no);
        uint32_t k = rbelow(r, (uint32_t)np);
        h->pa = ps[k];
        h->pb = pe[k];
        if (def->rule)
            expect("CT-VISITS", cat_process, h, wm, h->pa, h->pb);
        break;
    }
    case PL_CT_SILENT:
        if (np == 0)
            die("%s: no complete period to plant in", h->archive_no);
        h->pa = ps[0];
        h->pb = pe[np - 1];
        expect("CT-VISITS", cat_process, h, wm, h->pa, h->pb);
        break;
    case NM_CT_MID_ENROLL:
        if (np == 0 || ps[0] == h->enrolled)
            die("%s: enrolled %d, no period after", h->archive_no, h->enrolled);
        break;
    case NM_CT_NEW:
        if (np != 0)
            die("%s: enrolled %d, a period judged", h->archive_no, h->enrolled);
        break;
    case PL_CT_UNPAIRED:
        if (h->var == 0 && np != 0)
            die("%s: enrolled %d, a period judged", h->archive_no, h->enrolled);
        break;
    default:
        break;
    }

    /* the exit procedure and the follow-ups */
    if (h->status == ST_EXITED && h->exited <= A) {
        plan_exit_record(r, hi, wm);
        plan_followups(r, hi, wm);
    }

    /* payments: the planted ones' days */
    xc_date lo = max_date(audit_from + 1, h->enrolled);
    switch (pl) {
    case PL_PAY_BEFORE_ENROLL:
    case NM_PAY_ON_ENROLL:
        h->pa = pl == PL_PAY_BEFORE_ENROLL ? h->enrolled - 1 : h->enrolled;
        if (h->pa <= audit_from)
            die("%s: enrolled %d", h->archive_no, h->enrolled);
        if (def->rule)
            expect("PAY-NOT-ARCHIVED", cat_process, h, wm, h->pa, h->pa);
        break;
    case PL_PAY_EXIT_DAY:
    case NM_PAY_BEFORE_EXIT:
        h->pa = pl == PL_PAY_EXIT_DAY ? h->exited : h->exited - 1;
        if (def->rule)
            expect("PAY-NOT-ARCHIVED", cat_process, h, wm, h->pa, h->pa);
        break;
    case PL_PAY_MED_OVER:
    case NM_PAY_MED_EQUAL:
    case NM_PAY_MED_UNKNOWN:
        h->pa = rday(r, lo, A);
        if (def->rule)
            expect("PAY-MEDICAL-OVER", cat_process, h, wm, h->pa, h->pa);
        break;
    case PL_PAY_CHANNEL:
        h->var = (uint8_t)rbelow(r, 2);   /* one payment off the card, or two */
        h->pa = rday(r, lo, A);
        if (h->var)
            h->pb = rday(r, h->pa, A);
        expect("PAY-CHANNEL", cat_process, h, wm, h->pa, h->var ? h->pb : h->pa);
        break;
    case NM_PAY_CHANNEL_OLD:
        h->pa = audit_from;
        break;
    default:
        break;
    }
}

/* Whether h is above the standard in month m < W0 (--si-months): only an
 * exited household, from 6 months before its exit, and only where the
 * window begins above - the exits of clean households and of the relapse
 * plants; every other household, archived or not yet, is below. So no rule
 * sees a change: IN-EXIT-DUE (the months since enrollment) and
 * IN-ENROLL-HIGH (the 3 before it) see months below, which neither starts
 * a run of 6 nor makes 3 above, and a run planted at W0 is not lengthened
 * backwards; EX-WRONG reads the 6 months before an exit in the audit
 * period, EX-RELAPSE and CAND-ELIGIBLE the last 3, all inside the window. */
static bool early_above(const household *h, xc_month m)
{
    return h->status == ST_EXITED && h->exited != NODATE && h->exited <= A &&
           (h->above & 1u) && m >= xc_date_month(h->exited) - 6;
}

/* The archive household's monthly total (fen) in each month of the window:
 * against the standard of that month, above, equal or below. With early
 * (not NULL), also those of months E0..W0-1 (early[i]: month E0 + i),
 * drawn after the window's so that the window's stay those of 24 months. */
static void household_totals(const household *h, int64_t tot[WINDOW], int64_t *early)
{
    rng r = rstream(S_SI_ARCHIVE, (uint64_t)(h - H));
    int64_t members = h->n + (h->extra != NONE);
    for (int i = 0; i < WINDOW; i++) {
        int64_t std = std_for(h->region, W0 + i);
        if (std < 0)
            die("no standard for %06u in month %d", h->region, W0 + i);
        int64_t base = std * members;
        if (h->equal & (1u << i))
            tot[i] = base;
        else if (h->above & (1u << i))
            tot[i] = base * rrange(&r, 1020, 1600) / 1000;
        else
            tot[i] = base * rrange(&r, 450, 970) / 1000;
        if (((h->above | h->equal) >> i & 1) ? tot[i] < base : tot[i] >= base)
            die("income arithmetic");
    }
    for (xc_month m = E0; early && m < W0; m++) {
        int64_t std = std_for(h->region, m);
        if (std < 0)
            die("no standard for %06u in month %d", h->region, m);
        int64_t base = std * members, *t = &early[m - E0];
        bool above = early_above(h, m);
        *t = base * (above ? rrange(&r, 1020, 1600) : rrange(&r, 450, 970)) / 1000;
        if (above ? *t <= base : *t >= base)
            die("income arithmetic");
    }
}

/* What social_insurance holds for person k of h in month i of tot (fen;
 * 0: no row): the household's total split by the earners' shares, the
 * rest to the last earner. */
static int64_t person_si_amount(const household *h, uint32_t k, const int64_t *tot, int i)
{
    const person *p = &P[h->first + k];
    if (p->earner == EARN_NONE)
        return 0;
    bool last = true;
    for (uint32_t j = k + 1; j < h->n; j++)
        last &= P[h->first + j].earner == EARN_NONE;
    int64_t before = 0;
    for (uint32_t j = 0; j < k; j++)
        if (P[h->first + j].earner != EARN_NONE)
            before += tot[i] * P[h->first + j].share / 1000;
    int64_t amt = last ? tot[i] - before : tot[i] * p->share / 1000;
    return amt > 0 ? amt : 0;
}

/* ---- everybody else ----------------------------------------------------- */

static uint64_t *others;          /* first 17 digits of each */
static size_t n_others;

static void gen_others(size_t n)
{
    rng r = rstream(S_OTHERS, 0);
    others = xcalloc(n, sizeof *others);
    xc_date lo = ymd(1925, 1, 1), hi = A - 1;
    uint64_t misses = 0;
    for (size_t i = 0; i < n; i++) {
        for (;;) {
            int ri = rpm(&r, 900) ? region_index(ync[rbelow(&r, (uint32_t)n_ync)])
                                  : (int)rbelow(&r, (uint32_t)n_idreg);
            /* ages: flat to 60, thinning after */
            xc_date b = rday(&r, lo, hi);
            if (b < A - 60 * 365 && rpm(&r, 400))
                b = rday(&r, A - 60 * 365, hi);
            uint64_t id = alloc_other_id(ri, b);
            if (id) {
                others[i] = id;
                break;
            }
            /* a guard: at --scale x --ref-factor 100 the days are a third full */
            if (++misses > 100000000)
                die("the people outside the archive outnumber their ID numbers");
        }
    }
    n_others = n;
}

/* ---- candidate lists ----------------------------------------------------- */

enum { LIST_DIBAO, LIST_UNION, LIST_DISABLED, N_LISTS };
static const char *const list_name[N_LISTS] = {"dibao_list", "union_member", "disabled_list"};

typedef struct cand {
    uint64_t id17;
    uint32_t person;              /* an archived person (P), or NONE */
    uint32_t region;              /* region_code on the lists */
    uint32_t prop0, veh0, biz0;   /* its planted rows: [x0, x0 + n) of pl_* */
    uint8_t prop_n, veh_n, biz_n;
    uint8_t plant, lists, si_kind;   /* lists: bit set; si_kind: enum earner */
    int64_t si[12];               /* fen in months L-11 .. L; 0: no row */
    char name[40];
} cand;

typedef struct cand_row {
    uint32_t cand;
    uint8_t list;
} cand_row;

static VEC(cand) cands;
static VEC(cand_row) cand_rows;
static size_t n_cand_out, n_cand_si_rows;   /* outside the archive; their SI rows */
static size_t n_cand_skipped;      /* exited workers whose masked form was taken */

/* The masked forms given to people known by them alone (candidates and
 * payees outside the archive): each is unique, so that a near miss is never
 * taken for a flagged person. A set of (region, sequence, check). */
static uint64_t *mset;
static size_t mset_cap, mset_n;

static uint64_t masked_key(uint64_t id17)
{
    char c = id_check(id17);
    return (id17 / 100000000000ULL * 1000 + id17 % 1000) * 11 +
           (uint64_t)(c == 'X' ? 10 : c - '0') + 1;
}

/* Adds id17's masked form; false when it is taken. */
static bool mset_add(uint64_t id17)
{
    if (2 * (mset_n + 1) > mset_cap) {
        size_t cap = mset_cap ? 2 * mset_cap : 1024;
        uint64_t *t = xcalloc(cap, sizeof *t);
        for (size_t i = 0; i < mset_cap; i++)
            if (mset[i]) {
                size_t j = mix64(mset[i]) & (cap - 1);
                while (t[j])
                    j = (j + 1) & (cap - 1);
                t[j] = mset[i];
            }
        free(mset);
        mset = t;
        mset_cap = cap;
    }
    uint64_t k = masked_key(id17);
    size_t j = mix64(k) & (mset_cap - 1);
    for (; mset[j]; j = (j + 1) & (mset_cap - 1))
        if (mset[j] == k)
            return false;
    mset[j] = k;
    mset_n++;
    return true;
}

static bool held_on_as_of(xc_date from, xc_date to)
{
    return (from == NODATE || from <= A) && (to == NODATE || to > A);
}

/* CAND-ELIGIBLE's disqualifying assets (rules/candidate.c with the default
 * profile) among planted rows, held on as_of. */
static bool prop_disqualifies(const prop_row *x, int *homes)
{
    if (!held_on_as_of(x->reg, x->canc))
        return false;
    if (x->usage == 1 || x->usage == 2)
        return true;
    return x->usage == 0 && ++*homes >= 2;
}

static bool veh_disqualifies(const veh_row *x)
{
    return x->kind <= 1 && held_on_as_of(x->reg, x->dereg);
}

static bool biz_disqualifies(const biz_row *x)
{
    return (x->status == 0 || x->closed != NODATE) && x->role <= 1 &&
           held_on_as_of(x->est, x->closed);
}

/* The planted rows of household hh: archive rows are pushed household by
 * household, so the owners' households never decrease. */
#define ROWS_OF(vec, hh, lo, hi) do { \
        size_t a_ = 0, b_ = (vec).n; \
        while (a_ < b_) { \
            size_t m_ = (a_ + b_) / 2; \
            if ((vec).v[m_].person != NONE && P[(vec).v[m_].person].hh < (hh)) \
                a_ = m_ + 1; \
            else \
                b_ = m_; \
        } \
        (lo) = a_; \
        while (a_ < (vec).n && (vec).v[a_].person != NONE && P[(vec).v[a_].person].hh == (hh)) \
            a_++; \
        (hi) = a_; \
    } while (0)

static bool cand_disqualified(const cand *c)
{
    int homes = 0;
    size_t lo, hi;
    if (c->person == NONE) {
        for (size_t i = c->prop0; i < c->prop0 + c->prop_n; i++)
            if (prop_disqualifies(&pl_prop.v[i], &homes))
                return true;
        for (size_t i = c->veh0; i < c->veh0 + c->veh_n; i++)
            if (veh_disqualifies(&pl_veh.v[i]))
                return true;
        for (size_t i = c->biz0; i < c->biz0 + c->biz_n; i++)
            if (biz_disqualifies(&pl_biz.v[i]))
                return true;
        return false;
    }
    uint32_t hh = P[c->person].hh;
    ROWS_OF(pl_prop, hh, lo, hi);
    for (size_t i = lo; i < hi; i++)
        if (pl_prop.v[i].person == c->person && prop_disqualifies(&pl_prop.v[i], &homes))
            return true;
    ROWS_OF(pl_veh, hh, lo, hi);
    for (size_t i = lo; i < hi; i++)
        if (pl_veh.v[i].person == c->person && veh_disqualifies(&pl_veh.v[i]))
            return true;
    ROWS_OF(pl_biz, hh, lo, hi);
    for (size_t i = lo; i < hi; i++)
        if (pl_biz.v[i].person == c->person && biz_disqualifies(&pl_biz.v[i]))
            return true;
    return false;
}

/* CAND-ELIGIBLE on the model: outside every household in the archive on
 * as_of, own income below the standard of the list's region in each of the
 * last 3 months (a month without one: not judged), no disqualifying asset. */
static bool cand_flagged(const cand *c)
{
    int64_t tot[WINDOW];
    const household *h = NULL;
    if (c->person != NONE) {
        if (P[c->person].relation != REL_SELF || P[c->person].id_form != IDF_CLEAN)
            die("a candidate of the archive must be a worker");
        h = &H[P[c->person].hh];
        if (in_archive_on(h, A))
            return false;
        household_totals(h, tot, NULL);
    }
    for (xc_month m = L - CAND_MONTHS + 1; m <= L; m++) {
        int64_t std = std_for(c->region, m);
        int64_t income = h ? person_si_amount(h, c->person - h->first, tot, m - W0)
                           : c->si[m - (L - 11)];
        if (std < 0 || income >= std)
            return false;
    }
    return !cand_disqualified(c);
}

/* A person outside the archive, living in region: an ID number of their
 * own (not among the others), a masked form unique among candidates. */
static cand *new_cand(rng *r, int pl, uint32_t region, int age_lo, int age_hi)
{
    cand c;
    memset(&c, 0, sizeof c);
    c.person = NONE;
    c.plant = (uint8_t)pl;
    c.region = region;
    c.prop0 = (uint32_t)pl_prop.n;
    c.veh0 = (uint32_t)pl_veh.n;
    c.biz0 = (uint32_t)pl_biz.n;
    for (int tries = 0;; tries++) {
        uint32_t idr = region / 10000 == 53 && rpm(r, 800) ? region
                     : rpm(r, 700) ? ync[rbelow(r, (uint32_t)n_ync)]
                                   : idreg[rbelow(r, (uint32_t)n_idreg)];
        uint64_t id = alloc_other_id(region_index(idr), birth_aged(r, age_lo, age_hi));
        if (id && mset_add(id)) {
            c.id17 = id;
            break;
        }
        if (tries > 1000)
            die("cannot allocate a candidate's ID number");
    }
    gen_name(r, NULL, c.name, sizeof c.name);
    PUSH(cands, c);
    n_cand_out++;
    return &cands.v[cands.n - 1];
}

/* Monthly rows of a kind in months [from, L] at the standard of each month
 * times [lo, hi] per mille (a region without one: 300-600 yuan). */
static void cand_income(rng *r, cand *c, int kind, xc_month from, int lo, int hi)
{
    c->si_kind = (uint8_t)kind;
    for (xc_month m = from; m <= L; m++) {
        int64_t std = std_for(c->region, m);
        c->si[m - (L - 11)] = std < 0 ? rrange(r, 300, 600) * 100 : std * rrange(r, lo, hi) / 1000;
    }
}

/* The last planted row becomes the candidate's. */
static void own_prop(cand *c)
{
    pl_prop.v[pl_prop.n - 1].id17 = c->id17;
    c->prop_n++;
}

static void own_veh(cand *c)
{
    pl_veh.v[pl_veh.n - 1].id17 = c->id17;
    c->veh_n++;
}

static void own_biz(cand *c)
{
    pl_biz.v[pl_biz.n - 1].id17 = c->id17;
    c->biz_n++;
}

/* A county of the archive, by weight. */
static uint32_t some_county(rng *r)
{
    uint32_t total = 0;
    for (size_t i = 0; i < N_COUNTIES; i++)
        total += county_weight[i];
    uint32_t k = rbelow(r, total);
    size_t i = 0;
    while (k >= county_weight[i])
        k -= county_weight[i++];
    return counties[i];
}

/* A candidate outside the archive of plant pl (variant v for PL_CAND). */
static void gen_outside(rng *r, int pl, unsigned v)
{
    uint32_t region = pl == NM_CAND_NO_STD ? 330106 : some_county(r);
    bool old = pl == PL_CAND && v == 2;
    cand *c = new_cand(r, pl, region, old ? 61 : 22, old ? 78 : 59);
    uint32_t lists = 1u << (rpm(r, 600) ? LIST_DIBAO : rpm(r, 500) ? LIST_DISABLED : LIST_UNION);
    xc_month all = L - 11;
    xc_date since = A - 4000;
    switch (pl) {
    case PL_CAND:
        switch (v) {
        case 0:                   /* no income on record */
            break;
        case 1:
            cand_income(r, c, EARN_BENEFIT, all, 400, 900);
            break;
        case 2:
            cand_income(r, c, EARN_PENSION, all, 500, 950);
            break;
        case 3:                   /* a low wage and one home */
            cand_income(r, c, EARN_WAGE, all, 600, 980);
            add_prop(NONE, 0, region, rday(r, since, A - 100), NODATE, r);
            own_prop(c);
            break;
        case 4:
            cand_income(r, c, EARN_BENEFIT, all, 400, 900);
            add_veh(NONE, rpm(r, 700) ? 2 : 3, rday(r, since, A - 30), NODATE, r, region);
            own_veh(c);
            break;
        case 5: {                 /* a car sold: on as_of, or before */
            xc_date reg = rday(r, since, A - 400);
            add_veh(NONE, 0, reg, rpm(r, 500) ? A : rday(r, reg + 1, A), r, region);
            own_veh(c);
            break;
        }
        case 6:
            cand_income(r, c, EARN_BENEFIT, all, 400, 900);
            add_biz(NONE, 2, 0, rday(r, since, A - 30), NODATE, r, region);
            own_biz(c);
            break;
        case 7: {                 /* a shop sold: on as_of, or before */
            cand_income(r, c, EARN_BENEFIT, all, 400, 900);
            xc_date reg = rday(r, since, A - 400);
            add_prop(NONE, 1, region, reg, rpm(r, 500) ? A : rday(r, reg + 1, A), r);
            own_prop(c);
            break;
        }
        default:                  /* a wage until 3 months ago */
            cand_income(r, c, EARN_WAGE, all, 1100, 2500);
            for (xc_month m = L - CAND_MONTHS + 1; m <= L; m++)
                c->si[m - all] = 0;
            lists = 1u << LIST_UNION;
        }
        break;
    case PL_CAND_TWO_LISTS:
        cand_income(r, c, EARN_BENEFIT, all, 400, 900);
        lists = 1u << LIST_DIBAO | 1u << (rpm(r, 500) ? LIST_UNION : LIST_DISABLED);
        break;
    case NM_CAND_ABOVE: {
        c->si_kind = EARN_WAGE;
        int64_t wage = rrange(r, 2500, 9000) * 100;
        for (int i = 0; i < 12; i++)
            c->si[i] = wage + (rpm(r, 200) ? rrange(r, -300, 900) * 100 : 0);
        lists = 1u << LIST_UNION | (rpm(r, 50) ? 1u << LIST_DIBAO : 0);
        break;
    }
    case NM_CAND_EQUAL: {         /* at the standard in one of the last months */
        cand_income(r, c, EARN_BENEFIT, all, 400, 900);
        xc_month m = L - (xc_month)rbelow(r, CAND_MONTHS);
        c->si[m - all] = std_for(region, m);
        break;
    }
    case NM_CAND_CAR:
        cand_income(r, c, EARN_BENEFIT, all, 400, 900);
        add_veh(NONE, rpm(r, 850) ? 0 : 1, rpm(r, 100) ? A : rday(r, since, A), NODATE, r,
                region);
        own_veh(c);
        break;
    case NM_CAND_COMMERCIAL:
        cand_income(r, c, EARN_BENEFIT, all, 400, 900);
        add_prop(NONE, rpm(r, 800) ? 1 : 2, region, rday(r, since, A), NODATE, r);
        own_prop(c);
        break;
    case NM_CAND_TWO_HOMES: {
        cand_income(r, c, EARN_WAGE, all, 500, 950);
        xc_date r1 = rday(r, since, A - 1);
        add_prop(NONE, 0, region, r1, NODATE, r);
        own_prop(c);
        add_prop(NONE, 0, ync[rbelow(r, (uint32_t)n_ync)], rday(r, r1 + 1, A), NODATE, r);
        own_prop(c);
        break;
    }
    case NM_CAND_BUSINESS:
        cand_income(r, c, EARN_BENEFIT, all, 400, 900);
        add_biz(NONE, (uint8_t)rbelow(r, 2), 0, rday(r, since, A), NODATE, r, region);
        own_biz(c);
        break;
    case NM_CAND_NO_STD:
        cand_income(r, c, EARN_BENEFIT, all, 0, 0);
        break;
    default:
        die("plant %d is no candidate", pl);
    }
    for (int i = 0; i < 12; i++)
        n_cand_si_rows += c->si[i] > 0;
    c->lists = (uint8_t)lists;
}

/* An archived worker on the lists. */
static void gen_inside(rng *r, int pl, uint32_t worker)
{
    cand c;
    memset(&c, 0, sizeof c);
    c.person = worker;
    c.id17 = P[worker].id17;
    c.plant = (uint8_t)pl;
    c.region = H[P[worker].hh].region;
    c.lists = (uint8_t)(1u << (rpm(r, 700) ? LIST_DIBAO : LIST_UNION));
    if (rpm(r, 100))
        c.lists |= 1u << LIST_DISABLED;
    snprintf(c.name, sizeof c.name, "%s", P[worker].name);
    PUSH(cands, c);
}

/* The candidate lists: the planted candidates outside the archive, workers
 * of exited households (PL_CAND_EXITED, NM_CAND_EXITED) and of households
 * in the archive; each judged on the model, the flags expected. Their ID
 * numbers are allocated before the others', so none of the others is a
 * candidate. */
static void gen_candidates(void)
{
    rng rr = rstream(S_CANDIDATE, 0), *r = &rr;
    for (uint32_t hi = 0; hi < n_hh; hi++)
        if (H[hi].plant == PL_CAND_EXITED || H[hi].plant == NM_CAND_EXITED) {
            /* Two workers may share a masked form (region, sequence, check):
             * the second is then no candidate, so that no flag is taken
             * for another's, and is not counted as planted. At scales 1
             * and 10 this happens to one household. */
            if (!mset_add(P[H[hi].first].id17)) {
                plant_count[H[hi].plant]--;
                n_cand_skipped++;
                continue;
            }
            gen_inside(r, H[hi].plant, H[hi].first);
        }
    for (int pl = PL_CAND; pl < PL_COUNT; pl++) {
        if (plants[pl].cls != SUBJECT || pl == NM_CAND_ARCHIVED)
            continue;
        size_t want = plant_want(pl);
        unsigned first = rbelow(r, 9);      /* PL_CAND's variants in turn */
        for (size_t i = 0; i < want; i++)
            gen_outside(r, pl, (first + (unsigned)i) % 9);
        plant_count[pl] += want;
    }
    /* workers of households in the archive on as_of, drawn at random */
    size_t want = plant_want(NM_CAND_ARCHIVED), tries = 0;
    uint8_t *taken = xcalloc(n_hh, 1);
    while (plant_count[NM_CAND_ARCHIVED] < want && tries++ < 100 * want + 1000) {
        uint32_t hi = rbelow(r, (uint32_t)n_hh);
        const household *h = &H[hi];
        if (taken[hi] || !in_archive_on(h, A) || h->plant == PL_CAND_EXITED ||
            h->plant == NM_CAND_EXITED || !mset_add(P[h->first].id17))
            continue;
        taken[hi] = 1;
        gen_inside(r, NM_CAND_ARCHIVED, h->first);
        plant_count[NM_CAND_ARCHIVED]++;
    }
    free(taken);
    for (size_t i = 0; i < cands.n; i++) {
        const cand *c = &cands.v[i];
        const plant_def *def = &plants[c->plant];
        char m[32];
        masked_id17(c->id17, m);
        bool flag = cand_flagged(c);
        if (flag != (def->rule != NULL))
            die("candidate %s (%s): %s", m, def->name, flag ? "flagged" : "not flagged");
        if (flag) {
            xc_date from = mstart(L - CAND_MONTHS + 1), to = mend(L);
            expect("CAND-ELIGIBLE", "missed_enrollment", NULL, m, from, to);
        } else {
            near_miss("CAND-ELIGIBLE", NULL, m, def->name);
        }
    }
    /* the lists, each in an order of its own */
    for (uint8_t l = 0; l < N_LISTS; l++) {
        size_t first = cand_rows.n;
        for (size_t i = 0; i < cands.n; i++)
            if (cands.v[i].lists & (1u << l))
                PUSH(cand_rows, ((cand_row){(uint32_t)i, l}));
        for (size_t i = cand_rows.n - first; i > 1; i--) {
            size_t j = first + rbelow(r, (uint32_t)i);
            cand_row t = cand_rows.v[first + i - 1];
            cand_rows.v[first + i - 1] = cand_rows.v[j];
            cand_rows.v[j] = t;
        }
    }
}

/* ---- payments to people outside the archive ------------------------------ */

typedef struct stranger {
    uint32_t hh;                  /* written after this household's payments */
    uint64_t id17;
    uint8_t n, program;
    xc_date on[3];
    int64_t amount[3];
} stranger;

static VEC(stranger) strangers;
static bool adult(uint64_t id17);

/* Someone of the others (among those of every --ref-factor) paid by the
 * households planted PL_PAY_STRANGER (in the audit period: flagged) and
 * NM_PAY_STRANGER_OLD (up to its first day: not judged). */
static void gen_strangers(size_t n_stable)
{
    rng rr = rstream(S_STRANGER, 0), *r = &rr;
    for (uint32_t hi = 0; hi < n_hh; hi++) {
        int pl = H[hi].plant;
        if (pl != PL_PAY_STRANGER && pl != NM_PAY_STRANGER_OLD)
            continue;
        stranger x;
        memset(&x, 0, sizeof x);
        x.hh = hi;
        for (int tries = 0;; tries++) {
            x.id17 = others[rbelow(r, (uint32_t)n_stable)];
            if (adult(x.id17) && mset_add(x.id17))
                break;
            if (tries > 1000)
                die("no one to pay");
        }
        x.program = (uint8_t)(rpm(r, 500) ? 0 : 3);
        x.n = (uint8_t)(1 + rbelow(r, pl == PL_PAY_STRANGER ? 3 : 2));
        for (int i = 0; i < x.n; i++) {
            x.on[i] = pl == PL_PAY_STRANGER ? rday(r, audit_from + 1, A)
                    : i == 0 ? audit_from : rday(r, hist_from, audit_from);
            x.amount[i] = rrange(r, 3, 15) * 10000;
        }
        xc_date from = x.on[0], to = x.on[0];
        for (int i = 1; i < x.n; i++) {
            from = min_date(from, x.on[i]);
            to = max_date(to, x.on[i]);
        }
        char m[32];
        masked_id17(x.id17, m);
        if (pl == PL_PAY_STRANGER)
            expect("PAY-NOT-ARCHIVED", cat_process, NULL, m, from, to);
        else
            near_miss("PAY-NOT-ARCHIVED", NULL, m, plants[pl].name);
        PUSH(strangers, x);
    }
}

/* ---- buffered gzip output ----------------------------------------------- */

typedef struct out {
    gzFile gz;
    char *buf;
    size_t n;
    char path[4096];
    uint64_t rows;
} out;

#define OUTBUF (1u << 20)

static void out_open(out *o, const char *name)
{
    snprintf(o->path, sizeof o->path, "%s/%s", opt.out, name);
    o->gz = gzopen(o->path, "wb1");
    if (!o->gz)
        die("cannot write %s: %s", o->path, strerror(errno));
    gzbuffer(o->gz, 1u << 18);
    o->buf = xcalloc(OUTBUF, 1);
    o->n = 0;
    o->rows = 0;
}

static void out_flush(out *o)
{
    if (o->n && gzwrite(o->gz, o->buf, (unsigned)o->n) != (int)o->n) {
        int e;
        die("cannot write %s: %s", o->path, gzerror(o->gz, &e));
    }
    o->n = 0;
}

static void out_close(out *o)
{
    out_flush(o);
    int rc = gzclose(o->gz);
    if (rc != Z_OK)
        die("cannot write %s (zlib error %d)", o->path, rc);
    free(o->buf);
}

static void w_mem(out *o, const char *s, size_t n)
{
    memcpy(o->buf + o->n, s, n);
    o->n += n;
}

static void w_str(out *o, const char *s)
{
    w_mem(o, s, strlen(s));
}

static void w_ch(out *o, char c)
{
    o->buf[o->n++] = c;
}

static void w_sep(out *o)
{
    o->buf[o->n++] = ',';
}

static void w_end(out *o)
{
    o->buf[o->n++] = '\n';
    o->rows++;
    if (o->n > OUTBUF - 4096)
        out_flush(o);
}

static void w_u(out *o, uint64_t v)
{
    char t[24];
    int i = 24;
    do {
        t[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    w_mem(o, t + i, (size_t)(24 - i));
}

static void w_2(out *o, int v)
{
    w_ch(o, (char)('0' + v / 10));
    w_ch(o, (char)('0' + v % 10));
}

static void w_date(out *o, xc_date d)
{
    if (d == NODATE)
        return;
    int y, m, day;
    xc_date_to_ymd(d, &y, &m, &day);
    w_2(o, y / 100);
    w_2(o, y % 100);
    w_ch(o, '-');
    w_2(o, m);
    w_ch(o, '-');
    w_2(o, day);
}

static void w_month(out *o, xc_month m)
{
    w_2(o, m / 12 / 100);
    w_2(o, m / 12 % 100);
    w_ch(o, '-');
    w_2(o, m % 12 + 1);
}

/* fen as yuan with 2 decimals; nothing for -1 (unknown) */
static void w_money(out *o, int64_t fen)
{
    if (fen < 0)
        return;
    w_u(o, (uint64_t)fen / 100);
    w_ch(o, '.');
    w_ch(o, (char)('0' + fen / 10 % 10));
    w_ch(o, (char)('0' + fen % 10));
}

static void w_region(out *o, uint32_t code)
{
    char t[8];
    snprintf(t, sizeof t, "%06u", code);
    w_mem(o, t, 6);
}

/* An ID number (text t) on the reference side: 18 characters, or (dirt) a
 * lower-case x or the 15-digit form of someone born in the 1900s. */
static void w_ref_idt(out *o, const char t[19], rng *r, unsigned lower_pm, unsigned legacy_pm)
{
    if (legacy_pm && t[6] == '1' && t[7] == '9' && rpm(r, legacy_pm)) {
        w_mem(o, t, 6);
        w_mem(o, t + 8, 9);
        return;
    }
    w_mem(o, t, 17);
    w_ch(o, t[17] == 'X' && lower_pm && rpm(r, lower_pm) ? 'x' : t[17]);
}

static void w_ref_id(out *o, uint64_t id17, rng *r, unsigned lower_pm, unsigned legacy_pm)
{
    char t[19];
    id_text(id17, t);
    w_ref_idt(o, t, r, lower_pm, legacy_pm);
}

/* ---- the datasets ------------------------------------------------------- */

static void write_household(out *o)
{
    w_str(o, "archive_no,worker_id,worker_name,region_code,level,status,enrolled_on,"
             "exited_on,hardship_cause,cadre_id\n");
    for (size_t i = 0; i < n_hh; i++) {
        const household *h = &H[i];
        char id[19];
        id_text(h->shape == SH_WORKER_TYPED ? h->typed_id17 : P[h->first].id17, id);
        w_str(o, h->archive_no);
        w_sep(o);
        if (h->shape == SH_WORKER_BLANKS) {
            w_mem(o, id, 6);
            w_ch(o, ' ');
            w_mem(o, id + 6, 8);
            w_ch(o, ' ');
            w_mem(o, id + 14, 4);
        } else {
            w_mem(o, id, 18);
        }
        w_sep(o);
        w_str(o, P[h->first].name);
        w_sep(o);
        w_region(o, h->region);
        w_sep(o);
        w_str(o, level_name[h->level]);
        w_sep(o);
        w_str(o, status_name[h->status]);
        w_sep(o);
        w_date(o, h->enrolled);
        w_sep(o);
        w_date(o, h->exited);
        w_sep(o);
        bool first = true;
        for (int c = 0; c < 7; c++)
            if (h->causes & (1u << c)) {
                if (!first)
                    w_ch(o, ';');
                w_str(o, cause_name[c]);
                first = false;
            }
        w_sep(o);
        if (h->cadre) {
            char t[16];
            snprintf(t, sizeof t, "C%05u", h->cadre);
            w_str(o, t);
        }
        w_end(o);
    }
}

static void w_member_id(out *o, const person *p)
{
    char id[19];
    id_text(p->id17, id);
    switch (p->id_form) {
    case IDF_BADCHECK:
        id[17] = id[17] == '9' ? 'X' : id[17] == 'X' ? '0' : (char)(id[17] + 1);
        w_mem(o, id, 18);
        break;
    case IDF_FULLWIDTH:
        for (int i = 0; i < 18; i++) {
            if (id[i] == 'X') {
                w_str(o, "\xEF\xBC\xB8");
            } else {
                char fw[3] = {'\xEF', '\xBC', (char)(0x90 + (id[i] - '0'))};
                w_mem(o, fw, 3);
            }
        }
        break;
    case IDF_BLANKS:
        w_mem(o, id, 6);
        w_ch(o, ' ');
        w_mem(o, id + 6, 8);
        w_ch(o, ' ');
        w_mem(o, id + 14, 4);
        break;
    case IDF_LEGACY: {
        char t15[16];
        id15_text(p->id17, t15);
        w_mem(o, t15, 15);
        break;
    }
    default:
        w_mem(o, id, 18);
    }
}

static void w_member(out *o, const household *h, const person *p)
{
    uint8_t rel = p->relation;
    if (h->shape == SH_NO_SELF && p == &P[h->first])
        rel = REL_OTHER;
    if (h->shape == SH_MULTI_SELF && p == &P[h->target])
        rel = REL_SELF;
    w_str(o, h->archive_no);
    w_sep(o);
    w_member_id(o, p);
    w_sep(o);
    w_str(o, p->name);
    w_sep(o);
    w_str(o, relation_name[rel]);
    w_end(o);
}

static void write_member(out *o)
{
    w_str(o, "archive_no,id_no,name,relation\n");
    for (size_t i = 0; i < n_hh; i++) {
        const household *h = &H[i];
        for (uint32_t k = h->shape == SH_SELF_LAST; k < h->n; k++)
            w_member(o, h, &P[h->first + k]);
        if (h->shape == SH_SELF_LAST || h->shape == SH_DUP_WORKER)
            w_member(o, h, &P[h->first]);
        if (h->shape == SH_DUP_ROW)
            w_member(o, h, &P[h->target]);
        if (h->extra != NONE) {
            person p = P[h->extra];
            p.id_form = IDF_CLEAN;
            w_member(o, h, &p);
        }
    }
}

/* How many rows of each kind a dataset mixes: the archive's, everybody
 * else's and the rejects, in a random order of their own. */
typedef struct mixer {
    uint64_t left[3];
    rng r;
} mixer;

static int mix_next(mixer *m)
{
    uint64_t total = m->left[0] + m->left[1] + m->left[2];
    if (!total)
        return -1;
    uint64_t k = rnext(&m->r) % total;
    int which = k < m->left[0] ? 0 : k < m->left[0] + m->left[1] ? 1 : 2;
    m->left[which]--;
    return which;
}

static uint64_t scaled(double base)
{
    double v = base * opt.scale;
    return v < 0 ? 0 : (uint64_t)llround(v);
}

/* A reference dataset's rows: its share of scale 1 times --ref-factor. */
static uint64_t ref_scaled(double base)
{
    return scaled(base) * opt.ref_factor;
}

/* At least two of each kind of reject (they do not grow with --ref-factor). */
static uint64_t n_rejects(double per_scale, unsigned kinds)
{
    uint64_t n = scaled(per_scale);
    return n < 2 * kinds ? 2 * kinds : n;
}

static uint64_t hukou_archive_rows(void)
{
    uint64_t n = 0;
    for (size_t i = 0; i < n_p; i++)
        n += P[i].hk_form != HKF_NONE;
    return n;
}

static void w_other_name(out *o, rng *r)
{
    char name[40];
    gen_name(r, NULL, name, sizeof name);
    w_str(o, name);
}

/* Someone outside the archive. */
static uint64_t reject_id(rng *r)
{
    return others[rbelow(r, (uint32_t)n_others)];
}

/* Born 18 years or more before as_of (compared as yyyymmdd). */
static bool adult(uint64_t id17)
{
    return (unsigned)(id17 / 1000 % 100000000) <= adult_cutoff;
}

/* An adult outside the archive, to own something; *since: the day they
 * turned 18. */
static uint64_t other_owner(rng *r, xc_date *since)
{
    for (;;) {
        uint64_t id = others[rbelow(r, (uint32_t)n_others)];
        xc_date b = id_birth(id);
        if (b <= months_before(A, 18 * 12)) {
            *since = b + 18 * 365 + 5;
            return id;
        }
    }
}

/* The worker of a clean in-archive household: xcheck judges the rows of
 * people outside the archive by their ID alone, so a row that must be
 * rejected for another field is one of an archived person's. Several would
 * raise a flag if they were accepted. */
static void reject_archive_id(rng *r, char t[19])
{
    for (;;) {
        const household *h = &H[rbelow(r, (uint32_t)n_hh)];
        if (h->plant == PL_NONE && (h->status == ST_ACTIVE || h->status == ST_RELIEVED)) {
            id_text(P[h->first].id17, t);
            return;
        }
    }
}

static void w_bad_id(out *o, rng *r, int variant)
{
    char t[19];
    uint64_t id = reject_id(r);
    id_text(id, t);
    if (variant == 0) {                     /* wrong check character */
        t[17] = t[17] == '9' ? 'X' : t[17] == 'X' ? '0' : (char)(t[17] + 1);
    } else {                                /* 30 February */
        memcpy(t + 6, "19900230", 8);
        t[17] = xc_id_check_char(t);
    }
    w_mem(o, t, 18);
}

static uint64_t stat_hukou_rejects, stat_si_rejects, stat_prop_rejects, stat_veh_rejects,
    stat_biz_rejects, stat_si_archive_rows, stat_si_people;

static void write_hukou(out *o)
{
    w_str(o, "id_no,name,region_code,status,status_on\n");
    /* the archive's people and the candidates outside it, everybody else */
    uint64_t total = ref_scaled(10000000), arch = hukou_archive_rows() + n_cand_out;
    uint64_t rej = n_rejects(20, 6);
    mixer m = {{arch, total > arch + rej ? total - arch - rej : 0, rej}, rstream(S_HUKOU, 0)};
    if (m.left[1] > n_others)
        m.left[1] = n_others;
    rng r = rstream(S_HUKOU, 1);
    size_t ai = 0, oi = 0, ci = 0, arch_left = arch - n_cand_out;
    int variant = 0;
    for (int which; (which = mix_next(&m)) >= 0;) {
        if (which == 0 && arch_left == 0) {
            while (cands.v[ci].person != NONE)
                ci++;
            const cand *c = &cands.v[ci++];
            w_ref_id(o, c->id17, &r, 150, 30);
            w_sep(o);
            w_str(o, c->name);
            w_sep(o);
            w_region(o, c->region);
            w_str(o, ",normal,");
            w_end(o);
        } else if (which == 0) {
            arch_left--;
            while (P[ai].hk_form == HKF_NONE)
                ai++;
            const person *p = &P[ai++];
            char t[19];
            if (p->hk_form == HKF_LOWERX) {
                id_text(p->id17, t);
                t[17] = 'x';
                w_mem(o, t, 18);
            } else {
                w_ref_id(o, p->id17, &r, 150, 30);
            }
            w_sep(o);
            w_str(o, p->hk_form == HKF_OTHERNAME || p->hk_form == HKF_DOTNAME ? p->hk_name
                                                                              : p->name);
            w_sep(o);
            w_region(o, p->hk_region);
            w_sep(o);
            w_str(o, hk_status_name[p->hk_status]);
            w_sep(o);
            w_date(o, p->hk_date);
            w_end(o);
        } else if (which == 1) {
            uint64_t id = others[oi++];
            w_ref_id(o, id, &r, 20, 10);
            w_sep(o);
            w_other_name(o, &r);
            w_sep(o);
            uint32_t reg = (uint32_t)(id / 100000000000ULL);
            w_region(o, reg / 10000 == 53 && rpm(&r, 700) ? reg : ync[rbelow(&r, (uint32_t)n_ync)]);
            w_sep(o);
            uint32_t k = rbelow(&r, 1000);
            int st = k < 960 ? HKS_NORMAL : k < 985 ? HKS_DECEASED : k < 997 ? HKS_MOVED_OUT
                                                                               : HKS_CANCELLED;
            w_str(o, hk_status_name[st]);
            w_sep(o);
            if (st != HKS_NORMAL)
                w_date(o, rday(&r, A - 20 * 365, A));
            w_end(o);
        } else {
            stat_hukou_rejects++;
            char t[19];
            reject_archive_id(&r, t);
            switch (variant++ % 6) {
            case 0: w_bad_id(o, &r, 0); w_str(o, ",某甲,530102,normal,"); break;
            case 1: w_str(o, ",某乙,530102,normal,"); break;                 /* no ID */
            case 2: w_bad_id(o, &r, 1); w_str(o, ",某戊,530103,normal,"); break;
            /* an archived worker: another name, dead, moved, if accepted */
            case 3: w_mem(o, t, 18); w_str(o, ",某丙,530102,unknown,"); break;
            case 4: w_mem(o, t, 18); w_str(o, ",某丁,53A102,deceased,2020-01-01"); break;
            default: w_mem(o, t, 18); w_str(o, ",某己,440106,,"); break;     /* no status */
            }
            w_end(o);
        }
    }
}

/* ---- social insurance --------------------------------------------------- */

/* Whether household h has earners (rows in social_insurance). */
static bool has_earners(const household *h)
{
    for (uint32_t i = 0; i < h->n; i++)
        if (P[h->first + i].earner != EARN_NONE)
            return true;
    return false;
}

static uint64_t archive_earners(void)
{
    uint64_t n = 0;
    for (size_t i = 0; i < n_p; i++)
        n += P[i].earner != EARN_NONE;
    return n;
}

/* Writes a row, or none in the hole: returns whether it wrote one. */
static bool w_si_row(out *o, const char id[19], rng *dirt, unsigned lower_pm, xc_month m,
                     int kind, const char *employer, int64_t fen)
{
    if (meets_hole(m, m))
        return false;
    w_ref_idt(o, id, dirt, lower_pm, lower_pm / 3);
    w_sep(o);
    w_month(o, m);
    w_sep(o);
    w_str(o, si_kind_name[kind]);
    w_sep(o);
    if (employer)
        w_str(o, employer);
    w_sep(o);
    w_money(o, fen);
    w_end(o);
    return true;
}

static void write_si(out *o)
{
    w_str(o, "id_no,month,kind,employer,amount\n");
    uint64_t arch_units = 0, cand_units = 0;
    for (size_t i = 0; i < n_hh; i++)
        arch_units += has_earners(&H[i]);
    for (size_t i = 0; i < cands.n; i++)
        if (cands.v[i].person == NONE && cands.v[i].si_kind != EARN_NONE)
            cand_units++;
    /* 24 M rows: the archive's earners have 24 months, the candidates
     * outside it up to 12, the others 12; --si-months adds the archive's
     * earlier months to these, the others stay the same people */
    uint64_t want = ref_scaled(24000000), earn_rows = archive_earners() * WINDOW + n_cand_si_rows;
    uint64_t other_people = want > earn_rows ? (want - earn_rows) / 12 : 0;
    uint64_t adults = 0;
    for (size_t i = 0; i < n_others; i++)
        adults += adult(others[i]);
    if (other_people > adults)
        other_people = adults;
    uint64_t rej = n_rejects(30, 3);
    mixer m = {{arch_units + cand_units, other_people, rej}, rstream(S_SI, 0)};
    rng r = rstream(S_SI, 1);
    size_t hi = 0, oi = 0, ci = 0;
    uint64_t arch_left = arch_units;
    int variant = 0;
    int64_t *early = W0 > E0 ? xcalloc((size_t)(W0 - E0), sizeof *early) : NULL;
    for (int which; (which = mix_next(&m)) >= 0;) {
        if (which == 0 && arch_left == 0) {
            while (cands.v[ci].person != NONE || cands.v[ci].si_kind == EARN_NONE)
                ci++;
            const cand *c = &cands.v[ci++];
            stat_si_people++;
            char idt[19];
            id_text(c->id17, idt);
            const char *emp = c->si_kind == EARN_WAGE ? employers[c->id17 % N_EMPLOYERS] : NULL;
            for (int i = 0; i < 12; i++)
                if (c->si[i] > 0)
                    w_si_row(o, idt, &r, 20, L - 11 + i, c->si_kind, emp, c->si[i]);
        } else if (which == 0) {
            arch_left--;
            while (!has_earners(&H[hi]))
                hi++;
            const household *h = &H[hi++];
            int64_t tot[WINDOW];
            household_totals(h, tot, early);
            for (uint32_t k = 0; k < h->n; k++) {
                const person *p = &P[h->first + k];
                if (p->earner == EARN_NONE)
                    continue;
                stat_si_people++;
                rng dirt = rstream(S_SI_ARCHIVE, 1000000000ULL + h->first + k);
                unsigned lower = rpm(&dirt, 200) ? 1000 : 0;
                char idt[19];
                id_text(p->id17, idt);
                /* the months before the window, from a stream of their own */
                rng edirt = rstream(S_SI_ARCHIVE, 2000000000ULL + h->first + k);
                for (int i = 0; early && i < W0 - E0; i++) {
                    int64_t amt = person_si_amount(h, k, early, i);
                    if (amt <= 0)
                        continue;
                    stat_si_archive_rows +=
                        w_si_row(o, idt, &edirt, lower, E0 + i, p->earner,
                                 p->earner == EARN_WAGE ? employers[p->employer] : NULL, amt);
                }
                for (int i = 0; i < WINDOW; i++) {
                    int64_t amt = person_si_amount(h, k, tot, i);
                    if (amt <= 0)
                        continue;
                    stat_si_archive_rows +=
                        w_si_row(o, idt, &dirt, lower, W0 + i, p->earner,
                                 p->earner == EARN_WAGE ? employers[p->employer] : NULL, amt);
                }
            }
        } else if (which == 1) {
            while (!adult(others[oi]))
                oi++;
            uint64_t id = others[oi++];
            stat_si_people++;
            bool old = id_year(id) < YA - 60;
            int kind = old ? EARN_PENSION : rpm(&r, 30) ? EARN_BENEFIT : EARN_WAGE;
            int64_t base = kind == EARN_PENSION ? rrange(&r, 1500, 6000) * 100
                         : kind == EARN_BENEFIT ? rrange(&r, 1200, 1900) * 100
                                                : rrange(&r, 2000, 20000) * 100;
            const char *emp = kind == EARN_WAGE ? employers[rbelow(&r, N_EMPLOYERS)] : NULL;
            char idt[19];
            id_text(id, idt);
            for (xc_month mo = L - 11; mo <= L; mo++) {
                int64_t amt = kind == EARN_WAGE && rpm(&r, 200) ? base + rrange(&r, -300, 900) * 100
                                                                 : base;
                w_si_row(o, idt, &r, 20, mo, kind, emp, amt);
            }
        } else {
            stat_si_rejects++;
            char t[19];
            reject_archive_id(&r, t);
            switch (variant++ % 3) {
            case 0:               /* no such month */
                w_mem(o, t, 18);
                w_ch(o, ',');
                w_u(o, (uint64_t)(YA - 1));
                w_str(o, "-13,contribution,云南某公司,30000.00");
                break;
            case 1:
                w_bad_id(o, &r, 0);
                w_str(o, ",");
                w_month(o, L);
                w_str(o, ",contribution,云南某公司,3000.00");
                break;
            default:              /* a kind with no mapping */
                w_mem(o, t, 18);
                w_ch(o, ',');
                w_month(o, L);
                w_str(o, ",bonus,云南某公司,50000.00");
                break;
            }
            w_end(o);
        }
    }
    free(early);
}

/* ---- property, vehicles, business --------------------------------------- */

static void w_prop(out *o, uint64_t id17, rng *dirt, unsigned lower_pm, const prop_row *x)
{
    w_ref_id(o, id17, dirt, lower_pm, lower_pm / 2);
    w_sep(o);
    w_str(o, x->cert);
    w_sep(o);
    w_str(o, usage_name[x->usage]);
    w_sep(o);
    w_u(o, x->area_cm2 / 100);
    w_ch(o, '.');
    w_ch(o, (char)('0' + x->area_cm2 / 10 % 10));
    w_ch(o, (char)('0' + x->area_cm2 % 10));
    w_sep(o);
    w_region(o, x->region);
    w_sep(o);
    w_date(o, x->reg);
    w_sep(o);
    w_date(o, x->canc);
    w_end(o);
}

static void write_property(out *o)
{
    w_str(o, "id_no,cert_no,usage,area_m2,region_code,registered_on,cancelled_on\n");
    uint64_t total = ref_scaled(3000000), rej = n_rejects(10, 3);
    mixer m = {{pl_prop.n, total > pl_prop.n + rej ? total - pl_prop.n - rej : 0, rej},
               rstream(S_PROPERTY, 0)};
    rng r = rstream(S_PROPERTY, 1);
    size_t pi = 0;
    prop_row last = {0};
    bool have_last = false;
    uint32_t seq = 0;
    int variant = 0;
    for (int which; (which = mix_next(&m)) >= 0;) {
        if (which == 0) {
            const prop_row *x = &pl_prop.v[pi++];
            w_prop(o, row_id(x->person, x->id17), &r, 100, x);
        } else if (which == 1) {
            xc_date since;
            uint64_t id = other_owner(&r, &since);
            prop_row x;
            if (have_last && last.usage == 0 && last.reg >= since && rpm(&r, 150)) {
                x = last;                 /* a co-owner */
            } else {
                memset(&x, 0, sizeof x);
                uint32_t k = rbelow(&r, 1000);
                x.usage = k < 850 ? 0 : k < 930 ? 1 : k < 950 ? 2 : 3;
                x.region = ync[rbelow(&r, (uint32_t)n_ync)];
                x.area_cm2 = (uint32_t)(x.usage == 0 ? rrange(&r, 3000, 18000)
                                                     : rrange(&r, 1500, 200000));
                x.reg = rday(&r, min_date(max_date(ymd(1995, 1, 1), since), A), A);
                x.canc = rpm(&r, 100) ? rday(&r, x.reg + 1, A + 30) : NODATE;
                int y, mo, d;
                xc_date_to_ymd(x.reg, &y, &mo, &d);
                snprintf(x.cert, sizeof x.cert, "云(%d)%s不动产权第%07u号", y,
                         city_name(x.region), 5000000 + seq++ % 5000000);
            }
            last = x;
            have_last = true;
            w_prop(o, id, &r, 20, &x);
        } else {
            stat_prop_rejects++;
            char t[19];
            reject_archive_id(&r, t);
            switch (variant++ % 3) {
            case 0:
                w_mem(o, t, 18);
                w_str(o, ",云(2020)昆明市不动产权第9999999号,商住,88.00,530102,2020-05-01,");
                break;
            case 1:               /* commercial: PR-COMMERCIAL if accepted */
                w_mem(o, t, 18);
                w_str(o, ",云(2021)昆明市不动产权第9999998号,commercial,88.00,5301O2,2021-05-01,");
                break;
            default:
                w_bad_id(o, &r, 0);
                w_str(o, ",云(2022)昆明市不动产权第9999997号,commercial,60.00,530102,2022-05-01,");
                break;
            }
            w_end(o);
        }
    }
}

static void w_veh(out *o, uint64_t id17, rng *dirt, unsigned lower_pm, const veh_row *x)
{
    w_ref_id(o, id17, dirt, lower_pm, lower_pm / 2);
    w_sep(o);
    w_str(o, x->plate);
    w_sep(o);
    w_str(o, vkind_name[x->kind]);
    w_sep(o);
    w_date(o, x->reg);
    w_sep(o);
    w_date(o, x->dereg);
    w_sep(o);
    w_money(o, x->price);
    w_end(o);
}

static void write_vehicle(out *o)
{
    w_str(o, "id_no,plate,kind,registered_on,deregistered_on,price\n");
    uint64_t total = ref_scaled(2000000), rej = n_rejects(10, 3);
    mixer m = {{pl_veh.n, total > pl_veh.n + rej ? total - pl_veh.n - rej : 0, rej},
               rstream(S_VEHICLE, 0)};
    rng r = rstream(S_VEHICLE, 1);
    size_t vi = 0;
    uint32_t seq = 0;
    int variant = 0;
    for (int which; (which = mix_next(&m)) >= 0;) {
        if (which == 0) {
            const veh_row *x = &pl_veh.v[vi++];
            w_veh(o, row_id(x->person, x->id17), &r, 100, x);
        } else if (which == 1) {
            xc_date since;
            uint64_t id = other_owner(&r, &since);
            veh_row x;
            memset(&x, 0, sizeof x);
            uint32_t k = rbelow(&r, 1000);
            x.kind = k < 700 ? 0 : k < 780 ? 1 : k < 930 ? 2 : k < 970 ? 3 : 4;
            x.reg = rday(&r, min_date(max_date(ymd(2003, 1, 1), since), A), A);
            x.dereg = rpm(&r, 150) ? rday(&r, x.reg + 1, A + 30) : NODATE;
            x.price = rpm(&r, 200) ? -1 : x.kind == 2 ? rrange(&r, 3000, 30000) * 100
                                                      : rrange(&r, 30000, 600000) * 100;
            static const char letters[] = "ABCDEFGHJKLMNPQRSTUVWXYZ";
            snprintf(x.plate, sizeof x.plate, "云%c%c%04u", letters[rbelow(&r, 24)],
                     letters[rbelow(&r, 24)], seq++ % 10000);
            w_veh(o, id, &r, 20, &x);
        } else {
            stat_veh_rejects++;
            char t[19];
            reject_archive_id(&r, t);
            switch (variant++ % 3) {
            case 0:
                w_mem(o, t, 18);
                w_str(o, ",云A0000Z,tractor,2020-01-01,,12000.00");
                break;
            case 1:               /* a car without a registration date: VH-CAR if accepted */
                w_mem(o, t, 18);
                w_str(o, ",云A0000X,car,,,90000.00");
                break;
            default:
                w_bad_id(o, &r, 0);
                w_str(o, ",云A0000Y,car,2020-01-01,,80000.00");
                break;
            }
            w_end(o);
        }
    }
}

static void w_biz(out *o, uint64_t id17, rng *dirt, unsigned lower_pm, const biz_row *x)
{
    w_ref_id(o, id17, dirt, lower_pm, lower_pm / 2);
    w_sep(o);
    w_str(o, x->code);
    w_sep(o);
    w_str(o, role_name[x->role]);
    w_sep(o);
    w_money(o, x->capital);
    w_sep(o);
    w_str(o, bstatus_name[x->status]);
    w_sep(o);
    w_date(o, x->est);
    w_sep(o);
    w_date(o, x->closed);
    w_end(o);
}

static void write_business(out *o)
{
    w_str(o, "id_no,credit_code,role,registered_capital,status,established_on,closed_on\n");
    uint64_t total = ref_scaled(1000000), rej = n_rejects(10, 3);
    mixer m = {{pl_biz.n, total > pl_biz.n + rej ? total - pl_biz.n - rej : 0, rej},
               rstream(S_BUSINESS, 0)};
    rng r = rstream(S_BUSINESS, 1);
    size_t bi = 0;
    int variant = 0;
    for (int which; (which = mix_next(&m)) >= 0;) {
        if (which == 0) {
            const biz_row *x = &pl_biz.v[bi++];
            w_biz(o, row_id(x->person, x->id17), &r, 100, x);
        } else if (which == 1) {
            xc_date since;
            uint64_t id = other_owner(&r, &since);
            biz_row x;
            memset(&x, 0, sizeof x);
            uint32_t k = rbelow(&r, 1000);
            x.role = k < 350 ? 0 : k < 850 ? 1 : 2;
            k = rbelow(&r, 1000);
            x.status = k < 750 ? 0 : k < 850 ? 1 : 2;
            x.capital = rrange(&r, 1, 10000) * 1000000;
            x.est = rday(&r, min_date(max_date(ymd(1995, 1, 1), since), A), A);
            x.closed = x.status ? rday(&r, x.est + 1, A) : NODATE;
            credit_code(&r, ync[rbelow(&r, (uint32_t)n_ync)], x.code);
            w_biz(o, id, &r, 20, &x);
        } else {
            stat_biz_rejects++;
            char t[19];
            reject_archive_id(&r, t);
            switch (variant++ % 3) {
            case 0:
                w_mem(o, t, 18);
                w_str(o, ",91530102MA6K00000X,supervisor,100000.00,active,2019-01-01,");
                break;
            case 1:               /* BZ-ROLE if "frozen" were taken for active */
                w_mem(o, t, 18);
                w_str(o, ",91530102MA6K00001X,shareholder,100000.00,frozen,2019-01-01,");
                break;
            default:
                w_bad_id(o, &r, 0);
                w_str(o, ",91530102MA6K00002X,legal_rep,100000.00,active,2019-01-01,");
                break;
            }
            w_end(o);
        }
    }
}

static void write_dibao(out *o)
{
    w_str(o, "region_code,effective_from,monthly_amount\n");
    for (int i = 0; i < n_stds; i++) {
        w_str(o, stds[i].text);
        w_sep(o);
        w_date(o, stds[i].from);
        w_sep(o);
        w_money(o, stds[i].fen);
        w_end(o);
    }
}

/* ---- the process datasets (--process) ----------------------------------- */

static void w_cadre(out *o, uint32_t cadre)
{
    if (cadre) {
        char t[16];
        snprintf(t, sizeof t, "C%05u", cadre);
        w_str(o, t);
    }
}

/* Days in [lo, hi] of a household's process data: from its enrollment (or
 * the start of the data) to the day before its exit (or as_of); false when
 * none. */
static bool process_span(const household *h, xc_date *lo, xc_date *hi)
{
    *lo = max_date(h->enrolled, hist_from);
    *hi = h->exited == NODATE ? A : min_date(A, h->exited - 1);
    return *lo <= *hi;
}

typedef struct contact {
    xc_date on;
    uint8_t kind;                 /* 0 home_visit, 1 phone */
} contact;

static int cmp_contact(const void *x, const void *y)
{
    const contact *a = x, *b = y;
    return a->on != b->on ? (a->on > b->on) - (a->on < b->on) : a->kind - b->kind;
}

/* Per half-year 1-2 home visits and 2-4 calls while in the archive, but for
 * the planted shortfalls and near misses (h->pa: the period concerned). */
static void write_contact(out *o)
{
    static const char *const kind_name[] = {"home_visit", "phone"};
    w_str(o, "archive_no,contact_date,kind,cadre_id\n");
    for (uint32_t hi = 0; hi < n_hh; hi++) {
        const household *h = &H[hi];
        int pl = h->plant;
        xc_date lo, last;
        if (pl == NM_CT_NEW || (pl == PL_CT_UNPAIRED && h->var == 0) ||
            !process_span(h, &lo, &last))
            continue;
        rng r = rstream(S_CONTACT, hi);
        contact c[64];
        int n = 0;
        for (xc_date ps = period_start(lo); ps <= last; ps = period_end(ps) + 1) {
            xc_date pe = period_end(ps), a = max_date(ps, lo), b = min_date(pe, last);
            int nv = CT_VISITS + (int)rpm(&r, 250), nc = CT_CALLS + (int)rbelow(&r, 3);
            if (b - a < pe - ps) {    /* part of a period: a share of it, never judged */
                uint32_t share = (uint32_t)((int64_t)(b - a + 1) * 1000 / (pe - ps + 1));
                nv = (int)((nv * share + rbelow(&r, 1000)) / 1000);
                nc = (int)((nc * share + rbelow(&r, 1000)) / 1000);
            }
            xc_date visit = NODATE, call = NODATE;      /* a fixed day for the first */
            bool target = ps == h->pa;
            switch (pl) {
            case PL_CT_NO_VISIT:
                nv = target ? 0 : nv;
                break;
            case PL_CT_FEW_CALLS:
                nc = target ? CT_CALLS - 1 : nc;
                break;
            case PL_CT_SILENT:
                if (ps >= h->pa)
                    nv = nc = 0;
                break;
            case PL_CT_VISIT_EARLY:   /* the visit of the period, a day early */
                if (target)
                    nv = 0;
                else if (pe == h->pa - 1)
                    c[n++] = (contact){pe, 0};
                break;
            case NM_CT_LAST_DAY:
                if (target) {
                    nv = CT_VISITS;
                    visit = pe;
                }
                break;
            case NM_CT_FIRST_DAY:
                if (target) {
                    nc = CT_CALLS;
                    call = ps;
                }
                break;
            case NM_CT_MID_ENROLL:    /* nothing in the period of enrollment */
                if (ps < h->enrolled)
                    nv = nc = 0;
                break;
            default:
                break;
            }
            for (int i = 0; i < nv; i++)
                c[n++] = (contact){i == 0 && visit != NODATE ? visit : rday(&r, a, b), 0};
            for (int i = 0; i < nc; i++)
                c[n++] = (contact){i == 0 && call != NODATE ? call : rday(&r, a, b), 1};
        }
        qsort(c, (size_t)n, sizeof *c, cmp_contact);
        for (int i = 0; i < n; i++) {
            w_str(o, h->archive_no);
            w_sep(o);
            w_date(o, c[i].on);
            w_sep(o);
            w_str(o, kind_name[c[i].kind]);
            w_sep(o);
            /* now and then a colleague stands in; none for the unpaired */
            w_cadre(o, !h->cadre ? 0 : rpm(&r, 30) ? 1 + rbelow(&r, (uint32_t)(n_hh / 25 + 1))
                                                   : h->cadre);
            w_end(o);
        }
    }
}

enum program { PG_LIVING, PG_MEDICAL, PG_EDUCATION, PG_WARMTH, PG_OTHER };
enum channel { CH_CARD, CH_BANK, CH_CASH };

typedef struct payment {
    xc_date on;
    uint8_t program, channel;
    int64_t amount, burden;       /* fen; burden -1: empty */
} payment;

static int cmp_payment(const void *x, const void *y)
{
    const payment *a = x, *b = y;
    return a->on != b->on ? (a->on > b->on) - (a->on < b->on) : a->program - b->program;
}

static void w_payment(out *o, uint64_t id17, const payment *p)
{
    static const char *const program_name[] = {"living", "medical", "education", "warmth",
                                               "other"};
    static const char *const channel_name[] = {"social_security_card", "bank", "cash"};
    char id[19];
    id_text(id17, id);
    w_mem(o, id, 18);
    w_sep(o);
    w_date(o, p->on);
    w_sep(o);
    w_str(o, program_name[p->program]);
    w_sep(o);
    w_money(o, p->amount);
    w_sep(o);
    w_str(o, channel_name[p->channel]);
    w_sep(o);
    w_money(o, p->burden);
    w_end(o);
}

/* Whether the household has a child of school age (6 to 22) on day d. */
static bool has_pupil(const household *h, xc_date d)
{
    for (uint32_t i = 1; i < h->n; i++) {
        const person *p = &P[h->first + i];
        if (p->relation == REL_CHILD && p->birth <= months_before(d, 6 * 12) &&
            p->birth > months_before(d, 22 * 12))
            return true;
    }
    return false;
}

/* Paid to the worker, on the social security card, while the household is
 * in the archive: 送温暖 before each Spring Festival, living aid every
 * quarter for some, school aid in September for pupils' families, medical
 * aid within the personal burden for a few; then the planted payments. */
static void write_payment(out *o)
{
    w_str(o, "id_no,paid_on,program,amount,channel,personal_burden\n");
    size_t si = 0;
    for (uint32_t hi = 0; hi < n_hh; hi++) {
        const household *h = &H[hi];
        int pl = h->plant;
        rng rr = rstream(S_PAYMENT, hi), *r = &rr;
        payment p[48];
        int n = 0;
        xc_date lo, last;
        if (process_span(h, &lo, &last)) {
            int y0, y1, mo, d;
            xc_date_to_ymd(lo, &y0, &mo, &d);
            xc_date_to_ymd(last, &y1, &mo, &d);
            bool medical = rpm(r, 120), other = rpm(r, 50);
            int64_t living = rpm(r, 450) ? rrange(r, 3, 10) * 10000 : 0;   /* a quarter's */
            for (int y = y0; y <= y1; y++) {
                xc_date day = rday(r, ymd(y, 1, 10), ymd(y, 2, 10));
                if (day >= lo && day <= last && rpm(r, 850))
                    p[n++] = (payment){day, PG_WARMTH, CH_CARD, rrange(r, 5, 10) * 10000, -1};
                for (int q = 3; living && q <= 12; q += 3) {
                    day = ymd(y, q, (int)rrange(r, 10, 20));
                    if (day >= lo && day <= last)
                        p[n++] = (payment){day, PG_LIVING, CH_CARD, living, -1};
                }
                day = rday(r, ymd(y, 9, 1), ymd(y, 9, 20));
                if (day >= lo && day <= last && has_pupil(h, day) && rpm(r, 700))
                    p[n++] = (payment){day, PG_EDUCATION, CH_CARD, rrange(r, 10, 30) * 10000,
                                       -1};
            }
            for (int k = medical ? 1 + (int)rbelow(r, 2) : 0; k > 0; k--) {
                int64_t burden = rrange(r, 800, 30000) * 100;
                p[n++] = (payment){rday(r, lo, last), PG_MEDICAL, CH_CARD,
                                   burden * rrange(r, 300, 900) / 1000 / 100 * 100, burden};
            }
            if (other)
                p[n++] = (payment){rday(r, lo, last), PG_OTHER, CH_CARD, rrange(r, 2, 5) * 10000,
                                   -1};
        }
        int64_t burden = rrange(r, 800, 20000) * 100;
        switch (pl) {
        case PL_PAY_BEFORE_ENROLL:
        case NM_PAY_ON_ENROLL:
        case PL_PAY_EXIT_DAY:
        case NM_PAY_BEFORE_EXIT:
            p[n++] = (payment){h->pa, rpm(r, 500) ? PG_LIVING : PG_WARMTH, CH_CARD,
                               rrange(r, 3, 10) * 10000, -1};
            break;
        case PL_PAY_MED_OVER:         /* a share too many, or the whole bill */
            p[n++] = (payment){h->pa, PG_MEDICAL, CH_CARD,
                               rpm(r, 500) ? burden + rrange(r, 1, 50) * 100
                                           : burden * rrange(r, 2, 4), burden};
            break;
        case NM_PAY_MED_EQUAL:
            p[n++] = (payment){h->pa, PG_MEDICAL, CH_CARD, burden, burden};
            break;
        case NM_PAY_MED_UNKNOWN:
            p[n++] = (payment){h->pa, PG_MEDICAL, CH_CARD, burden / 2 / 100 * 100, -1};
            break;
        case PL_PAY_CHANNEL:
            p[n++] = (payment){h->pa, PG_LIVING, rpm(r, 600) ? CH_BANK : CH_CASH,
                               rrange(r, 3, 10) * 10000, -1};
            if (h->var)
                p[n++] = (payment){h->pb, PG_WARMTH, rpm(r, 500) ? CH_BANK : CH_CASH,
                                   rrange(r, 5, 10) * 10000, -1};
            break;
        case NM_PAY_CHANNEL_OLD:
            p[n++] = (payment){h->pa, PG_WARMTH, CH_CASH, rrange(r, 5, 10) * 10000, -1};
            break;
        default:
            break;
        }
        qsort(p, (size_t)n, sizeof *p, cmp_payment);
        for (int i = 0; i < n; i++)
            w_payment(o, P[h->first].id17, &p[i]);
        for (; si < strangers.n && strangers.v[si].hh == hi; si++) {
            const stranger *x = &strangers.v[si];
            for (int i = 0; i < x->n; i++) {
                payment q = {x->on[i], x->program, CH_CARD, x->amount[i], -1};
                w_payment(o, x->id17, &q);
            }
        }
    }
}

static void write_exit_record(out *o)
{
    w_str(o, "archive_no,applied_on,publicity_from,publicity_to,approved_on,notified_on\n");
    for (size_t i = 0; i < exit_rows.n; i++) {
        const exit_row *e = &exit_rows.v[i];
        w_str(o, H[e->hh].archive_no);
        w_sep(o);
        w_date(o, e->applied);
        w_sep(o);
        w_date(o, e->from);
        w_sep(o);
        w_date(o, e->to);
        w_sep(o);
        w_date(o, e->approved);
        w_sep(o);
        w_date(o, e->notified);
        w_end(o);
    }
}

static void write_followup(out *o)
{
    w_str(o, "archive_no,followup_on\n");
    for (size_t i = 0; i < fu_rows.n; i++) {
        w_str(o, H[fu_rows.v[i].hh].archive_no);
        w_sep(o);
        w_date(o, fu_rows.v[i].on);
        w_end(o);
    }
}

static void write_candidate(out *o)
{
    w_str(o, "id_no,name,source,region_code\n");
    for (size_t i = 0; i < cand_rows.n; i++) {
        const cand *c = &cands.v[cand_rows.v[i].cand];
        char id[19];
        id_text(c->id17, id);
        w_mem(o, id, 18);
        w_sep(o);
        w_str(o, c->name);
        w_sep(o);
        w_str(o, list_name[cand_rows.v[i].list]);
        w_sep(o);
        w_region(o, c->region);
        w_end(o);
    }
}

/* ---- writing in two threads --------------------------------------------- */

typedef struct task {
    const char *name;
    void (*write)(out *o);
    bool process;                 /* written with --process only */
    uint64_t rows;
    double seconds;
} task;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static task tasks[] = {
    {"social_insurance", write_si, false, 0, 0}, {"hukou", write_hukou, false, 0, 0},
    {"property", write_property, false, 0, 0},   {"vehicle", write_vehicle, false, 0, 0},
    {"business", write_business, false, 0, 0},   {"payment", write_payment, true, 0, 0},
    {"contact", write_contact, true, 0, 0},      {"member", write_member, false, 0, 0},
    {"household", write_household, false, 0, 0}, {"exit_record", write_exit_record, true, 0, 0},
    {"followup", write_followup, true, 0, 0},    {"candidate", write_candidate, true, 0, 0},
    {"dibao_standard", write_dibao, false, 0, 0},
};
#define N_TASKS (COUNT(tasks))

static pthread_mutex_t task_lock = PTHREAD_MUTEX_INITIALIZER;
static size_t task_next;

/* The datasets --split writes as several files: the large reference ones. */
static bool split_dataset(const char *name)
{
    static const char *const big[] = {"hukou", "social_insurance", "property", "vehicle",
                                      "business"};
    for (size_t i = 0; i < COUNT(big); i++)
        if (strcmp(name, big[i]) == 0)
            return opt.split > 1;
    return false;
}

/* The name of part k (from 1) of dataset `name` split by --split:
 * hukou-001.csv.gz ... */
static void part_name(const char *name, unsigned k, char *ret, size_t size)
{
    snprintf(ret, size, "%s-%03u.csv.gz", name, k);
}

/* Rewrites DIR/<name>.csv.gz, whose header is followed by `rows` rows of
 * one line each (the generator quotes nothing), as opt.split files of about
 * equal rows, each with the header, and removes it. */
static void split_file(const char *name, uint64_t rows)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.csv.gz", opt.out, name);
    gzFile in = gzopen(path, "rb");
    if (!in)
        die("cannot read %s: %s", path, strerror(errno));
    gzbuffer(in, 1u << 18);
    size_t cap = 1u << 20, len = 0, header_len = 0;
    char *buf = xcalloc(cap, 1), *header = NULL;
    out o = {0};
    unsigned k = 0;
    uint64_t written = 0;         /* file k ends at row rows * k / opt.split */
    for (bool eof = false; !eof || len > 0;) {
        if (!eof) {
            int n = gzread(in, buf + len, (unsigned)(cap - len));
            if (n < 0) {
                int e;
                die("cannot read %s: %s", path, gzerror(in, &e));
            }
            eof = n == 0;
            len += (size_t)n;
        }
        size_t at = 0;
        for (char *nl; (nl = memchr(buf + at, '\n', len - at)) != NULL;) {
            size_t line = (size_t)(nl - (buf + at)) + 1;
            if (!header) {
                header = xcalloc(line, 1);
                memcpy(header, buf + at, line);
                header_len = line;
            } else {
                if (k == 0 || (k < opt.split && written >= rows * k / opt.split)) {
                    if (k)
                        out_close(&o);
                    char part[128];
                    part_name(name, ++k, part, sizeof part);
                    out_open(&o, part);
                    w_mem(&o, header, header_len);
                }
                /* a line longer than the buffer's room is flushed first */
                if (o.n + line > OUTBUF)
                    out_flush(&o);
                w_mem(&o, buf + at, line);
                if (o.n > OUTBUF - 4096)
                    out_flush(&o);
                written++;
            }
            at += line;
        }
        memmove(buf, buf + at, len - at);
        len -= at;
        if (eof && len > 0)
            die("%s: the last line has no line end", path);
        if (len == cap)
            die("%s: a line over %zu bytes", path, cap);
    }
    gzclose(in);
    /* a dataset of fewer rows than files: the others hold the header alone */
    while (k < opt.split) {
        if (k)
            out_close(&o);
        char part[128];
        part_name(name, ++k, part, sizeof part);
        out_open(&o, part);
        w_mem(&o, header ? header : "", header_len);
    }
    out_close(&o);
    free(buf);
    free(header);
    if (remove(path) != 0)
        die("cannot remove %s: %s", path, strerror(errno));
}

static void *task_worker(void *arg)
{
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&task_lock);
        size_t i = task_next < N_TASKS ? task_next++ : N_TASKS;
        pthread_mutex_unlock(&task_lock);
        if (i == N_TASKS)
            return NULL;
        if (tasks[i].process && !opt.process)
            continue;
        char name[64];
        snprintf(name, sizeof name, "%s.csv.gz", tasks[i].name);
        out o;
        double t0 = now();
        out_open(&o, name);
        tasks[i].write(&o);
        tasks[i].rows = o.rows;
        out_close(&o);
        if (split_dataset(tasks[i].name))
            split_file(tasks[i].name, o.rows);
        tasks[i].seconds = now() - t0;
    }
}

/* ---- configuration, expected flags, SQL --------------------------------- */

static FILE *open_text(const char *name, char *path, size_t pathsz)
{
    snprintf(path, pathsz, "%s/%s", opt.out, name);
    FILE *f = fopen(path, "w");
    if (!f)
        die("cannot write %s: %s", path, strerror(errno));
    return f;
}

static void close_text(FILE *f, const char *path)
{
    if (ferror(f) | (fclose(f) != 0))
        die("cannot write %s", path);
}

/* The datasets and their fields; process: bound with --process only (for
 * household: its field cadre_id). */
static const struct {
    const char *name;
    const char *fields;
    bool process;
} ds_fields[] = {
    {"household", "archive_no worker_id worker_name region_code level status enrolled_on "
                  "exited_on hardship_cause", false},
    {"member", "archive_no id_no name relation", false},
    {"hukou", "id_no name region_code status status_on", false},
    {"social_insurance", "id_no month kind employer amount", false},
    {"property", "id_no cert_no usage area_m2 region_code registered_on cancelled_on", false},
    {"vehicle", "id_no plate kind registered_on deregistered_on price", false},
    {"business", "id_no credit_code role registered_capital status established_on closed_on",
     false},
    {"dibao_standard", "region_code effective_from monthly_amount", false},
    {"contact", "archive_no contact_date kind cadre_id", true},
    {"payment", "id_no paid_on program amount channel personal_burden", true},
    {"exit_record", "archive_no applied_on publicity_from publicity_to approved_on notified_on",
     true},
    {"followup", "archive_no followup_on", true},
    {"candidate", "id_no name source region_code", true},
};

static void write_ini(void)
{
    char path[4096], asof[11];
    FILE *f = open_text("xcheck.ini", path, sizeof path);
    char factor[40] = "";
    if (opt.ref_factor > 1)      /* factor 1 writes what it always wrote */
        snprintf(factor, sizeof factor, ", reference data x%u", opt.ref_factor);
    fprintf(f, "; Written by xcgen (scale %g%s, seed %llu): the benchmark's datasets under\n"
               "; their logical names. expected-flags.csv lists the flags a run must raise.\n\n"
               "[run]\nas_of   = %s\nprofile = default\n",
            opt.scale, factor, (unsigned long long)opt.seed, xc_date_format(A, asof));
    for (size_t d = 0; d < COUNT(ds_fields); d++) {
        if (ds_fields[d].process && !opt.process)
            continue;
        fprintf(f, "\n[%s]\nkind = file\npath = %s%s.csv.gz\n", ds_fields[d].name,
                ds_fields[d].name, split_dataset(ds_fields[d].name) ? "-*" : "");
        char buf[256];
        snprintf(buf, sizeof buf, "%s", ds_fields[d].fields);
        for (char *save = NULL, *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save))
            fprintf(f, "field.%s = %s\n", t, t);
        if (d == 0 && opt.process)
            fprintf(f, "field.cadre_id = cadre_id\n");
        /* The malformed rows planted are allowed, no more; the registers
         * are exports taken LATER_DAYS after as_of. */
        static const struct {
            const char *name;
            const uint64_t *rejects;
            bool snapshot;
        } extra[] = {
            {"hukou", &stat_hukou_rejects, true}, {"social_insurance", &stat_si_rejects, false},
            {"property", &stat_prop_rejects, true}, {"vehicle", &stat_veh_rejects, true},
            {"business", &stat_biz_rejects, true},
        };
        for (size_t k = 0; k < COUNT(extra); k++) {
            if (strcmp(extra[k].name, ds_fields[d].name) != 0)
                continue;
            fprintf(f, "max_rejects = %llu\n", (unsigned long long)*extra[k].rejects);
            if (extra[k].snapshot)
                fprintf(f, "exported = %s\n", xc_date_format(A + LATER_DAYS, asof));
        }
    }
    close_text(f, path);
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static void write_expected(void)
{
    char path[4096];
    qsort(expected.v, expected.n, sizeof *expected.v, cmp_str);
    FILE *f = open_text("expected-flags.csv", path, sizeof path);
    fputs("rule,category,archive_no,masked_id,condition_from,condition_to\n", f);
    for (size_t i = 0; i < expected.n; i++)
        fprintf(f, "%s\n", expected.v[i]);
    close_text(f, path);
    qsort(near_misses.v, near_misses.n, sizeof *near_misses.v, cmp_str);
    f = open_text("near-misses.csv", path, sizeof path);
    fputs("rule,archive_no,masked_id,what\n", f);
    for (size_t i = 0; i < near_misses.n; i++)
        fprintf(f, "%s\n", near_misses.v[i]);
    close_text(f, path);
}

/* The tables, their columns and the column a department indexes them by;
 * process: loaded with --process only. */
static const struct {
    const char *name;
    const char *columns;
    const char *index;
    bool process;
} sql_tables[] = {
    {"household", "archive_no text, worker_id text, worker_name text, region_code text, "
                  "level text, status text, enrolled_on date, exited_on date, "
                  "hardship_cause text, cadre_id text", NULL, false},
    {"member", "archive_no text, id_no text, name text, relation text", NULL, false},
    {"hukou", "id_no text, name text, region_code text, status text, status_on date", "id_no",
     false},
    {"social_insurance", "id_no text, month text, kind text, employer text, "
                         "amount numeric(12,2)", "id_no", false},
    {"property", "id_no text, cert_no text, usage text, area_m2 numeric, region_code text, "
                 "registered_on date, cancelled_on date", "id_no", false},
    {"vehicle", "id_no text, plate text, kind text, registered_on date, "
                "deregistered_on date, price numeric(12,2)", "id_no", false},
    {"business", "id_no text, credit_code text, role text, registered_capital numeric(14,2), "
                 "status text, established_on date, closed_on date", "id_no", false},
    {"dibao_standard", "region_code text, effective_from date, monthly_amount numeric(10,2)",
     NULL, false},
    {"contact", "archive_no text, contact_date date, kind text, cadre_id text", "archive_no",
     true},
    {"payment", "id_no text, paid_on date, program text, amount numeric(12,2), channel text, "
                "personal_burden numeric(12,2)", "id_no", true},
    {"exit_record", "archive_no text, applied_on date, publicity_from date, publicity_to date, "
                    "approved_on date, notified_on date", "archive_no", true},
    {"followup", "archive_no text, followup_on date", "archive_no", true},
    {"candidate", "id_no text, name text, source text, region_code text", "id_no", true},
};

static void write_sql(void)
{
    char dir[PATH_MAX], path[4096];
    if (!realpath(opt.out, dir))
        die("cannot resolve %s: %s", opt.out, strerror(errno));
    for (const char *p = dir; *p; p++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+", *p))
            die("--sql-schema: the output directory's path %s has a character (%c) that "
                "load.sql cannot quote; use another directory", dir, *p);
    const char *s = opt.schema;
    FILE *f = open_text("load.sql", path, sizeof path);
    fprintf(f, "-- Written by xcgen: loads the benchmark's datasets into schema %s.\n"
               "-- psql -v ON_ERROR_STOP=1 -f load.sql\n"
               "\\set ON_ERROR_STOP on\n"
               "CREATE SCHEMA IF NOT EXISTS %s;\n", s, s);
#define TABLES for (size_t t = 0; t < COUNT(sql_tables); t++) \
        if (!sql_tables[t].process || opt.process)
    TABLES
        fprintf(f, "DROP TABLE IF EXISTS %s.%s;\nCREATE TABLE %s.%s (%s);\n", s,
                sql_tables[t].name, s, sql_tables[t].name, sql_tables[t].columns);
    TABLES
        for (unsigned k = 1; k <= (split_dataset(sql_tables[t].name) ? opt.split : 1); k++) {
            char file[128];
            if (split_dataset(sql_tables[t].name))
                part_name(sql_tables[t].name, k, file, sizeof file);
            else
                snprintf(file, sizeof file, "%s.csv.gz", sql_tables[t].name);
            fprintf(f, "\\copy %s.%s FROM PROGRAM 'gzip -dc %s/%s' "
                       "WITH (FORMAT csv, HEADER true)\n", s, sql_tables[t].name, dir, file);
        }
    TABLES
        if (sql_tables[t].index)
            fprintf(f, "CREATE INDEX %s_%s ON %s.%s (%s);\n", sql_tables[t].name,
                    sql_tables[t].index, s, sql_tables[t].name, sql_tables[t].index);
    TABLES
        fprintf(f, "ANALYZE %s.%s;\n", s, sql_tables[t].name);
#undef TABLES
    close_text(f, path);
}

/* ---- main --------------------------------------------------------------- */

static const char usage_line[] =
    "Usage: xcgen --out DIR [--scale S] [--ref-factor F] [--seed N]\n"
    "             [--as-of YYYY-MM-DD] [--sql-schema NAME] [--process] [--si-hole N]\n"
    "             [--dry-run] [--arch-seqs N] [--split N] [--si-months N]\n";

static void usage(void) __attribute__((noreturn));
static void usage(void)
{
    fputs(usage_line, stderr);
    exit(2);
}

static void help(void) __attribute__((noreturn));
static void help(void)
{
    fputs(usage_line, stdout);
    fputs("Writes the benchmark's datasets (tests/bench/SCHEMA.md) into DIR as gzip CSV,\n"
          "with xcheck.ini binding them, expected-flags.csv, the flags a run must raise,\n"
          "and near-misses.csv, the planted near misses no rule may flag.\n"
          "\n"
          "  --out DIR          the output directory (created if missing)\n"
          "  --si-hole N        social_insurance holds no row of N months (1 to 6) ending\n"
          "                     6 months before as_of's: the planted income flags that\n"
          "                     rest on them are not expected (they cannot be judged)\n"
          "  --si-months N      the archive's social insurance for the N months (24 to\n"
          "                     120) before as_of instead of 24: the earlier months\n"
          "                     below the standard, an exited household's above from 6\n"
          "                     months before its exit; the same archive, reference\n"
          "                     people and expected flags (default 24)\n"
          "  --scale S          size, in (0, 100]; 1 is 100,000 households against\n"
          "                     hukou 10 M, social_insurance 24 M, property 3 M,\n"
          "                     vehicle 2 M and business 1 M rows (default 1)\n"
          "  --ref-factor F     an integer, 1 to 16: F times the rows of hukou,\n"
          "                     social_insurance, property, vehicle and business, the\n"
          "                     added ones all of people outside the archive; household,\n"
          "                     member, dibao_standard and expected-flags.csv stay those\n"
          "                     of factor 1, byte for byte; S x F at most 100 (default 1)\n"
          "  --seed N           the random seed (default 1)\n"
          "  --split N          write hukou, social_insurance, property, vehicle and\n"
          "                     business as N files each (2 to 999) of about equal\n"
          "                     rows, <dataset>-001.csv.gz ..., each with the header,\n"
          "                     bound in xcheck.ini by the glob <dataset>-*.csv.gz;\n"
          "                     the rows and flags are those of one file (default 1)\n"
          "  --as-of DATE       the day of the check, YYYY-MM-DD (default 2026-06-30)\n"
          "  --sql-schema NAME  also write load.sql, loading the datasets into PostgreSQL\n"
          "                     schema NAME\n"
          "  --process          also the union's process data: bind household.cadre_id,\n"
          "                     write and bind contact, payment, exit_record, followup\n"
          "                     and candidate, and expect the flags of the process rules\n"
          "                     (CT-UNPAIRED ... CAND-ELIGIBLE); without it xcheck.ini\n"
          "                     binds what tests/bench/peer.sql checks\n"
          "  --dry-run          build the archive, its people's ID numbers and the\n"
          "                     candidates, print their counts and stop: whether a scale\n"
          "                     fits the ID space, without the time, memory and disk of\n"
          "                     its reference data\n"
          "  --arch-seqs N      a test of the ID allocator: give each region's birth day\n"
          "                     N archive numbers per sex instead of all 100 (1 to 100,\n"
          "                     prime to 7), so that a small scale fills days as a large\n"
          "                     one does (default 100)\n", stdout);
    exit(0);
}

static void parse_args(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
            help();
        if (strcmp(a, "--process") == 0) {
            opt.process = true;
            continue;
        }
        if (strcmp(a, "--dry-run") == 0) {
            opt.dry_run = true;
            continue;
        }
        if (i + 1 >= argc)
            usage();
        const char *v = argv[++i];
        char *end;
        if (strcmp(a, "--out") == 0) {
            opt.out = v;
        } else if (strcmp(a, "--scale") == 0) {
            errno = 0;
            opt.scale = strtod(v, &end);
            if (*end || errno || !(opt.scale > 0) || opt.scale > 100)
                die("--scale: '%s' is not a number in (0, 100]", v);
        } else if (strcmp(a, "--ref-factor") == 0) {
            errno = 0;
            unsigned long f = strtoul(v, &end, 10);
            if (*end || errno || !*v || *v == '-' || f < 1 || f > 16)
                die("--ref-factor: '%s' is not an integer from 1 to 16", v);
            opt.ref_factor = (unsigned)f;
        } else if (strcmp(a, "--arch-seqs") == 0) {
            errno = 0;
            unsigned long n = strtoul(v, &end, 10);
            if (*end || errno || !*v || *v == '-' || n < 1 || n > 100 || n % 7 == 0)
                die("--arch-seqs: '%s' is not an integer from 1 to 100 prime to 7", v);
            opt.arch_seqs = (unsigned)n;
        } else if (strcmp(a, "--si-hole") == 0) {
            errno = 0;
            unsigned long n = strtoul(v, &end, 10);
            if (*end || errno || !*v || *v == '-' || n < 1 || n > 6)
                die("--si-hole: '%s' is not an integer from 1 to 6", v);
            opt.si_hole = (unsigned)n;
        } else if (strcmp(a, "--si-months") == 0) {
            errno = 0;
            unsigned long n = strtoul(v, &end, 10);
            if (*end || errno || !*v || *v == '-' || n < WINDOW || n > 120)
                die("--si-months: '%s' is not an integer from %d to 120", v, WINDOW);
            opt.si_months = (unsigned)n;
        } else if (strcmp(a, "--split") == 0) {
            errno = 0;
            unsigned long n = strtoul(v, &end, 10);
            if (*end || errno || !*v || *v == '-' || n < 1 || n > 999)
                die("--split: '%s' is not an integer from 1 to 999", v);
            opt.split = (unsigned)n;
        } else if (strcmp(a, "--seed") == 0) {
            errno = 0;
            opt.seed = strtoull(v, &end, 10);
            if (*end || errno || !*v)
                die("--seed: '%s' is not a number", v);
        } else if (strcmp(a, "--as-of") == 0) {
            if (xc_date_parse_iso(v, &opt.as_of) < 0)
                die("--as-of: '%s' is not a date YYYY-MM-DD", v);
        } else if (strcmp(a, "--sql-schema") == 0) {
            if (!*v || strlen(v) > 63 || strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789_") !=
                strlen(v) || (v[0] >= '0' && v[0] <= '9'))
                die("--sql-schema: '%s' is not a lower-case SQL identifier", v);
            opt.schema = v;
        } else {
            usage();
        }
    }
    if (!opt.out)
        usage();
    /* the people outside the archive are counted in 32 bits */
    if (opt.scale * opt.ref_factor > 100)
        die("--ref-factor: --scale %g times --ref-factor %u is over 100", opt.scale,
            opt.ref_factor);
}

int main(int argc, char **argv)
{
    double t_start = now();
    opt.as_of = ymd(2026, 6, 30);
    parse_args(argc, argv);
    A = opt.as_of;
    int m, d;
    xc_date_to_ymd(A, &YA, &m, &d);
    if (YA < 2000 || YA > 2100)
        die("--as-of: the year must be between 2000 and 2100");
    L = xc_date_month(A + 1) - 1;
    W0 = L - (WINDOW - 1);
    E0 = L - ((xc_month)opt.si_months - 1);
    if (opt.si_hole) {
        HOLE1 = L - 6;
        HOLE0 = HOLE1 - (xc_month)opt.si_hole + 1;
    }
    audit_from = months_before(A, 12);
    xc_date_to_ymd(months_before(A, 18 * 12), &YA, &m, &d);
    adult_cutoff = (unsigned)(YA * 10000 + m * 100 + d);
    xc_date_to_ymd(A, &YA, &m, &d);
    if (!opt.dry_run && mkdir(opt.out, 0777) < 0 && errno != EEXIST)
        die("cannot create %s: %s", opt.out, strerror(errno));

    setup_regions();
    setup_standards();
    setup_employers();
    setup_counters();
    setup_calendar();
    setup_process_dates();

    n_hh = (size_t)scaled(100000);
    if (n_hh < 1)
        n_hh = 1;
    H = xcalloc(n_hh, sizeof *H);
    plan_plants();
    for (uint32_t i = 0; i < n_hh; i++)
        gen_household(i);
    link_pairs();
    for (uint32_t i = 0; i < n_hh; i++)
        plan_process(i);
    gen_candidates();
    if (opt.dry_run) {
        printf("xcgen: dry run: scale %g, seed %llu: households %zu, persons %zu, numbered "
               "in another region %zu, candidates %zu (%zu left off), expected flags so "
               "far %zu\n", opt.scale, (unsigned long long)opt.seed, n_hh, n_p, n_arch_moved,
               cands.n, n_cand_skipped, expected.n);
        return 0;
    }

    /* the others: the first of them are the same at every --ref-factor */
    uint64_t arch = hukou_archive_rows() + n_cand_out;
    uint64_t want_hukou = ref_scaled(10000000), stable = scaled(10000000);
    gen_others(want_hukou > arch ? (size_t)(want_hukou - arch) : 1);
    gen_strangers(stable > arch ? (size_t)(stable - arch) : 1);

    double t_model = now() - t_start;
    pthread_t tid;
    if (pthread_create(&tid, NULL, task_worker, NULL) != 0)
        die("cannot start a thread");
    task_worker(NULL);
    pthread_join(tid, NULL);

    write_ini();
    write_expected();
    if (opt.schema)
        write_sql();

    /* summary */
    printf("xcgen: %s: scale %g, reference factor %u, seed %llu, as_of %s\n", opt.out,
           opt.scale, opt.ref_factor, (unsigned long long)opt.seed,
           xc_date_format(A, (char[11]){0}));
    printf("archive and people in %.2f s, everything in %.2f s\n", t_model, now() - t_start);
    printf("households %zu, persons %zu (+%zu listed twice), expected flags %zu\n", n_hh, n_p,
           plant_count[PL_DUP] + plant_count[NM_DUP], expected.n);
    for (size_t i = 0; i < N_TASKS; i++)
        if (!tasks[i].process || opt.process)
            printf("  %-16s %12llu rows %8.2f s\n", tasks[i].name,
                   (unsigned long long)tasks[i].rows, tasks[i].seconds);
    if (opt.si_hole)
        printf("social insurance hole: %s..%s, planted income flags left unjudged: %zu\n",
               xc_month_format(HOLE0, (char[8]){0}), xc_month_format(HOLE1, (char[8]){0}),
               n_hole_dropped);
    printf("rejects: hukou=%llu social_insurance=%llu property=%llu vehicle=%llu "
           "business=%llu\n", (unsigned long long)stat_hukou_rejects,
           (unsigned long long)stat_si_rejects, (unsigned long long)stat_prop_rejects,
           (unsigned long long)stat_veh_rejects, (unsigned long long)stat_biz_rejects);
    printf("  insured people %llu (archive rows %llu)\n", (unsigned long long)stat_si_people,
           (unsigned long long)stat_si_archive_rows);
    if (n_cand_skipped)
        printf("  workers of exited households left off the candidate lists (their masked "
               "form taken): %zu\n", n_cand_skipped);
    if (n_arch_moved)
        printf("  archived people numbered in another region (their birth day full in "
               "their own): %zu\n", n_arch_moved);
    printf("planted households (and candidates), near misses %zu:\n", near_misses.n);
    for (int pl = 1; pl < PL_COUNT; pl++)
        if (plant_count[pl])
            printf("  %6zu  %-20s %s\n", plant_count[pl], plants[pl].rule ? plants[pl].rule : "-",
                   plants[pl].name);
    return 0;
}
