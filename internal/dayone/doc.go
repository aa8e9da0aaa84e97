// Package dayone holds the day-one rehearsal (dayone_test.go): the operator's first-deploy
// steps of docs/first-deploy.md, in the doc's order, run over HTTP against an empty local
// deployment, from the first admin to an attempt counted in an officer's report.
package dayone
