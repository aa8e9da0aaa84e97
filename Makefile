# Two commands: `make run` (the product, locally) and `make test` (every test).
# Both install what is missing: Go modules, Java (apt), DynamoDB Local (npm), Chromium (apt).

SHELL := /bin/bash
DDB_VERSION := 2.9.30
DDB_DIR := .cache/dynamodb-local
DDB_JAR := $(DDB_DIR)/emulator/DynamoDBLocal.jar
GO ?= go
LAMBDA_FLAGS := GOOS=linux GOARCH=arm64 CGO_ENABLED=0
FUNCTIONS := $(notdir $(wildcard functions/*))
NODE_MODULES := node_modules/.package-lock.json

.PHONY: run first-admin test lint-api bench bench-scale deps java chromium ddb-local modules web-vendor bundle build clean deploy build-PublicApiFunction build-AggregatorFunction build-StaffApiFunction build-StaffAdminFunction build-MaintenanceFunction

run: deps bundle ## start DynamoDB Local, the table, demo data, the local gateway and the pages (LAMBDA=rie: the built bootstraps under the Lambda emulator; DEMO=0: an empty deployment in .data/empty/; CONTRACT=1: log every exchange that breaks api/openapi.yaml)
	AWS_LAMBDA_LOG_FORMAT=JSON $(GO) run ./infra/serve -addr $${ADDR:-127.0.0.1:8080} -lambda $${LAMBDA:-inprocess} -demo=$${DEMO:-1} -contract=$${CONTRACT:-0}

# The first account of a deployment (docs/first-deploy.md): the root unit when the tree is
# empty, then an admin scoped to it, username = EMAIL. ENV=local (the default when ENV is
# not given) asks the running `make run` at ADDR; ENV=dev|prod the stack of samconfig.toml.
# PASSWORD reaches the command through the environment, never its command line.
FIRST_ADMIN_ENV = $(if $(filter file undefined,$(origin ENV)),local,$(ENV))
first-admin: export FIRST_ADMIN_PASSWORD = $(PASSWORD)
first-admin: ## the first admin: make first-admin EMAIL=<email> UNIT_ID=<id> UNIT_NAME="<name>" [PASSWORD=<pw>] [ENV=local|dev|prod] [ADDR=127.0.0.1:8080]
	@$(GO) run ./infra/firstadmin -env '$(FIRST_ADMIN_ENV)' -email '$(EMAIL)' -unit-id '$(UNIT_ID)' -unit-name '$(subst ','\'',$(UNIT_NAME))' -addr "$${ADDR:-127.0.0.1:8080}" \
	  $(if $(filter dev prod,$(FIRST_ADMIN_ENV)),-stack '$(STACK)' -region '$(REGION)')

test: deps chromium lint-api ## run every test against a fresh in-memory DynamoDB Local
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) run ./infra/ddblocal -- $(GO) test -race -count=1 -timeout 30m ./...

# The API description must lint clean in two well-kept linters, warnings included; the
# rules switched off are argued in redocly.yaml and .spectral.yaml.
lint-api: $(NODE_MODULES) ## lint api/openapi.yaml with Redocly and Spectral: 0 errors, 0 warnings
	node_modules/.bin/redocly lint --format=summary api/openapi.yaml
	node_modules/.bin/spectral lint --fail-severity=warn api/openapi.yaml

bench: deps ## measure raw DynamoDB Local writes against the resident path through the gateway
	GO="$(GO)" sh infra/bench/run.sh $(BENCH_ARGS)

# How contest reads grow with a round's size: N entries (N/10 too), loaded in batches.
N ?= 200000
bench-scale: deps ## close, export, flags and regrade at N/10 and N entries; surge writes per partition
	$(GO) run ./infra/ddblocal -- $(GO) run ./infra/benchscale -n $(N) -json build/bench-scale.json

deps: modules java ddb-local web-vendor

modules:
	$(GO) mod download

java:
	@command -v java >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless; }

# Installs Debian's chromium when absent and upgrades it (--only-upgrade) when apt has a
# newer one. Cheap when current: apt's lists are refreshed only when older than a day, and
# nothing is installed when the installed version is apt's candidate.
chromium:
	@if ! command -v chromium >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else \
	  test -n "$$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -1)" || apt-get update -qq || echo "apt-get update failed: keeping chromium $$(dpkg-query -W -f='$${Version}' chromium)"; \
	  inst=$$(dpkg-query -W -f='$${Version}' chromium 2>/dev/null); \
	  cand=$$(apt-cache policy chromium | awk '/Candidate:/ {print $$2}'); \
	  if [ -n "$$cand" ] && [ "$$cand" != "(none)" ] && [ "$$cand" != "$$inst" ]; then \
	    echo "chromium $$inst -> $$cand"; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --only-upgrade chromium || echo "chromium upgrade failed: the installed one is used"; \
	  fi; \
	fi

# npm packages at the versions package-lock.json pins: the staff pages' chart library and
# the API linters. npm writes node_modules/.package-lock.json on every install.
$(NODE_MODULES): package.json package-lock.json
	npm ci --silent --no-audit --no-fund

# The chart library is copied beside the pages (nothing is loaded from the internet at run time).
CHART_JS := web/staff/vendor/chart.umd.min.js
web-vendor: $(CHART_JS)
$(CHART_JS): $(NODE_MODULES)
	@mkdir -p $(dir $@) && cp node_modules/chart.js/dist/chart.umd.min.js $@

# The resident page's and the dashboard's bundles of their modules (esbuild,
# pinned by package.json), committed: after editing a module under web/ (make run does it); make test
# fails while a bundle is not what esbuild makes of the modules (infra/webbundle).
bundle: $(NODE_MODULES) ## rebuild web/resident/bundle.js and web/staff/bundle/ from the modules, and the preload lines of the two pages
	$(GO) run ./infra/webbundle

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
build-StaffAdminFunction:
	$(LAMBDA_FLAGS) $(GO) build -tags lambda.norpc -trimpath -ldflags='-s -w' -o $(ARTIFACTS_DIR)/bootstrap ./functions/staffadmin
build-StaffApiFunction:
	$(LAMBDA_FLAGS) $(GO) build -tags lambda.norpc -trimpath -ldflags='-s -w' -o $(ARTIFACTS_DIR)/bootstrap ./functions/staff

clean:
	rm -rf build .data

# ---- Deploy to AWS: `make deploy ENV=dev|prod` (needs the AWS CLI, the SAM CLI and
# credentials; see the README). `make -n deploy ENV=dev` prints the sequence.
ENV ?= dev
samconfig = $(shell sed -n '/^\[$(ENV)\.deploy\.parameters\]/,/^\[/s/^$(1) *= *"\(.*\)"/\1/p' samconfig.toml)
STACK = $(call samconfig,stack_name)
REGION = $(call samconfig,region)
STACK_JSON = build/deploy-$(ENV)/stack.json
SITE_CONFIG = build/deploy-$(ENV)/config.json
DESCRIBE_STACK = aws cloudformation describe-stacks --stack-name $(STACK) --region $(REGION) --output json > $(STACK_JSON)
SITECONFIG = $(GO) run ./infra/siteconfig -stack $(STACK_JSON)
# Cache headers: the page modules and styles are not versioned by name (native ES
# modules import each other by plain path), so nothing may be cached for long: .js and
# .css for 5 minutes then revalidated (ETag); HTML and config.json revalidated on every
# load, so a deploy is seen at once and never mixes old pages with new modules for long.
CACHE_ASSETS = public, max-age=300, must-revalidate
CACHE_PAGES = no-cache
# A parameter as deployed: samconfig.toml's parameter_overrides for $(ENV) (written
# Name=\"value\"), else the template's Default.
param_override = $(shell sed -n '/^\[$(ENV)\.deploy\.parameters\]/,/^\[/s/^parameter_overrides *=.*[" ]$(1)=\\"\([^\\]*\)\\".*/\1/p' samconfig.toml)
param_default = $(shell sed -n '/^  $(1):$$/,/^  [A-Za-z]/s/^    Default: *//p' template.yaml | head -1)
param = $(or $(call param_override,$(1)),$(call param_default,$(1)))
# The account's SNS SMS spend limit (account-wide, per region): set here, not by a
# function, so two stacks cannot overwrite each other at every cold start.
# https://docs.aws.amazon.com/cli/latest/reference/sns/set-sms-attributes.html
SMS_SPEND_LIMIT = $(call param,SmsMonthlySpendLimitUsd)
ALARM_EMAIL = $(call param_override,AlarmEmail)
# CloudFront publishes its metrics in us-east-1 only, and an alarm watches metrics of its
# own region and notifies a topic of its own region: the CloudFront 5xx alarm and its
# topic live there, created (idempotently) by `make deploy`, not by the stack.
# https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/programming-cloudwatch-metrics.html
EDGE_REGION = us-east-1
EDGE_TOPIC = $(STACK)-edge-alarms
EDGE_ALARM = $(STACK)-cloudfront-5xx

deploy:
	@case "$(ENV)" in dev|prod) ;; *) echo "ENV must be dev or prod"; exit 1;; esac
	@test -n "$(STACK)" -a -n "$(REGION)" || { echo "samconfig.toml has no stack_name/region for $(ENV)"; exit 1; }
	sam build --config-env $(ENV)
	sam deploy --config-env $(ENV)
	$(MAKE) web-vendor
	mkdir -p $(dir $(STACK_JSON))
	$(DESCRIBE_STACK)
	# First deploy only: the sign-in callback needs the distribution's domain (see SiteDomain).
	domain=$$($(SITECONFIG) -pending-site-domain) && if [ -n "$$domain" ]; then \
	  sam deploy --config-env $(ENV) --parameter-overrides "SiteDomain=$$domain" && $(DESCRIBE_STACK); fi
	aws sns set-sms-attributes --attributes MonthlySpendLimit=$(SMS_SPEND_LIMIT) --region $(REGION)
	topic=$$(aws sns create-topic --name $(EDGE_TOPIC) --region $(EDGE_REGION) --query TopicArn --output text) && \
	if [ -n "$(ALARM_EMAIL)" ] && ! aws sns list-subscriptions-by-topic --topic-arn $$topic --region $(EDGE_REGION) --query 'Subscriptions[].Endpoint' --output text | tr '\t' '\n' | grep -qxF '$(ALARM_EMAIL)'; then \
	  aws sns subscribe --topic-arn $$topic --protocol email --notification-endpoint '$(ALARM_EMAIL)' --region $(EDGE_REGION); fi && \
	aws cloudwatch put-metric-alarm --region $(EDGE_REGION) --alarm-name $(EDGE_ALARM) \
	  --alarm-description "CloudFront answered more than 5 % 5xx for 10 minutes ($(STACK); see docs/operations.md)" \
	  --namespace AWS/CloudFront --metric-name 5xxErrorRate \
	  --dimensions Name=DistributionId,Value=$$($(SITECONFIG) -output DistributionId) Name=Region,Value=Global \
	  --statistic Average --period 300 --evaluation-periods 2 --threshold 5 --comparison-operator GreaterThanThreshold \
	  --treat-missing-data notBreaching --alarm-actions $$topic --ok-actions $$topic
	$(SITECONFIG) -config $(SITE_CONFIG)
	bucket=$$($(SITECONFIG) -output WebBucketName) && \
	aws s3 sync web/ s3://$$bucket/ --region $(REGION) --delete --exclude '*' --include '*.js' --include '*.css' --cache-control '$(CACHE_ASSETS)' && \
	aws s3 sync web/ s3://$$bucket/ --region $(REGION) --delete --exclude '*.js' --exclude '*.css' --exclude config.json --cache-control '$(CACHE_PAGES)' && \
	aws s3 cp $(SITE_CONFIG) s3://$$bucket/config.json --region $(REGION) --content-type application/json --cache-control '$(CACHE_PAGES)'
	aws cloudfront create-invalidation --distribution-id $$($(SITECONFIG) -output DistributionId) --paths '/*'
	@echo "Site: $$($(SITECONFIG) -output SiteUrl)"
