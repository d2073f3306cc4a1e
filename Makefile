# Fadaa - the two commands a newcomer needs:
#   make demo   install what is missing, build, open the kiosk on the demo catalogue
#   make test   install what is missing, build, run every test
#   make package   the fadaa-kiosk and fadaa-server .debs, in build/<preset>/packages
PRESET ?= release
BUILD  := build/$(PRESET)

.PHONY: all deps configure build test demo package clean format asan

all: build

deps:
	@bash packaging/deps.sh

configure: deps
	@cmake --preset $(PRESET) >/dev/null

build: configure
	@cmake --build --preset $(PRESET)

test: build
	@bash tests/run_tests.sh $(PRESET)

demo: build
	@bash packaging/demo.sh $(BUILD)

package: build
	@cd $(BUILD) && cpack --config CPackConfig.cmake -B packages

asan:
	@$(MAKE) test PRESET=asan

format:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	rm -rf build
