# Everyday commands. Each one first makes sure .venv (and, where needed, RabbitMQ and
# PostgreSQL) are there: deploy/bootstrap.sh does nothing when they already are.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV   := .venv
PYTHON := $(VENV)/bin/python

.PHONY: help up test bench bench-registry bench-members bench-documents bench-notify lint migrate lock clean

help: ## list the targets
	@echo "Targets:"
	@awk 'BEGIN {FS = ":.*## "} /^[a-z][a-z-]*:.*## / {printf "  make %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

up: ## run the whole platform on this machine (SQLite under ./data, local RabbitMQ); Ctrl-C stops it
	bash deploy/bootstrap.sh
	$(PYTHON) -m deploy.local_stack

test: ## lint, then the whole test suite (needs RabbitMQ and PostgreSQL on loopback; starts them where it may)
	bash deploy/bootstrap.sh --for-tests
	$(VENV)/bin/ruff check .
	$(PYTHON) tests/run.py

bench: ## the gateway and chassis benchmark under tests/perf (not part of the tests)
	bash deploy/bootstrap.sh --for-bench
	$(PYTHON) tests/perf/run.py

bench-registry: ## 850,000 societies imported, then the public directory at 32 clients (minutes)
	bash deploy/bootstrap.sh --for-bench
	$(PYTHON) -m tests.perf.bench_registry_directory

bench-members: ## 5,000,000 members imported, then a 30,644-member snapshot (about 10 minutes)
	bash deploy/bootstrap.sh --for-bench
	$(PYTHON) -m tests.perf.bench_registry_members --members 5000000 --societies 5000

bench-documents: ## a 200 MB upload and download through the gateway against direct minio
	bash deploy/bootstrap.sh --for-bench
	$(PYTHON) -m tests.perf.bench_documents --mb 200

bench-notify: ## mass message to 30,644 members by SMS and e-mail, and the same with notify killed midway
	bash deploy/bootstrap.sh --for-bench
	$(PYTHON) -m tests.perf.bench_notify

lint: ## ruff over the whole tree
	bash deploy/bootstrap.sh --venv-only
	$(VENV)/bin/ruff check .

migrate: ## bring every service's database to head (DATA_DIR, <NAME>_DATABASE_URL)
	bash deploy/bootstrap.sh --venv-only
	$(PYTHON) -m deploy.local_stack --migrate-only

lock: ## rewrite requirements.lock from what .venv holds now
	@{ grep '^#' requirements.lock; $(VENV)/bin/pip freeze --exclude-editable | grep -v '^-e'; } > requirements.lock.new
	mv requirements.lock.new requirements.lock

clean: ## remove ./data (local databases and documents) and caches; keeps .venv
	rm -rf data .pytest_cache .ruff_cache build *.egg-info
	find . -path ./.venv -prune -o -type d -name __pycache__ -exec rm -rf {} +
