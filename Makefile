# Shortcuts for the scripts (the README's commands call the scripts directly).
.PHONY: run test bench fuzz
run:
	./scripts/run
test:
	./scripts/test
bench:
	./scripts/bench
# make fuzz SECONDS=600: each libFuzzer target for that long (default 600).
fuzz:
	./scripts/fuzz $(SECONDS)
