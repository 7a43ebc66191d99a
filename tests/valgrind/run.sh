#!/bin/sh
# Runs a command under valgrind's memcheck: any invalid read or write, use of uninitialised
# memory, or definitely lost block fails the test. "Possibly lost" blocks are Pango's interned
# language tags, kept for the process's life on purpose; they are not counted. No suppressions:
# a definite leak in any library we call is worth knowing about.
#
#   tests/valgrind/run.sh COMMAND [ARG...]
set -eu
exec valgrind --tool=memcheck --error-exitcode=99 --leak-check=full \
    --errors-for-leak-kinds=definite --show-leak-kinds=definite --track-origins=no \
    --child-silent-after-fork=yes -q "$@"
