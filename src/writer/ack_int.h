/* ack_int.h - opt-in acknowledgement log of the writer, for fault-injection tests. */
#ifndef CPET_ACK_INT_H
#define CPET_ACK_INT_H

#include <stdint.h>

/* The file descriptor named by CPET_ACK_FD in the environment, or -1 when it is unset or not a
 * non-negative number. Read at each call (a test program may set it after start-up). */
int cpet__ack_fd(void);

/* Writes "ACK <run>\n" to fd with one write(2); errors are ignored (the log is a test aid and
 * must never change the sweep's behaviour). */
void cpet__ack_write(int fd, int64_t run_idx);

#endif
