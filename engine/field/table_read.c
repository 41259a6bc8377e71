/* table_read.c - a filled-in table, CSV or workbook, told apart by its
 * first bytes: the one reader above both formats. A pipe is read as CSV
 * without a look first: what is read from it is gone, and a workbook,
 * read by seeking in its zip, cannot come from one anyway. */
#include "table.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int xc_table_read(const char *path, const char *sheet, xc_table **ret, xc_err *err)
{
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
        return xc_table_read_csv(path, ret, err);
    char magic[4] = {0};
    FILE *f = fopen(path, "rb");
    if (!f) {
        xc_err_set(err, XC_EIO, "cannot open \"%s\": %s", path, strerror(errno));
        xc_err_at(err, path, 0, NULL);
        return XC_EIO;
    }
    size_t n = fread(magic, 1, 4, f);
    fclose(f);
    if (n == 4 && memcmp(magic, "PK\x03\x04", 4) == 0)
        return xc_table_read_xlsx(path, sheet, ret, err);
    return xc_table_read_csv(path, ret, err);
}
