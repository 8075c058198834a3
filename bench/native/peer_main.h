/*
 * What every native echo peer does before its loop, in one place: the command line ([--host H]
 * [--port P], --help), the lifeline to the tool that started it, SIGINT and SIGTERM to stop (SIGPIPE
 * ignored: a vanished client is an error return, not a signal), and the listening socket, announced
 * with the line the tools wait for: "listening on H:P".
 */
#ifndef ECHOLAB_PEER_MAIN_H
#define ECHOLAB_PEER_MAIN_H
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "lifeline.h"

static volatile sig_atomic_t stopping = 0;

static void on_signal(int sig) { (void) sig; stopping = 1; }

/*
 * A failed accept (out of descriptors, say) leaves the client in the backlog and the listener ready, so
 * a loop that tried again at once would spin. The peers stop accepting for ACCEPT_PAUSE_MS instead, say
 * so once, and count the failures for the line they print when they stop.
 */
#define ACCEPT_PAUSE_MS 100
static unsigned long accept_failures = 0;
static int accept_first_errno = 0;

static long long now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long) t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Counts a failed accept (errno err) and returns when accepting may resume; the first one is reported. */
static long long accept_failed(const char *name, int err) {
    if (accept_failures++ == 0) {
        accept_first_errno = err;
        fprintf(stderr, "%s: accept failed: %s; pausing accepts %d ms at a time (counted when it stops)\n", name, strerror(err),
                ACCEPT_PAUSE_MS);
    }
    return now_ms() + ACCEPT_PAUSE_MS;
}

/* The stop line's account of failed accepts, if any. */
static void report_accept_failures(const char *name) {
    if (accept_failures > 0) {
        fprintf(stderr, "%s: %lu accepts failed (first: %s)\n", name, accept_failures, strerror(accept_first_errno));
    }
}

/*
 * Parses the options, starts the lifeline and the signal handlers, and listens (socket() flags in
 * sock_flags, e.g. SOCK_NONBLOCK). Returns the listening socket, or -1 with the exit status in *status:
 * 0 after --help, 2 for bad usage, 1 when it cannot listen.
 */
static int peer_start(const char *name, const char *usage, int argc, char **argv, int sock_flags, int *status) {
    const char *host = "127.0.0.1";
    long port = 7007;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) { fputs(usage, stdout); *status = 0; return -1; }
        if (!strcmp(argv[i], "--host") && i + 1 < argc) { host = argv[++i]; continue; }
        if (!strcmp(argv[i], "--port") && i + 1 < argc) {
            char *end;
            port = strtol(argv[++i], &end, 10);
            if (*end || port < 0 || port > 65535) { fprintf(stderr, "%s: bad port '%s'\n%s", name, argv[i], usage); *status = 2; return -1; }
            continue;
        }
        fprintf(stderr, "%s: unknown option '%s'\n%s", name, argv[i], usage);
        *status = 2;
        return -1;
    }
    lifeline_start();
    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((unsigned short) port)};
    if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) { fprintf(stderr, "%s: bad host '%s'\n", name, host); *status = 2; return -1; }
    int lfd = socket(AF_INET, SOCK_STREAM | sock_flags, 0);
    int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(lfd, (struct sockaddr *) &addr, sizeof addr) < 0 || listen(lfd, 4096) < 0) {
        if (errno == EADDRINUSE) fprintf(stderr, "%s: port %ld is already in use on %s\n", name, port, host);
        else fprintf(stderr, "%s: cannot listen on %s:%ld: %s\n", name, host, port, strerror(errno));
        *status = 1;
        return -1;
    }
    socklen_t len = sizeof addr;
    getsockname(lfd, (struct sockaddr *) &addr, &len);
    printf("listening on %s:%d\n", host, ntohs(addr.sin_port));
    fflush(stdout);
    return lfd;
}
#endif
