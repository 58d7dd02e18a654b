/* tests/unit/abi_layout_row.h - one measured line of an ABI record, shared by
 * the C probes (abi_layout_probe.c) and the C++ test that compares them. */
#ifndef PYHOOKS_TESTS_ABI_LAYOUT_ROW_H
#define PYHOOKS_TESTS_ABI_LAYOUT_ROW_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum phl_kind {
  PHL_STRUCT,   /* size and alignment of a struct */
  PHL_MEMBER,   /* offset, size and alignment of one member */
  PHL_CONSTANT, /* value of an integer macro */
  PHL_STRING    /* value of a string macro */
} phl_kind;

typedef struct phl_row {
  phl_kind kind;
  const char* name;   /* struct or macro name */
  const char* member; /* member name, or "" */
  size_t offset;
  size_t size;
  size_t align;
  long long value;
  const char* text;
} phl_row;

typedef struct phl_table {
  const phl_row* rows;
  size_t count;
} phl_table;

#ifdef __cplusplus
}
#endif

#endif
