# Shortcuts for the scripts (the README's commands call the scripts directly).
.PHONY: run test bench
run:
	./scripts/run
test:
	./scripts/test
bench:
	./scripts/bench
