package localgw_test

import (
	"github.com/nq58/tracker/internal/dynamolocal"
	"github.com/nq58/tracker/internal/localgw"
	"github.com/nq58/tracker/internal/samtemplate"
	"github.com/nq58/tracker/internal/testenv"
)

// newPoller is a second event source mapping on the table's stream, from its start.
func newPoller(e *env, src samtemplate.StreamSource, h localgw.StreamHandler) *localgw.Poller {
	return localgw.NewPoller(dynamolocal.StreamsClient(testenv.Endpoint(e.t)), e.Stack.StreamARN, src, h, nil)
}
