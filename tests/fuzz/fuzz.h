/* fuzz.h - what every fuzz target defines: libFuzzer's entry point. The
 * targets are built with clang's -fsanitize=fuzzer under -Dfuzz=true, and
 * always as plain programs (replay.c) that feed them every file of their
 * corpus, so that the corpora run as ordinary tests. */
#ifndef XCHECK_FUZZ_H
#define XCHECK_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Writes data[0..size) to a new file named from path, a mkstemp() template
 * ("/tmp/xcheck-fuzz-...-XXXXXX", filled in). Returns 0, or -1 with no file
 * left. */
static inline int fuzz_input_file(const uint8_t *data, size_t size, char *path)
{
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    bool whole = write(fd, data, size) == (ssize_t)size;
    close(fd);
    if (!whole)
        unlink(path);
    return whole ? 0 : -1;
}

#endif
