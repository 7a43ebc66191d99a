/* Writing a rendered output. Both functions report a failure on standard error and return -1,
 * else 0. */
#ifndef JM_CLI_OUTPUT_WRITE_H
#define JM_CLI_OUTPUT_WRITE_H

#include <stddef.h>

#include "output_file.h"

/* Writes data to path (a file, replaced atomically, see output_write_atomic; or a device or
 * FIFO, written in place); input names the map in a message. */
int write_output(const char *path, const void *data, size_t len, const char *input,
                 output_durability how);

int write_stdout(const unsigned char *data, size_t len);

#endif
