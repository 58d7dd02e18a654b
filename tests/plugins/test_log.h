/* tests/plugins/test_log.h - the line log a test plugin keeps and a test
 * reads back through the exported pyhooks_test_take_events (one per plugin
 * library; included by exactly one source of each). */
#ifndef PYHOOKS_TEST_LOG_H
#define PYHOOKS_TEST_LOG_H

#include <stdlib.h>
#include <string.h>

#ifndef TEST_EXPORT
#define TEST_EXPORT PYHOOKS_EXPORT
#endif
#ifndef TEST_MAYBE_UNUSED
#define TEST_MAYBE_UNUSED __attribute__((unused))
#endif

static char* event_log;
static size_t event_log_used, event_log_capacity;

/* Appends one line; the log grows as needed (a test that lost events
 * silently would test nothing). */
TEST_MAYBE_UNUSED static void log_line(const char* line) {
  size_t length = strlen(line);
  if (event_log_used + length + 2 > event_log_capacity) {
    size_t capacity = event_log_capacity ? 2 * event_log_capacity : 1 << 20;
    while (capacity < event_log_used + length + 2) capacity *= 2;
    char* grown = realloc(event_log, capacity);
    if (grown == NULL) {
      abort(); /* a test plugin: out of memory is not a result */
    }
    event_log = grown;
    event_log_capacity = capacity;
  }
  memcpy(event_log + event_log_used, line, length);
  event_log_used += length;
  event_log[event_log_used++] = '\n';
  event_log[event_log_used] = '\0';
}

/* Copies the log into `buffer` (NUL-terminated) and clears it. Returns the
 * full length, so a caller can retry with a bigger buffer. */
TEST_EXPORT size_t pyhooks_test_take_events(char* buffer, size_t size) {
  size_t length = event_log_used;
  if (buffer != NULL && size > length) {
    if (event_log != NULL) memcpy(buffer, event_log, length);
    buffer[length] = '\0';
    event_log_used = 0;
  }
  return length;
}

#endif
