/*
 * Reference peer, not a teaching file: a minimal single-threaded io_uring echo server in C (liburing),
 * set beside the epoll peer (echo_server.c) so that the two differ in the interface to the kernel alone.
 * Same command line and lines as the other servers:
 *   echo-uring [--host H] [--port P]   prints "listening on H:P", stops on SIGINT/SIGTERM.
 *   echo-uring --probe                  exits 0 when io_uring can be used here, else 1 with the reason.
 *
 * Where the epoll server asks the kernel which sockets are ready and then makes a system call per read and
 * per write, this one queues the reads and writes themselves and submits a whole loop turn's work, and
 * waits for what completed, with one system call (io_uring_submit_and_wait). One multishot accept stays
 * armed for new connections. Each connection has one operation in flight at a time: a receive, then the
 * send of what it received (again, for the rest, after a partial send), then the next receive, so bytes
 * go back in order and a client that does not read stops its own receives (backpressure, as in
 * selector-echo). Received bytes land in a shared pool of buffers the kernel picks from (a provided-buffer
 * ring), so an idle connection holds no buffer; a receive that finds the pool empty waits for a buffer.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <liburing.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "peer_main.h"

#define RING_ENTRIES 4096
#define BUFFERS 4096            /* a power of two, as the buffer ring requires */
#define BUFFER_SIZE (16 * 1024)
#define BUFFER_GROUP 0

enum op { OP_ACCEPT = 1, OP_RECV = 2, OP_SEND = 3 };

struct conn {
    int fd;
    int bid;                    /* the pool buffer holding what is being sent; -1 when none */
    unsigned len, off;          /* bytes in that buffer, and how many have been sent */
    struct conn *next_waiting;  /* on the list of receives waiting for a free buffer */
};

static unsigned long long served = 0, echoed = 0;
static struct io_uring ring;
static struct io_uring_buf_ring *pool;
static char *buffers;
static struct conn *waiting = NULL;

#define USAGE "Usage: echo-uring [--host HOST] [--port PORT] | --probe\n" \
              "Native io_uring echo server (echo-lab reference peer). Default 127.0.0.1:7007; port 0 picks a free port.\n"

static uint64_t tag(void *p, enum op op) { return (uint64_t) (uintptr_t) p | (uint64_t) op; }

static struct io_uring_sqe *sqe(void) {
    struct io_uring_sqe *s = io_uring_get_sqe(&ring);
    if (!s) {                                   /* the queue is full: hand it to the kernel and take a fresh one */
        io_uring_submit(&ring);
        s = io_uring_get_sqe(&ring);
    }
    return s;
}

static void arm_accept(int lfd) {
    struct io_uring_sqe *s = sqe();
    io_uring_prep_multishot_accept(s, lfd, NULL, NULL, 0);
    io_uring_sqe_set_data64(s, tag(NULL, OP_ACCEPT));
}

static void arm_recv(struct conn *c) {
    struct io_uring_sqe *s = sqe();
    io_uring_prep_recv(s, c->fd, NULL, BUFFER_SIZE, 0);
    s->flags |= IOSQE_BUFFER_SELECT;
    s->buf_group = BUFFER_GROUP;
    io_uring_sqe_set_data64(s, tag(c, OP_RECV));
}

static void arm_send(struct conn *c) {
    struct io_uring_sqe *s = sqe();
    io_uring_prep_send(s, c->fd, buffers + (size_t) c->bid * BUFFER_SIZE + c->off, c->len - c->off, MSG_NOSIGNAL);
    io_uring_sqe_set_data64(s, tag(c, OP_SEND));
}

/* Puts a buffer back in the pool, and lets one receive that waited for a buffer try again. */
static void give_back(int bid) {
    io_uring_buf_ring_add(pool, buffers + (size_t) bid * BUFFER_SIZE, BUFFER_SIZE, (unsigned short) bid,
                          io_uring_buf_ring_mask(BUFFERS), 0);
    io_uring_buf_ring_advance(pool, 1);
    if (waiting) {
        struct conn *c = waiting;
        waiting = c->next_waiting;
        arm_recv(c);
    }
}

static void close_conn(struct conn *c) {
    if (c->bid >= 0) give_back(c->bid);
    close(c->fd);
    free(c);
}

/* Sets up the ring and the buffer pool; 0, or -errno with the step that failed in *what. */
static int setup(const char **what) {
    /* One thread submits, and the kernel runs the completions' deferred work when that thread waits rather
       than interrupting it whenever a packet arrives (Linux 6.1 on); without this the ring costs more CPU
       per message than epoll. Older kernels refuse the flags, and get a ring without them. */
    struct io_uring_params params = {.flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN};
    int ret = io_uring_queue_init_params(RING_ENTRIES, &ring, &params);
    if (ret == -EINVAL) ret = io_uring_queue_init(RING_ENTRIES, &ring, 0);
    if (ret < 0) { *what = "io_uring_queue_init"; return ret; }
    size_t ring_bytes = BUFFERS * sizeof(struct io_uring_buf);
    pool = mmap(NULL, ring_bytes, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
    buffers = mmap(NULL, (size_t) BUFFERS * BUFFER_SIZE, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
    if (pool == MAP_FAILED || buffers == MAP_FAILED) { *what = "mmap"; return -ENOMEM; }
    struct io_uring_buf_reg reg = {.ring_addr = (unsigned long) pool, .ring_entries = BUFFERS, .bgid = BUFFER_GROUP};
    ret = io_uring_register_buf_ring(&ring, &reg, 0);
    if (ret < 0) { *what = "io_uring_register_buf_ring"; return ret; }
    io_uring_buf_ring_init(pool);
    for (int i = 0; i < BUFFERS; i++) {
        io_uring_buf_ring_add(pool, buffers + (size_t) i * BUFFER_SIZE, BUFFER_SIZE, (unsigned short) i, io_uring_buf_ring_mask(BUFFERS), i);
    }
    io_uring_buf_ring_advance(pool, BUFFERS);
    return 0;
}

static long long resume_accepts = 0;              /* 0: accepting (or armed); else when to arm the accept again */

static void on_completion(struct io_uring_cqe *cqe, int lfd) {
    uint64_t data = io_uring_cqe_get_data64(cqe);
    enum op op = (enum op) (data & 7);
    struct conn *c = (struct conn *) (uintptr_t) (data & ~(uint64_t) 7);
    int res = cqe->res;
    switch (op) {
    case OP_ACCEPT: {
        if (res < 0) {                                              /* e.g. out of descriptors: the client waits in the backlog */
            if (!(cqe->flags & IORING_CQE_F_MORE)) resume_accepts = accept_failed("echo-uring", -res);   /* arm it later */
            return;
        }
        if (!(cqe->flags & IORING_CQE_F_MORE)) arm_accept(lfd);   /* the multishot accept ended: arm it again */
        int one = 1;
        setsockopt(res, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        c = calloc(1, sizeof *c);
        if (!c) { close(res); return; }
        c->fd = res;
        c->bid = -1;
        served++;
        arm_recv(c);
        return;
    }
    case OP_RECV:
        if (res == -ENOBUFS) { c->next_waiting = waiting; waiting = c; return; }   /* no free buffer: wait for one */
        if (res <= 0) { close_conn(c); return; }                     /* EOF (all was echoed), or an error */
        c->bid = (int) (cqe->flags >> IORING_CQE_BUFFER_SHIFT);
        c->len = (unsigned) res;
        c->off = 0;
        arm_send(c);
        return;
    case OP_SEND: {
        if (res <= 0) { close_conn(c); return; }                     /* the peer reset or went away */
        c->off += (unsigned) res;
        echoed += (unsigned long long) res;
        if (c->off < c->len) { arm_send(c); return; }                /* a partial send: the rest, before reading more */
        int bid = c->bid;
        c->bid = -1;
        arm_recv(c);
        give_back(bid);
        return;
    }
    }
}

int main(int argc, char **argv) {
    const char *what = NULL;
    int ret;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--probe")) {
            ret = setup(&what);
            if (ret < 0) { fprintf(stderr, "io_uring cannot be used here: %s: %s\n", what, strerror(-ret)); return 1; }
            return 0;
        }
    }
    ret = setup(&what);
    if (ret < 0) { fprintf(stderr, "echo-uring: io_uring cannot be used here: %s: %s\n", what, strerror(-ret)); return 1; }
    int status = 1;
    int lfd = peer_start("echo-uring", USAGE, argc, argv, 0, &status);
    if (lfd < 0) return status;

    arm_accept(lfd);
    unsigned long turns = 0;
    struct __kernel_timespec idle = {.tv_sec = 0, .tv_nsec = 200 * 1000 * 1000};
    while (!stopping) {
        struct io_uring_cqe *cqe;
        struct __kernel_timespec wait = idle;
        if (resume_accepts) {
            long long left = resume_accepts - now_ms();
            if (left <= 0) {
                arm_accept(lfd);
                resume_accepts = 0;
            } else {
                wait.tv_sec = 0;
                wait.tv_nsec = left * 1000 * 1000;
            }
        }
        ret = io_uring_submit_and_wait_timeout(&ring, &cqe, 1, &wait, NULL);   /* this turn's work out, completions in */
        if ((ret == -ETIME || ++turns % 1024 == 0) && lifeline_broken()) {
            fprintf(stderr, "echo-uring: the tool that started it is gone; exiting\n");
            break;
        }
        if (ret < 0 && ret != -ETIME && ret != -EINTR) { fprintf(stderr, "echo-uring: %s\n", strerror(-ret)); break; }
        unsigned head, seen = 0;
        io_uring_for_each_cqe(&ring, head, cqe) {
            on_completion(cqe, lfd);
            seen++;
        }
        io_uring_cq_advance(&ring, seen);
    }
    report_accept_failures("echo-uring");
    fprintf(stderr, "echo-uring: stopped; %llu connections served, %llu bytes echoed\n", served, echoed);
    return 0;
}
