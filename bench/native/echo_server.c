/*
 * Reference peer, not a teaching file: a minimal single-threaded epoll echo server in C, the ceiling
 * the JVM servers are measured against. Same command line and lines as the Java servers:
 *   echo-server [--host H] [--port P]   prints "listening on H:P", stops on SIGINT/SIGTERM.
 * Level-triggered epoll, one 64 KiB read buffer shared by all connections; bytes the kernel would not
 * take are kept per connection, and reading from that connection stops until they are written
 * (backpressure, as in selector-echo).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "peer_main.h"

#define BUFFER_SIZE (64 * 1024)
#define MAX_EVENTS 512

struct conn {
    int fd;
    char *pending;      /* bytes read but not yet written back; NULL when none */
    size_t pending_off, pending_len;
};

#define USAGE "Usage: echo-server [--host HOST] [--port PORT]\n" \
              "Native epoll echo server (echo-lab reference peer). Default 127.0.0.1:7007; port 0 picks a free port.\n"

static unsigned long long served = 0, echoed = 0;

static void close_conn(int epfd, struct conn *c) {
    epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    free(c->pending);
    free(c);
}

static void set_events(int epfd, struct conn *c) {
    struct epoll_event ev = {.events = c->pending ? EPOLLOUT : EPOLLIN, .data.ptr = c};
    epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

int main(int argc, char **argv) {
    int status = 1;
    int lfd = peer_start("echo-server", USAGE, argc, argv, SOCK_NONBLOCK, &status);
    if (lfd < 0) return status;
    int one = 1;

    int epfd = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};   /* NULL marks the listener */
    epoll_ctl(epfd, EPOLL_CTL_ADD, lfd, &ev);
    static char buffer[BUFFER_SIZE];
    struct epoll_event events[MAX_EVENTS];

    unsigned long turns = 0;
    long long resume_accepts = 0;                                       /* 0: accepting; else when to start again */
    while (!stopping) {
        int wait = 200;
        if (resume_accepts) {
            long long left = resume_accepts - now_ms();
            if (left <= 0) {
                epoll_ctl(epfd, EPOLL_CTL_ADD, lfd, &ev);
                resume_accepts = 0;
            } else if (left < wait) {
                wait = (int) left;
            }
        }
        int n = epoll_wait(epfd, events, MAX_EVENTS, wait);
        if ((n == 0 || ++turns % 1024 == 0) && lifeline_broken()) {
            fprintf(stderr, "echo-server: the tool that started it is gone; exiting\n");
            break;
        }
        for (int i = 0; i < n; i++) {
            struct conn *c = events[i].data.ptr;
            if (!c) {
                int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
                if (fd < 0) {
                    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR && errno != ECONNABORTED && !resume_accepts) {
                        resume_accepts = accept_failed("echo-server", errno);
                        epoll_ctl(epfd, EPOLL_CTL_DEL, lfd, NULL);
                    }
                    continue;
                }
                setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                c = calloc(1, sizeof *c);
                c->fd = fd;
                struct epoll_event cev = {.events = EPOLLIN, .data.ptr = c};
                epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &cev);
                served++;
                continue;
            }
            if (c->pending) {                                   /* writable: flush what is pending */
                ssize_t w = write(c->fd, c->pending + c->pending_off, c->pending_len - c->pending_off);
                if (w < 0 && errno != EAGAIN) { close_conn(epfd, c); continue; }
                if (w > 0) { c->pending_off += (size_t) w; echoed += (unsigned long long) w; }
                if (c->pending_off == c->pending_len) { free(c->pending); c->pending = NULL; set_events(epfd, c); }
                continue;
            }
            ssize_t r = read(c->fd, buffer, sizeof buffer);
            if (r == 0 || (r < 0 && errno != EAGAIN)) { close_conn(epfd, c); continue; }   /* EOF: all echoed */
            if (r < 0) continue;
            ssize_t w = write(c->fd, buffer, (size_t) r);
            if (w < 0 && errno != EAGAIN) { close_conn(epfd, c); continue; }
            if (w < 0) w = 0;
            echoed += (unsigned long long) w;
            if (w < r) {                                        /* partial write: keep the rest, stop reading */
                c->pending_len = (size_t) (r - w);
                c->pending_off = 0;
                c->pending = malloc(c->pending_len);
                memcpy(c->pending, buffer + w, c->pending_len);
                set_events(epfd, c);
            }
        }
    }
    report_accept_failures("echo-server");
    fprintf(stderr, "echo-server: stopped; %llu connections served, %llu bytes echoed\n", served, echoed);
    return 0;
}
