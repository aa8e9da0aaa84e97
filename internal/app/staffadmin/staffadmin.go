// Package staffadmin wires the staff-account function (StaffAdminFunction).
package staffadmin

import (
	"log/slog"

	"github.com/nq58/tracker/internal/dynamo"
	"github.com/nq58/tracker/internal/staffadminapi"
	"github.com/nq58/tracker/internal/staffdir"
)

// New wires store and directory → service → handler; dir holds the staff accounts
// (Cognito's user pool in AWS, the local users file locally).
func New(store *dynamo.Store, log *slog.Logger, dir staffdir.Directory) *staffadminapi.Handler {
	return staffadminapi.New(staffdir.NewService(dir, store), log)
}
