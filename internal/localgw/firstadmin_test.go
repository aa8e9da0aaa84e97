package localgw_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/nq58/tracker/internal/apperr"
	"github.com/nq58/tracker/internal/localgw"
	"github.com/nq58/tracker/internal/quiz"
	"github.com/nq58/tracker/internal/testenv"
)

func TestTheLocalFirstAdminRouteMakesAnAccountReadyToSignIn(t *testing.T) {
	clock := testenv.NewClock(time.Date(2026, 11, 20, 9, 0, 0, 0, quiz.VietnamTime))
	stack := testenv.Stack(t, clock.Now) // no units: demo.Load is not called
	srv := httptest.NewServer(stack.Handler())
	t.Cleanup(srv.Close)
	ctx := context.Background()
	req := func(email, password string) localgw.FirstAdminRequest {
		r := localgw.FirstAdminRequest{Password: password}
		r.Email, r.UnitID, r.UnitName = email, "th", "Tỉnh Thanh Hóa"
		return r
	}

	refused := []struct {
		name string
		in   localgw.FirstAdminRequest
		code apperr.Code
	}{
		{"a password of 9 characters is refused", req("a@b.vn", "abcd12345"), apperr.Validation},
		{"a password without a digit is refused", req("a@b.vn", "abcdefghijk"), apperr.Validation},
		{"a bad e-mail is refused", req("a.b.vn", "abcde12345"), apperr.Validation},
	}
	for _, tt := range refused {
		t.Run(tt.name+" and writes nothing", func(t *testing.T) {
			_, err := localgw.RequestFirstAdmin(ctx, http.DefaultClient, srv.URL, tt.in)
			if got := apperr.CodeOf(err); err == nil || got != tt.code {
				t.Fatalf("error %v, want code %s", err, tt.code)
			}
			if units, err := stack.Store.ListUnits(ctx); err != nil || len(units) != 0 {
				t.Errorf("units after a refusal = %v, %v; want none", units, err)
			}
		})
	}

	t.Run("a body with an unknown field is a 400", func(t *testing.T) {
		resp, err := http.Post(srv.URL+"/local/first-admin", "application/json", strings.NewReader(`{"email":"a@b.vn","unitId":"th","role":"admin"}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("status %d, want 400", resp.StatusCode)
		}
	})

	t.Run("with a password the admin signs in with it at once", func(t *testing.T) {
		out, err := localgw.RequestFirstAdmin(ctx, http.DefaultClient, srv.URL, req("Quan.Tri@ThanhHoa.gov.vn", "thanhhoa2026"))
		if err != nil {
			t.Fatal(err)
		}
		if out.Username != "quan.tri@thanhhoa.gov.vn" || out.TemporaryPassword != "" || !out.RootCreated {
			t.Errorf("answer = %+v, want the lower-cased e-mail, no temporary password, the root written", out)
		}
		if _, _, err := stack.Issuer.SignIn(out.Username, "thanhhoa2026"); err != nil {
			t.Errorf("sign in with the chosen password: %v", err)
		}
	})
}
