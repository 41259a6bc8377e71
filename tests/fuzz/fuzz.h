/* fuzz.h - what every fuzz target defines: libFuzzer's entry point. The
 * targets are built with clang's -fsanitize=fuzzer under -Dfuzz=true, and
 * always as plain programs (replay.c) that feed them every file of their
 * corpus, so that the corpora run as ordinary tests. */
#ifndef XCHECK_FUZZ_H
#define XCHECK_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
