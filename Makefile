# paraphe — plain Makefile, flags from pkg-config.
# Targets: all (./paraphe), deps, demo, test, asan, tsan, valgrind, fuzz, bench,
# fmt, install, clean. WERROR=1 turns warnings into errors (CI does);
# V=1 shows the compiler command lines.

PKGS     = libcmark-gfm libgit2 lua5.4 yaml-0.1 nettle
# jemalloc replaces the C library's malloc in paraphe (not under the
# sanitizers, which bring their own): cmark-gfm's trees and the Lua states
# allocate and free millions of small blocks on several threads, and
# glibc's allocator cost a fifth of a render-only build (make bench).
ALLOC    = jemalloc
DEBS     = libcmark-gfm-dev libcmark-gfm-extensions-dev libgit2-dev \
           liblua5.4-dev libyaml-dev nettle-dev libjemalloc-dev pkg-config
CC      ?= cc
BUILD   ?= build
BIN     ?= paraphe
OPT     ?= -O2 -g
SAN     ?=
PREFIX  ?= /usr/local
V       ?= 0
ifeq ($(V),1)
Q        =
else
Q        = @
endif
WARN     = -Wall -Wextra -Wpedantic -Wshadow -Wmissing-prototypes \
           -Wstrict-prototypes -Wwrite-strings
ifeq ($(WERROR),1)
WARN    += -Werror
endif
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
ALLOC_LIBS := $(if $(SAN),,$(shell pkg-config --libs $(ALLOC) 2>/dev/null))
CFLAGS_ALL  = -std=c11 $(WARN) $(OPT) $(SAN) -D_POSIX_C_SOURCE=200809L \
              -D_DEFAULT_SOURCE -iquote src $(PKG_CFLAGS) $(CFLAGS)
LIBS_ALL    = $(PKG_LIBS) -lcmark-gfm-extensions $(ALLOC_LIBS) -lpthread -lm

SRCS     := $(sort $(wildcard src/*.c))
OBJS     := $(SRCS:src/%.c=$(BUILD)/%.o) $(BUILD)/embed.o
LIBOBJS  := $(filter-out $(BUILD)/main.o,$(OBJS))
TESTS    := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(sort $(wildcard tests/unit/test_*.c)))
EMBEDDED := $(sort $(shell find themes/default scripts -type f ! -name '.*' 2>/dev/null))

.PHONY: all deps demo test check-deps asan tsan valgrind fuzz bench fmt install clean tests-build

all: $(BIN)

$(BIN): $(OBJS)
	@echo "  LD      $@"
	$(Q)$(CC) $(OPT) $(SAN) $(LDFLAGS) -o $@ $(OBJS) $(LIBS_ALL)

$(BUILD)/%.o: src/%.c $(wildcard src/*.h) | $(BUILD)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS_ALL) -c -o $@ $<

# The default theme and scripts, compiled into the binary.
$(BUILD)/embed-gen: tools/embed.c | $(BUILD)
	$(CC) -std=c11 -O1 -o $@ $<
$(BUILD)/embed.c: $(BUILD)/embed-gen $(EMBEDDED) Makefile
	$(BUILD)/embed-gen $(EMBEDDED) > $@.tmp && mv $@.tmp $@
$(BUILD)/embed.o: $(BUILD)/embed.c src/embed.h
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS_ALL) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c tests/unit/test.h tests/unit/testutil.h $(LIBOBJS) | $(BUILD)/tests
	@echo "  TEST-CC $@"
	$(Q)$(CC) $(CFLAGS_ALL) -Itests/unit -o $@ $< $(LIBOBJS) $(LIBS_ALL)

$(BUILD) $(BUILD)/tests:
	mkdir -p $@

# Installs the Debian packages only when pkg-config cannot find a library.
deps:
	@if pkg-config --exists $(PKGS) $(ALLOC) 2>/dev/null && \
	    [ -e /usr/include/cmark-gfm-core-extensions.h ]; then :; else \
	  echo "installing: $(DEBS)"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(DEBS); \
	fi

tests-build: $(BIN) $(TESTS)

# Sub-makes re-read pkg-config after deps may have installed the libraries.
test: deps
	@$(MAKE) --no-print-directory tests-build
	@BUILD=$(BUILD) PARAPHE=$(CURDIR)/$(BIN) sh tests/run.sh

asan: deps
	@$(MAKE) --no-print-directory BUILD=build/asan BIN=build/asan/paraphe \
	  OPT="-O1 -g -fno-omit-frame-pointer" \
	  SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined" \
	  tests-build
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  BUILD=build/asan PARAPHE=$(CURDIR)/build/asan/paraphe sh tests/run.sh

# The tests with ThreadSanitizer: derive, render, load and the history
# reads run on -j workers (a data race fails the run).
tsan: deps
	@$(MAKE) --no-print-directory BUILD=build/tsan BIN=build/tsan/paraphe \
	  OPT="-O1 -g -fno-omit-frame-pointer" SAN="-fsanitize=thread" \
	  tests-build
	@TSAN_OPTIONS="halt_on_error=1 exitcode=66" \
	  BUILD=build/tsan PARAPHE=$(CURDIR)/build/tsan/paraphe sh tests/run.sh

valgrind: all
	valgrind --error-exitcode=1 --leak-check=full -q \
	  --soname-synonyms=somalloc=*jemalloc* \
	  ./$(BIN) build -q -o build/valgrind-public

demo: deps
	@$(MAKE) --no-print-directory all
	./$(BIN) build
	@echo "site built: open file://$(CURDIR)/public/index.html"

# Coverage-guided fuzzing with clang's libFuzzer: make fuzz [FUZZ_SECONDS=N]
# runs each target in tests/fuzz/ for N seconds (default 60) on a corpus
# under build/fuzz/.
FUZZ_SECONDS ?= 60
FUZZERS := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
fuzz: deps
	@$(MAKE) --no-print-directory BUILD=build/fuzz-obj BIN=build/fuzz-obj/paraphe \
	  CC=clang OPT="-O1 -g -fno-omit-frame-pointer" \
	  SAN="-fsanitize=fuzzer-no-link,address,undefined" build/fuzz-obj/paraphe
	@$(MAKE) --no-print-directory $(FUZZERS)
	@for f in $(FUZZERS); do \
	  mkdir -p $$f.corpus && echo "fuzzing $$f for $(FUZZ_SECONDS) s" && \
	  $$f -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 \
	      $$f.corpus >$$f.log 2>&1 || { tail -n 40 $$f.log; exit 1; }; \
	done; echo "fuzz: no crash"

build/fuzz/%: tests/fuzz/%.c
	@mkdir -p build/fuzz
	@echo "  FUZZ-CC $@"
	$(Q)clang -std=c11 -O1 -g -fsanitize=fuzzer,address,undefined -iquote src \
	  $(PKG_CFLAGS) -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -o $@ $< \
	  $(filter-out build/fuzz-obj/main.o,$(wildcard build/fuzz-obj/*.o)) \
	  $(filter-out $(ALLOC_LIBS),$(LIBS_ALL))

BENCHES := $(patsubst tests/bench/%.c,$(BUILD)/bench/%,$(wildcard tests/bench/*.c))
$(BUILD)/bench/%: tests/bench/%.c $(LIBOBJS)
	@mkdir -p $(BUILD)/bench
	@echo "  BENCH-CC $@"
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ $< $(LIBOBJS) $(LIBS_ALL)

bench: deps
	@$(MAKE) --no-print-directory all $(BENCHES)
	@sh tests/bench/run.sh

fmt:
	clang-format -i src/*.c src/*.h tests/unit/*.c tests/unit/*.h tools/*.c

install: all
	install -D -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/paraphe

clean:
	rm -rf build $(BIN)
