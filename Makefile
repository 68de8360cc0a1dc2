# lr — build, test and lab entry points. Every target installs missing system packages first.
SWIFT ?= swift
APT_PACKAGES := libedit-dev libsqlite3-dev pkg-config neovim curl chromium sqlite3 postgresql
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build debug test lab emulator contract bench fmt lint clean postgres

## deps: install the Debian packages lr builds against (only the missing ones).
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $$missing; \
	fi
	@# The pty and contract tests make their own Python virtual environments under .build/
	@# (pexpect, pyte, schemathesis, msal, httpx from PyPI); Debian's python3 needs python3-venv.
	@python3 -c 'import venv, ensurepip' 2>/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3-venv; }

## build: release build of lr (.build/release/lr, the launcher, and lr-core beside it).
build: deps
	$(SWIFT) build -c release --product lr-core
	$(SWIFT) build -c release --product lr

debug: deps
	$(SWIFT) build --product lr-core
	$(SWIFT) build --product lr

## test: the whole test suite: the emulator's API contract (schemathesis + an MSAL/httpx client),
## then every Swift Testing suite, one suite at a time (timing tests share 2 cores).
test: deps
	$(SWIFT) build --build-tests
	@# MakeInstallTests install the man page with swift-argument-parser's generate-manual tool; it
	@# is built here, because `swift test` holds SwiftPM's lock while the tests run.
	@test -x "$(MANUAL_TOOL)" || $(SWIFT) package generate-manual --help >/dev/null
	bash Tests/contract/run.sh
	$(SWIFT) test --skip-build --disable-xctest --no-parallel

## lab: build and open the REPL on the built-in lab (an in-process emulator with the demo fleet).
lab: build
	.build/release/lr --lab

## emulator: run the emulator standalone on port 8443 with the demo scenario.
emulator: build
	.build/release/lr emulator --port 8443

## contract: the emulator against docs/openapi.yaml (schemathesis, time-bounded) and a third-party
## MSAL + httpx client running the documented example end to end (pip-installs into .build/).
contract: debug
	bash Tests/contract/run.sh

## bench: benchmarks recorded in docs/benchmarks.md.
bench: build
	bash bench/run.sh

fmt:
	$(SWIFT) format -i -r Sources Tests Package.swift

lint:
	$(SWIFT) format lint --strict -r Sources Tests

clean:
	rm -rf .build

## fuzz: generated and mutated inputs through the checker, the formatter and the LSP framing for
## FUZZ_SECONDS (default 300); failures go to Tests/fuzz-corpus/ (replayed by make test).
## FUZZ_SEED=N replays a run. See docs/editors.md.
.PHONY: fuzz
FUZZ_SECONDS ?= 300
fuzz: deps
	$(SWIFT) build -c release --product lr-fuzz
	.build/release/lr-fuzz --seconds $(FUZZ_SECONDS) $(if $(FUZZ_SEED),--seed $(FUZZ_SEED))

## bench-results: results at scale (issue 13.8): a 1,000-machine sweep printing 500 rows per
## machine on a time-scaled emulator, then `lr query` of a group by over the 500,000 rows against
## SQLite's own sqlite3 CLI on the same journal, interleaved; journal growth per row. Not part of
## make test; bounded in time. Figures in docs/benchmarks.md.
.PHONY: bench-results
bench-results: build
	bash bench/results.sh

## bench-startup: start-up beside sqlite3 (issue 16.3): `lr --version`, `lr check FILE`, the REPL's
## first prompt and `lr --lab`'s first prompt, interleaved with sqlite3 in the same run, ratios
## printed. Measures the static release binary (built by release-static if missing); RUNS rounds,
## at most BUDGET seconds (default 120). Not part of make test. Figures in docs/benchmarks.md.
.PHONY: bench-startup
bench-startup: deps
	@test -x "$(RELEASE_SCRATCH)/release/lr" || $(MAKE) release-static
	bash bench/startup.sh

## bench-team: team mode at scale (issue 14.8): 2 analysts' `lr run --team` and 3 `lr worker`s
## on 300 machines in overlapping sets, beside the same five processes without --team, on a
## time-scaled emulator and a throwaway PostgreSQL; completion / lower bound, 429s, busy devices,
## duplicate actions; the shared budget's cycles per second. Not part of make test; bounded in
## time. Figures in docs/benchmarks.md.
.PHONY: bench-team
bench-team: deps
	$(SWIFT) build --build-tests
	bash bench/team.sh

## postgres: a throwaway PostgreSQL for team mode by hand (prints the LR_TEAM URL; Ctrl-C stops it)
postgres: deps
	python3 bench/postgres.py

## soak: the reliability soak (issue 18): fault-injected fleet sweeps through a lossy proxy and
## kill -9 trials of lr run / lr resume against a time-scaled emulator, 20 minutes by default;
## seeds are printed (LR_SOAK_SEED=N replays). Figures in docs/benchmarks.md.
.PHONY: soak
soak: deps
	bash bench/soak.sh

## install: lr into PREFIX (default /usr/local): bin/lr (the launcher), libexec/lr/lr-core,
## share/lr/stdlib, the man page
## share/man/man1/lr.1 (swift-argument-parser's generate-manual) and bash/zsh/fish completions.
## Builds the release binaries (with the commit compiled in) unless BUILD_DIR names a folder
## holding `lr` and `lr-core` already (the tests install the debug build: BUILD_DIR=.build/debug). See docs/install.md.
## uninstall: removes exactly what install wrote.
## dist: dist/lr-VERSION-linux-ARCH.tar.gz (the same layout under lr-VERSION/) and its .sha256,
## from a release build linked with --static-swift-stdlib (libedit and SQLite stay shared);
## BUILD_DIR packages an existing build instead (e.g. RELEASE_SCRATCH's release folder).
.PHONY: install uninstall dist release-static
PREFIX ?= /usr/local
VERSION := $(shell sed -n 's/.*static let number = "\(.*\)".*/\1/p' Sources/LRSystem/LRVersion.swift)
COMMIT := $(shell git rev-parse --short=12 HEAD 2>/dev/null)
ARCH := $(shell uname -m)
DIST_DIR ?= dist
ARCHIVE = lr-$(VERSION)-linux-$(ARCH).tar.gz
RELEASE_SCRATCH ?= .build/static-release
# --no-export-dynamic: swiftc exports every public symbol of an executable (57,000 here), and the
# Swift runtime's start-up looks up its own path with dladdr, which scans them all (issue 16.3).
# The commit reaches CLRBuildInfo through a generated LRCommit.h on an include path of its own,
# so a new commit recompiles BuildInfo.c and relinks, not every module.
COMMIT_HEADER_DIR = $(abspath $(RELEASE_SCRATCH))/commit
RELEASE_FLAGS := -c release --static-swift-stdlib --scratch-path $(RELEASE_SCRATCH) \
  -Xcc -I$(COMMIT_HEADER_DIR) -Xlinker --no-export-dynamic
BUILD_DIR ?=
LR_BIN = $(if $(BUILD_DIR),$(BUILD_DIR),$(RELEASE_SCRATCH)/release)/lr
# generate-manual is swift-argument-parser's tool behind its GenerateManual plugin; when it is not
# built yet, `swift package generate-manual --help` builds it (as generate-manual-tool).
BIN_PATH = $(shell $(SWIFT) build --show-bin-path 2>/dev/null)
MANUAL_TOOL ?= $(firstword $(wildcard $(BIN_PATH)/generate-manual-tool $(BIN_PATH)/generate-manual) \
  $(BIN_PATH)/generate-manual-tool)
INSTALLED := bin/lr libexec/lr/lr-core share/man/man1/lr.1 share/bash-completion/completions/lr \
  share/zsh/site-functions/_lr share/fish/vendor_completions.d/lr.fish

## release-static: the release build dist and install use, in its own scratch folder.
release-static: deps
	@mkdir -p "$(COMMIT_HEADER_DIR)"
	@printf '#define LR_COMMIT "%s"\n' "$(COMMIT)" > "$(COMMIT_HEADER_DIR)/LRCommit.h.new"
	@cmp -s "$(COMMIT_HEADER_DIR)/LRCommit.h.new" "$(COMMIT_HEADER_DIR)/LRCommit.h" \
	  && rm "$(COMMIT_HEADER_DIR)/LRCommit.h.new" \
	  || mv "$(COMMIT_HEADER_DIR)/LRCommit.h.new" "$(COMMIT_HEADER_DIR)/LRCommit.h"
	$(SWIFT) build $(RELEASE_FLAGS) --product lr-core
	$(SWIFT) build $(RELEASE_FLAGS) --product lr

install: $(if $(BUILD_DIR),,release-static)
	@test -x "$(LR_BIN)" -a -x "$(LR_BIN)-core" || { echo "no lr and lr-core at $(LR_BIN)"; exit 1; }
	@test -x "$(MANUAL_TOOL)" || $(SWIFT) package generate-manual --help >/dev/null
	bash packaging/install-layout.sh "$(LR_BIN)" "$(DESTDIR)$(PREFIX)" "$(MANUAL_TOOL)"

uninstall:
	cd "$(DESTDIR)$(PREFIX)" && rm -f $(INSTALLED) && rm -rf share/lr && { rmdir libexec/lr 2>/dev/null || true; }

dist: $(if $(BUILD_DIR),,release-static)
	@test -x "$(LR_BIN)" -a -x "$(LR_BIN)-core" || { echo "no lr and lr-core at $(LR_BIN)"; exit 1; }
	@test -x "$(MANUAL_TOOL)" || $(SWIFT) package generate-manual --help >/dev/null
	rm -rf "$(DIST_DIR)/lr-$(VERSION)" && mkdir -p "$(DIST_DIR)"
	bash packaging/install-layout.sh "$(LR_BIN)" "$(DIST_DIR)/lr-$(VERSION)" "$(MANUAL_TOOL)"
	tar -C "$(DIST_DIR)" -czf "$(DIST_DIR)/$(ARCHIVE)" lr-$(VERSION)
	cd "$(DIST_DIR)" && sha256sum $(ARCHIVE) > $(ARCHIVE).sha256
	rm -rf "$(DIST_DIR)/lr-$(VERSION)"
	@echo "$(DIST_DIR)/$(ARCHIVE)"
