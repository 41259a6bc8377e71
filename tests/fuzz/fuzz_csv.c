/* fuzz_csv.c - the file connector's row reader on any bytes, as a member
 * file (plain or gzip): every row it gives has the binding's fields, the
 * rows and bytes it counts are consistent, and it ends with XC_DONE or an
 * error that says why. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "xcheck/config.h"
#include "xcheck/plugin/source.h"

static const char config[] =
    "[household]\npath = h.csv\nfield.archive_no = a\nfield.worker_id = b\n"
    "field.worker_name = c\nfield.region_code = d\nfield.level = e\nfield.status = f\n"
    "field.enrolled_on = g\nfield.exited_on = h\nfield.hardship_cause = i\n"
    "[member]\npath = %s\nfield.archive_no = archive_no\nfield.id_no = id_no\n"
    "field.name = name\nfield.relation = relation\n%s";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[] = "/tmp/xcheck-fuzz-csv-XXXXXX";
    if (fuzz_input_file(data, size, path) < 0)
        return 0;
    /* The first byte chooses the binding's shape. */
    static const char *const shapes[] = {"", "encoding = gb18030\n", "delimiter = tab\n",
                                         "quote = none\n"};
    const char *shape = shapes[size ? data[0] % 4 : 0];
    char text[2048];
    snprintf(text, sizeof text, config, path, shape);
    xc_config *c = NULL;
    xc_err err;
    xc_err_clear(&err);
    if (xc_config_parse(text, "fuzz.ini", "/tmp", &c, &err) != XC_OK)
        abort();
    xc_source *src = NULL;
    if (xc_source_open(&c->ds[XC_DS_MEMBER], &src, &err) == XC_OK) {
        xc_raw_row row;
        int rc;
        long rows = 0;
        while ((rc = xc_source_next(src, &row, &err)) == XC_OK) {
            rows++;
            if (row.line < 1)
                abort();
        }
        if (rc != XC_DONE && !err.msg[0])
            abort();
        if (rc == XC_DONE && src->rows != (uint64_t)rows)
            abort();
        xc_source_close(src);
    } else if (!err.msg[0]) {
        abort();
    }
    xc_config_free(c);
    unlink(path);
    return 0;
}
