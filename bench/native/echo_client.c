/*
 * Reference client, used only to check the Java load generator: a minimal single-threaded epoll
 * closed-loop echo client in C. It opens C connections, keeps one message of S bytes in flight on each,
 * and prints the round trips per second it achieved. No checking of content, no histograms: a ceiling.
 *   echo-client --port P [--connections C] [--size S] [--seconds T] [--warmup W]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "lifeline.h"

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    int port = 7007, conns = 100, size = 64;
    double seconds = 5, warmup = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--port")) port = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--connections")) conns = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--size")) size = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--seconds")) seconds = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--warmup")) warmup = atof(argv[i + 1]);
        else { fprintf(stderr, "echo-client: unknown option '%s'\n", argv[i]); return 2; }
    }
    lifeline_start();
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((unsigned short) port)};
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    int epfd = epoll_create1(0), one = 1;
    int *received = calloc((size_t) conns, sizeof(int));
    char *message = malloc((size_t) size), buffer[65536];
    memset(message, 'x', (size_t) size);
    for (int i = 0; i < conns; i++) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(fd, (struct sockaddr *) &addr, sizeof addr) < 0) { perror("echo-client: connect"); return 1; }
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        struct epoll_event ev = {.events = EPOLLIN, .data.u64 = ((unsigned long long) i << 32) | (unsigned) fd};
        epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
        if (write(fd, message, (size_t) size) != size) { perror("echo-client: write"); return 1; }
    }
    struct epoll_event events[512];
    double start = now(), measure_from = start + warmup, end = measure_from + seconds;
    unsigned long long done = 0, turns = 0;
    for (double t = start; t < end; t = now()) {
        int n = epoll_wait(epfd, events, 512, 100);
        if ((n == 0 || ++turns % 1024 == 0) && lifeline_broken()) { fprintf(stderr, "echo-client: the tool is gone\n"); return 1; }
        for (int e = 0; e < n; e++) {
            int fd = (int) (events[e].data.u64 & 0xffffffffu), i = (int) (events[e].data.u64 >> 32);
            ssize_t r = read(fd, buffer, sizeof buffer);
            if (r <= 0) { fprintf(stderr, "echo-client: connection %d closed\n", i); return 1; }
            received[i] += (int) r;
            if (received[i] >= size) {
                received[i] -= size;
                if (t >= measure_from) done++;
                if (write(fd, message, (size_t) size) != size) { perror("echo-client: write"); return 1; }
            }
        }
    }
    printf("%.0f round trips/s (%d connections, %d B, %.1f s)\n", done / seconds, conns, size, seconds);
    return 0;
}
