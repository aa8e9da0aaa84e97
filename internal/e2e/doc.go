// Package e2e holds the product's scenarios (tests only): residents, officers, organisers
// and attackers over HTTP through the local gateway (internal/localgw) against DynamoDB
// Local, from the resident journey and the contest rounds to paper sheets, personal-data
// purges, key secrecy, the start and SMS limits, and the answers' contract with
// api/openapi.yaml (the gateway checks every exchange under /v1/ of every test stack:
// internal/contract). The gateway's own tests (routing, headers, pages, streams,
// schedules, dead letters) stay beside it.
package e2e
