# Two commands: `make run` (the product, locally) and `make test` (every test).
# Both install what is missing: Go modules, Java (apt), DynamoDB Local (npm), Chromium (apt).

SHELL := /bin/bash
DDB_VERSION := 2.9.30
DDB_DIR := .cache/dynamodb-local
DDB_JAR := $(DDB_DIR)/emulator/DynamoDBLocal.jar
GO ?= go
LAMBDA_FLAGS := GOOS=linux GOARCH=arm64 CGO_ENABLED=0
FUNCTIONS := $(notdir $(wildcard functions/*))

.PHONY: run test bench deps java chromium ddb-local modules web-vendor build clean build-PublicApiFunction build-AggregatorFunction build-StaffApiFunction build-MaintenanceFunction

run: deps ## start DynamoDB Local, the table, demo data, the local gateway and the pages (LAMBDA=rie: the built bootstraps under the Lambda emulator)
	AWS_LAMBDA_LOG_FORMAT=JSON $(GO) run ./infra/localgw -addr $${ADDR:-127.0.0.1:8080} -lambda $${LAMBDA:-inprocess}

test: deps chromium ## run every test against a fresh in-memory DynamoDB Local
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) run ./infra/ddblocal -- $(GO) test -race -count=1 ./...

bench: deps ## measure raw DynamoDB Local writes against the resident path through the gateway
	$(GO) run ./infra/ddblocal -- $(GO) run ./infra/bench $(BENCH_ARGS)

deps: modules java ddb-local web-vendor

modules:
	$(GO) mod download

java:
	@command -v java >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless; }

chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# The staff pages' chart library, from the npm registry at the version package-lock.json
# pins, copied beside the pages (nothing is loaded from the internet at run time).
CHART_JS := web/staff/vendor/chart.umd.min.js
web-vendor: $(CHART_JS)
$(CHART_JS): package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	@mkdir -p $(dir $@) && cp node_modules/chart.js/dist/chart.umd.min.js $@

# DynamoDB Local ships inside the npm package amplify-dynamodb-simulator; only its
# emulator/ folder is unpacked.
ddb-local: $(DDB_JAR)
$(DDB_JAR):
	@mkdir -p $(DDB_DIR)
	@tmp=$$(mktemp -d) && cd $$tmp && npm pack --silent amplify-dynamodb-simulator@$(DDB_VERSION) >/dev/null && \
	  tar xzf amplify-dynamodb-simulator-$(DDB_VERSION).tgz package/emulator && \
	  cd - >/dev/null && rm -rf $(DDB_DIR)/emulator && mv $$tmp/package/emulator $(DDB_DIR)/ && rm -rf $$tmp
	@test -f $@ && echo "DynamoDB Local $(DDB_VERSION) in $(DDB_DIR)/emulator"

# One bootstrap per Lambda (SAM's makefile build calls build-<LogicalId>).
build: $(addprefix build/,$(addsuffix /bootstrap,$(FUNCTIONS)))
build/%/bootstrap: $(shell find functions internal -name '*.go' -not -name '*_test.go') go.mod go.sum
	$(LAMBDA_FLAGS) $(GO) build -tags lambda.norpc -trimpath -ldflags='-s -w' -o $@ ./functions/$*

build-PublicApiFunction:
	$(LAMBDA_FLAGS) $(GO) build -tags lambda.norpc -trimpath -ldflags='-s -w' -o $(ARTIFACTS_DIR)/bootstrap ./functions/public
build-AggregatorFunction:
	$(LAMBDA_FLAGS) $(GO) build -tags lambda.norpc -trimpath -ldflags='-s -w' -o $(ARTIFACTS_DIR)/bootstrap ./functions/aggregator
build-MaintenanceFunction:
	$(LAMBDA_FLAGS) $(GO) build -tags lambda.norpc -trimpath -ldflags='-s -w' -o $(ARTIFACTS_DIR)/bootstrap ./functions/maintenance
build-StaffApiFunction:
	$(LAMBDA_FLAGS) $(GO) build -tags lambda.norpc -trimpath -ldflags='-s -w' -o $(ARTIFACTS_DIR)/bootstrap ./functions/staff

clean:
	rm -rf build .data
