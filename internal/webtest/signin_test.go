package webtest

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// signInThroughIssuer goes from the staff page's sign-in screen to the issuer's login
// page (authorization code + PKCE) and back, signed in.
func signInThroughIssuer(t *testing.T, ctx context.Context, user, password, ready string) {
	t.Helper()
	run(t, ctx, "sign in as "+user+" on the issuer's login page",
		chromedp.WaitVisible(`#signin-start`), chromedp.Click(`#signin-start`),
		chromedp.WaitVisible(`#username`),
		chromedp.SendKeys(`#username`, user),
		chromedp.SendKeys(`#password`, password),
		chromedp.Click(`#signin-button`),
		chromedp.WaitVisible(ready),
	)
}

// TestAnAdminInvitesAnOfficerWhoSeesOnlyTheirCommune signs in through the code + PKCE
// flow as the provincial admin, invites an officer scoped to commune xa-a in the staff
// panel, signs out through the logout endpoint, signs in as the new officer and checks
// that only xa-a's subtree is offered and commune xa-b's report is not reachable.
func TestAnAdminInvitesAnOfficerWhoSeesOnlyTheirCommune(t *testing.T) {
	_, srv := demoSite(t)
	ctx := browser(t)

	if !t.Run("the admin signs in through the login page and the tokens stay out of localStorage", func(t *testing.T) {
		run(t, ctx, "open the dashboard", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(srv.URL+"/staff/"))
		signInThroughIssuer(t, ctx, "admin", "demo1234", `#staff-admin`)
		if u := value(t, ctx, chromedp.Evaluate[string](`location.search`)); u != "" {
			t.Errorf("address after sign-in keeps %q, want the code and state removed", u)
		}
		stored := value(t, ctx, chromedp.Evaluate[bool](`(function(){ var s = JSON.parse(sessionStorage.getItem('nq58.staff.token') || '{}'); return !!(s.token && s.refreshToken && s.expiresAt) })()`))
		if !stored {
			t.Errorf("sessionStorage lacks the ID token, refresh token or expiry")
		}
		if n := value(t, ctx, chromedp.Evaluate[int](`localStorage.length`)); n != 0 {
			t.Errorf("localStorage holds %d items, want none", n)
		}
	}) {
		return
	}

	var password string
	if !t.Run("the admin invites an officer scoped to commune xa-a", func(t *testing.T) {
		choose(t, ctx, "st-role", "officer")
		choose(t, ctx, "st-unit", "xa-a")
		run(t, ctx, "fill the invitation",
			chromedp.SendKeys(`#st-username`, "canbo-moi"),
			chromedp.SendKeys(`#st-email`, "canbo.moi@example.vn"),
			chromedp.Click(`#st-invite`),
		)
		waitJS(t, ctx, "the temporary password is shown", `document.getElementById('st-status').dataset.password`)
		password = value(t, ctx, chromedp.Evaluate[string](`document.getElementById('st-status').dataset.password`))
		waitJS(t, ctx, "the new account is listed", `document.querySelector('#st-list tr[data-username="canbo-moi"]')`)
		row := value(t, ctx, chromedp.Text(`#st-list tr[data-username="canbo-moi"]`))
		if !strings.Contains(row, "Cán bộ văn hóa – xã hội") || !strings.Contains(row, "Đang hoạt động") {
			t.Errorf("staff list row = %q, want the officer role, active", row)
		}
	}) {
		return
	}

	if !t.Run("signing out goes through the logout endpoint and forgets the tokens", func(t *testing.T) {
		run(t, ctx, "sign out", chromedp.Click(`#signout`), chromedp.WaitVisible(`#signin-note`))
		if note := value(t, ctx, chromedp.Text(`#signin-note`)); !strings.Contains(note, "Bạn đã đăng xuất") {
			t.Errorf("sign-in screen says %q, want it to say the user signed out", note)
		}
		if left := value(t, ctx, chromedp.Evaluate[string](`sessionStorage.getItem('nq58.staff.token') || ''`)); left != "" {
			t.Errorf("token left in sessionStorage after sign-out")
		}
	}) {
		return
	}

	t.Run("the invited officer signs in and reaches only commune xa-a", func(t *testing.T) {
		signInThroughIssuer(t, ctx, "canbo-moi", password, `#filters`)
		if !value(t, ctx, chromedp.Evaluate[bool](`document.getElementById('staff-admin').hidden`)) {
			t.Errorf("an officer sees the staff accounts panel")
		}
		units := value(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#unit option')).map(o => o.value)`))
		if !slices.Contains(units, "xa-a") || slices.ContainsFunc(units, func(u string) bool { return u == "th" || strings.HasPrefix(u, "xa-b") }) {
			t.Errorf("unit picker = %v, want xa-a and its villages only", units)
		}
		status := value(t, ctx, chromedp.Evaluate[int](`fetch('/v1/reports/awareness?quizId=`+dashQuiz+`&unitId=xa-b', {headers: {Authorization: 'Bearer ' + JSON.parse(sessionStorage.getItem('nq58.staff.token')).token}}).then(r => r.status)`, chromedp.EvalAwaitPromise))
		if status != 404 {
			t.Errorf("commune xa-b's report answers %d to the officer, want 404", status)
		}
	})
}
