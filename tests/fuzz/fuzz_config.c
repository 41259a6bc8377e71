/* fuzz_config.c - the configuration parser on any text: it accepts or
 * refuses with a message, never crashes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "xcheck/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    xc_config *c = NULL;
    xc_err err;
    xc_err_clear(&err);
    int rc = xc_config_parse(text, "fuzz.ini", "/nonexistent", &c, &err);
    if (rc == XC_OK && !c)
        abort();
    if (rc < 0 && !err.msg[0])
        abort();              /* a refusal says why */
    xc_config_free(c);
    free(text);
    return 0;
}
