/*
 * Started by an echo-lab tool, which puts its own PID in ECHOLAB_PARENT_PID: end when that tool is gone,
 * however it ended (SIGKILL included). The kernel gives an orphan a new parent, so getppid() stops being
 * the tool's PID; the loops ask whenever they are idle and every 1,024 turns.
 */
#ifndef ECHOLAB_LIFELINE_H
#define ECHOLAB_LIFELINE_H
#include <stdlib.h>
#include <unistd.h>

static pid_t lifeline_parent = 0;

static void lifeline_start(void) {
    const char *pid = getenv("ECHOLAB_PARENT_PID");
    if (pid && *pid) lifeline_parent = (pid_t) atol(pid);
}

static int lifeline_broken(void) { return lifeline_parent && getppid() != lifeline_parent; }
#endif
