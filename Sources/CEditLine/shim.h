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
#endif
