# SPDX-License-Identifier: Apache-2.0
# Top-level convenience targets; the build itself is CMake (see CMakeLists.txt).
#   make run    install what is missing, build, plan the shipped example
#   make serve  build, make coplan.db from the example if absent, the first user, serve 127.0.0.1:8080
#   make test   build and run the whole suite, then again under ASan + UBSan,
#               then the threads test under ThreadSanitizer

BUILD     ?= build
BUILD_SAN ?= build-san
BUILD_TSAN ?= build-tsan
JOBS      ?= 2
EXAMPLE   ?= examples/italy-japan-2024

.PHONY: all deps configure build build-cli build-san build-tsan run serve test test-plain test-san test-tsan bench bench-server clean

all: build

deps:
	@sh scripts/install-deps.sh

configure: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null

build: configure
	cmake --build $(BUILD) -j$(JOBS)

build-cli: configure
	cmake --build $(BUILD) -j$(JOBS) --target coplan_cli

build-san: deps
	cmake -S . -B $(BUILD_SAN) -DCMAKE_BUILD_TYPE=Debug -DCOPLAN_SANITIZE=ON >/dev/null
	cmake --build $(BUILD_SAN) -j$(JOBS)

# ThreadSanitizer: only what the tsan-labelled tests need.
build-tsan: deps
	cmake -S . -B $(BUILD_TSAN) -DCMAKE_BUILD_TYPE=Debug -DCOPLAN_TSAN=ON \
		-DCOPLAN_BUILD_BENCHMARKS=OFF >/dev/null
	cmake --build $(BUILD_TSAN) -j$(JOBS) --target test_threads test_server_threads

COPLAN = $(BUILD)/coplan --db coplan.db

# The main job on the example, then the year that follows: the plan agreed and
# signed at the talks, its execution recorded, and plan against execution.
run: build-cli
	@if [ -e coplan.db ]; then mv -f coplan.db coplan.db.bak && rm -f coplan.db-wal coplan.db-shm && \
		echo "make run: the previous coplan.db is kept as coplan.db.bak"; fi
	$(COPLAN) plan $(EXAMPLE) -o out
	@echo
	$(COPLAN) version save --state agreed --author "ITA-JPN staff talks" --note "agreed at the 8th staff talks"
	$(COPLAN) version save --state signed --author "heads of delegation"
	$(COPLAN) activity import $(EXAMPLE)/execution.csv
	$(COPLAN) report --execution -o out/execution.txt
	@cat out/execution.txt

# The web server on the example (README "The web server"); LISTEN=ADDRESS:PORT to change it.
LISTEN ?= 127.0.0.1:8080
serve: build-cli
	@sh scripts/serve-example.sh $(BUILD)/coplan coplan.db $(EXAMPLE) $(LISTEN)

test-plain: build
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

test-san: build-san
	cd $(BUILD_SAN) && ctest --output-on-failure -j$(JOBS)

# TSAN_OPTIONS are set by tests/CMakeLists.txt (why: see there).
test-tsan: build-tsan
	cd $(BUILD_TSAN) && ctest --output-on-failure -j$(JOBS) -L tsan

test: test-plain test-san test-tsan

bench: build
	$(BUILD)/bench/coplan_bench_calendar
	$(BUILD)/bench/coplan_bench_schedule

bench-server: build
	sh bench/run-server-bench.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(BUILD_SAN) $(BUILD_TSAN)
