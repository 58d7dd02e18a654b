/* tests/unit/abi_layout_probe.c - one ABI record (plugin-api/abi/layout-*.def)
 * measured against one header (plugin ABI policy HOST-8).
 *
 * The build compiles this file twice per frozen ABI version: once with that
 * frozen header, once with the current plugin.h at PYHOOKS_TARGET_ABI_MINOR
 * of that version. Each copy exports a table, named by PYHOOKS_LAYOUT_TABLE,
 * of the offset, size and alignment of every member and the value of every
 * constant the record lists; abi_layout_test.cc compares the two tables.
 */
#include <stddef.h>
#include <string.h>

#include PYHOOKS_LAYOUT_HEADER

#include "abi_layout_row.h"

#define PYHOOKS_LAYOUT_STRUCT(type) \
  {PHL_STRUCT, #type, "", 0, sizeof(type), _Alignof(type), 0, ""},
#define PYHOOKS_LAYOUT_MEMBER(type, member) \
  {PHL_MEMBER,                              \
   #type,                                   \
   #member,                                 \
   offsetof(type, member),                  \
   sizeof(((type*)0)->member),              \
   __alignof__(((type*)0)->member),         \
   0,                                       \
   ""},
#define PYHOOKS_LAYOUT_CONSTANT(name) \
  {PHL_CONSTANT, #name, "", 0, 0, 0, (long long)(name), ""},
#define PYHOOKS_LAYOUT_STRING(name) {PHL_STRING, #name, "", 0, 0, 0, 0, name},

static const phl_row rows[] = {
#include PYHOOKS_LAYOUT_LIST
};

const phl_table PYHOOKS_LAYOUT_TABLE = {rows, sizeof(rows) / sizeof(rows[0])};
