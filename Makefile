# Thin wrapper around meson/ninja and the test scripts.
#
#   make deps      install missing Debian packages (root) or print the command
#   make           build into ./build
#   make check     deps + build + every test (unit, sanitizer, system, as root
#                  the account-switching tests from a private copy, fuzz smoke)
#   make run       build, install into ./run and start the demo instance
#   make install DESTDIR=dir
#   make fuzz      run every fuzz target for longer (FUZZ_SECONDS each, default
#                  300), growing the corpus in build-fuzz/corpus
#   make bench     compare with Debian's Postfix (see bench/README.md)
#   make bench-submit  local submission throughput against Debian's
#                  Postfix (root; N, SIZES, PARALLEL, RUNS: bench/README.md)
#   make bench-smtpd  SMTP accept throughput against Debian's Postfix
#                  (root; N, SIZES, SESSIONS, RUNS: bench/README.md)
#   make bench-delivery  SMTP to Maildir through virtual(8) and local(8)
#                  against Debian's Postfix (root; N, SIZES, CONCURRENCIES,
#                  RUNS: bench/README.md)
#   make bench-relay  SMTP relaying through smtp(8) to smtp-sink against
#                  Debian's Postfix (root; N, CASES, REUSE, RUNS, PROFILE:
#                  bench/README.md)

BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
DESTDIR    ?=

.PHONY: all deps build check run install fuzz bench bench-submit bench-smtpd bench-delivery bench-relay clean

all: build

deps:
	@scripts/deps.sh

$(BUILD)/build.ninja:
	meson setup $(BUILD) -Dwerror=true

build: $(BUILD)/build.ninja
	ninja -C $(BUILD)

check: deps
	scripts/check.sh

run: deps build
	scripts/run.sh

install: build
	meson install -C $(BUILD) --no-rebuild $(if $(DESTDIR),--destdir $(abspath $(DESTDIR)))

fuzz: deps
	FUZZ_SECONDS=$${FUZZ_SECONDS:-300} scripts/fuzz.sh

bench: build
	bench/run.sh

bench-submit: build
	bench/submit-bench.sh

bench-smtpd: build
	bench/smtpd-bench.sh

bench-delivery: build
	bench/delivery-bench.sh

bench-relay: build
	bench/relay-bench.sh

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
