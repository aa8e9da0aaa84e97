#!/bin/sh
# Runs the bench under DynamoDB Local (infra/ddblocal). In AWS the store does not share the
# Lambdas' CPU; here, with two CPUs or more, DynamoDB Local is pinned to the first allowed
# CPU and the bench (load, gateway, handlers, aggregator) to the second, so that neither
# phase's load generator takes the store's CPU. Arguments go to the bench.
set -eu
go=${GO:-go}
cpus=$(awk '/^Cpus_allowed_list/ {
	n = split($2, parts, ",")
	for (i = 1; i <= n; i++) {
		split(parts[i], r, "-"); if (r[2] == "") r[2] = r[1]
		for (c = r[1]; c <= r[2]; c++) printf "%d ", c
	}
}' /proc/self/status 2>/dev/null || true)
set -- $cpus -- "$@"
if [ "$1" != "--" ] && [ "${2:-}" != "--" ] && command -v taskset >/dev/null; then
	store=$1 load=$2
	while [ "$1" != "--" ]; do shift; done
	shift
	echo "bench: DynamoDB Local pinned to CPU $store, the bench to CPU $load" >&2
	exec taskset -c "$store" "$go" run ./infra/ddblocal -- taskset -c "$load" "$go" run ./infra/bench "$@"
fi
while [ "$1" != "--" ]; do shift; done
shift
echo "bench: fewer than two CPUs (or no taskset): DynamoDB Local and the bench share them" >&2
exec "$go" run ./infra/ddblocal -- "$go" run ./infra/bench "$@"
