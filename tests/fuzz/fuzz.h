/* fuzz.h: what each fuzz harness defines. Built twice: as a libFuzzer target with clang
 * (tools/run-fuzz), and as a test in the suite that replays deterministic mutations of the
 * harness's seed corpus (tests/fuzz/corpus/NAME/) through fuzz-replay.c. */
#pragma once

#include <glib.h>
#include <stdint.h>
#include <stddef.h>

G_BEGIN_DECLS

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* The harness's name: its corpus folder. */
extern const char *fuzz_name;
/* Mutations replayed per seed file in the test suite. */
extern const guint fuzz_rounds;

G_END_DECLS
