/* The program's output files: written atomically through a temporary file that a signal handler
 * can remove, and temporary files left by a killed run removed by the next one. */
#ifndef JM_CLI_OUTPUT_FILE_H
#define JM_CLI_OUTPUT_FILE_H

#include <stddef.h>

/* Whether a file that replaces another is flushed to disk before the rename, so that a power
 * cut leaves the old file or the new one (OUTPUT_DURABLE), or not (OUTPUT_FAST): journeymap
 * watch replaces its outputs at every save and renders them all again when it starts, and a
 * flush cost it 1 to 12 ms a save (bench/README.md). */
typedef enum { OUTPUT_DURABLE, OUTPUT_FAST } output_durability;

/* Writes len bytes to path through a temporary file in the same folder, `.NAME.jm-PID-XXXXXX`
 * (NAME cut short when the whole would pass the folder's name limit), renamed into place only
 * when complete. The temporary file is created with mode 0666 less the umask, locked (flock)
 * while it is written, and, OUTPUT_DURABLE, flushed to disk before the rename only when it
 * replaces a file. Returns 0, or the errno value of what failed (nothing is left behind then). */
int output_write_atomic(const char *path, const void *data, size_t len, output_durability how);

/* The temporary file being written right now, "" when none: for a signal handler, which may
 * remove it. The program writes from one thread. */
const char *output_pending_temp(void);

/* Removes the temporary files in folder dir that a run of this program left when it was killed
 * (SIGKILL, a crash, a power cut): a name of the form above whose process is gone and whose
 * lock nobody holds. Returns how many it removed. */
size_t output_remove_stale_temps(const char *dir);

#endif
