#ifndef CEDITLINE_SHIM_H
#define CEDITLINE_SHIM_H
/* libedit for Swift: the readline-compatible API plus fixed-arity wrappers for the
   C-variadic and global parts that Swift 6 cannot touch directly. */
#include <stdio.h>
#include <stdlib.h>
#include <editline/readline.h>
#include <histedit.h>

/* Globals, read and written through functions so strict concurrency stays happy. */
static inline int cedit_history_length(void) { return history_length; }
static inline const char *cedit_line_buffer(void) { return rl_line_buffer; }
static inline int cedit_point(void) { return rl_point; }
static inline int cedit_end(void) { return rl_end; }
static inline void cedit_set_readline_name(const char *name) { rl_readline_name = name; }
static inline void cedit_set_completion(rl_completion_func_t *fn) { rl_attempted_completion_function = fn; }
static inline void cedit_set_completion_append_character(int c) { rl_completion_append_character = c; }
static inline void cedit_set_word_break_characters(const char *chars) { rl_basic_word_break_characters = (char *)chars; }
static inline void cedit_set_attempted_completion_over(int value) { rl_attempted_completion_over = value; }

/* Native API wrappers: el_set()/history() are variadic. */
typedef char *(*cedit_prompt_fn)(EditLine *);
static inline EditLine *cedit_el_init(const char *prog) { return el_init(prog, stdin, stdout, stderr); }
static inline int cedit_el_set_prompt(EditLine *el, cedit_prompt_fn fn) { return el_set(el, EL_PROMPT, fn); }
static inline int cedit_el_set_editor(EditLine *el, const char *mode) { return el_set(el, EL_EDITOR, mode); }
static inline int cedit_el_set_history(EditLine *el, History *h) { return el_set(el, EL_HIST, history, h); }
static inline History *cedit_history_new(int size) {
    HistEvent ev; History *h = history_init(); if (h) history(h, &ev, H_SETSIZE, size); return h; }
static inline int cedit_history_enter(History *h, const char *line) { HistEvent ev; return history(h, &ev, H_ENTER, line); }

/* REPL support: signals, prompt state and history, for LRShell's LineEditor. */
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <locale.h>

static inline void cedit_set_catch_signals(int value) { rl_catch_signals = value; }
static inline void cedit_set_streams(void) { rl_instream = stdin; rl_outstream = stdout; }
static inline void cedit_flush_stdout(void) { fflush(stdout); }

/* SIGINT writes 'I' and SIGWINCH 'W' to a pipe, so the terminal thread's poll() wakes up. */
static int cedit_signal_fd = -1;
static void cedit_signal_handler(int sig) {
    if (cedit_signal_fd >= 0) {
        char c = sig == SIGINT ? 'I' : 'W';
        ssize_t r = write(cedit_signal_fd, &c, 1); (void)r;
    }
}
static inline void cedit_install_signals(int fd) {
    struct sigaction sa;
    cedit_signal_fd = fd;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = cedit_signal_handler;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGWINCH, &sa, NULL);
}
static inline void cedit_restore_signals(void) {
    signal(SIGINT, SIG_DFL); signal(SIGWINCH, SIG_DFL); cedit_signal_fd = -1;
}

/* setlocale(LC_CTYPE, ""), falling back to C.UTF-8 when the environment gives C/POSIX. */
#include <sys/ioctl.h>
/* Columns of the terminal on fd (80 when unknown). */
static inline int cedit_terminal_columns(int fd) {
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
    return 80;
}

/* Terminal columns of a character (glibc declares wcwidth only for _XOPEN_SOURCE). */
#include <wchar.h>
int wcwidth(wchar_t c);
static inline int cedit_wcwidth(unsigned int c) { return wcwidth((wchar_t)c); }

static inline const char *cedit_utf8_locale(void) {
    const char *l = setlocale(LC_CTYPE, "");
    if (l == NULL || strcmp(l, "C") == 0 || strcmp(l, "POSIX") == 0) {
        const char *u = setlocale(LC_CTYPE, "C.UTF-8");
        if (u != NULL) return u;
    }
    return l;
}
#endif
