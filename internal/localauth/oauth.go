package localauth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// OAuth lifetimes: a login form must be submitted within LoginLife, a code exchanged
// within CodeLife (Cognito: 5 minutes), a refresh token lasts RefreshLife (Cognito's
// default is 30 days).
const (
	LoginLife   = 10 * time.Minute
	CodeLife    = 2 * time.Minute
	RefreshLife = 30 * 24 * time.Hour
)

// OAuth serves the authorization code + PKCE flow of Cognito's managed login locally:
// an authorize endpoint with a plain Vietnamese login page, a token endpoint
// (authorization_code with code_verifier, refresh_token) and a logout endpoint. Only
// public clients (no secret) with S256 challenges are accepted; redirect and logout
// URIs must be on the request's own origin, at one of RedirectPaths.
type OAuth struct {
	Issuer        *Issuer
	ClientID      string
	RedirectPaths []string // e.g. /staff/, /staff/contest.html

	mu      sync.Mutex
	logins  map[string]authRequest
	codes   map[string]codeGrant
	refresh map[string]refreshGrant
}

type authRequest struct {
	redirectURI, state, challenge string
	exp                           time.Time
}

type codeGrant struct {
	clientID, redirectURI, challenge, username string
	exp                                        time.Time
}

type refreshGrant struct {
	clientID, username string
	exp                time.Time
}

func randomID() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func origin(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// Endpoints are the URLs of the flow as the pages' /config.json lists them.
func (o *OAuth) Endpoints(r *http.Request) map[string]any {
	base := origin(r) + "/local"
	return map[string]any{
		"authorizeUrl": base + "/oauth2/authorize",
		"tokenUrl":     base + "/oauth2/token",
		"logoutUrl":    base + "/logout",
		"clientId":     o.ClientID,
		"scopes":       []string{"openid", "email", "profile"},
	}
}

// allowedURI tells whether uri is on the request's origin at an allowed path.
func (o *OAuth) allowedURI(r *http.Request, uri string) bool {
	u, err := url.Parse(uri)
	if err != nil || u.Fragment != "" || u.RawQuery != "" || u.User != nil {
		return false
	}
	return u.Scheme+"://"+u.Host == origin(r) && slices.Contains(o.RedirectPaths, u.Path)
}

func (o *OAuth) init() {
	if o.logins == nil {
		o.logins, o.codes, o.refresh = map[string]authRequest{}, map[string]codeGrant{}, map[string]refreshGrant{}
	}
}

// sweep forgets whatever expired (called with mu held).
func (o *OAuth) sweep(now time.Time) {
	for k, v := range o.logins {
		if now.After(v.exp) {
			delete(o.logins, k)
		}
	}
	for k, v := range o.codes {
		if now.After(v.exp) {
			delete(o.codes, k)
		}
	}
	for k, v := range o.refresh {
		if now.After(v.exp) {
			delete(o.refresh, k)
		}
	}
}

func noStore(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
}

// Authorize is GET /local/oauth2/authorize: it checks the request and shows the login
// page, whose form carries only an opaque login id (the request stays on the server).
func (o *OAuth) Authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	redirect := q.Get("redirect_uri")
	if q.Get("client_id") != o.ClientID || !o.allowedURI(r, redirect) {
		// Never redirect to an unchecked address (RFC 6749 §4.1.2.1).
		o.page(w, http.StatusBadRequest, loginPage{Fatal: "Yêu cầu đăng nhập không hợp lệ (ứng dụng hoặc địa chỉ quay lại không được phép)."})
		return
	}
	fail := func(code string) {
		v := url.Values{"error": {code}}
		if s := q.Get("state"); s != "" {
			v.Set("state", s)
		}
		http.Redirect(w, r, redirect+"?"+v.Encode(), http.StatusFound)
	}
	switch {
	case q.Get("response_type") != "code":
		fail("unsupported_response_type")
		return
	case q.Get("code_challenge_method") != "S256" || len(q.Get("code_challenge")) != 43:
		fail("invalid_request")
		return
	case q.Get("state") == "":
		fail("invalid_request")
		return
	}
	now := o.Issuer.now()
	id := randomID()
	o.mu.Lock()
	o.init()
	o.sweep(now)
	o.logins[id] = authRequest{redirectURI: redirect, state: q.Get("state"), challenge: q.Get("code_challenge"), exp: now.Add(LoginLife)}
	o.mu.Unlock()
	o.page(w, http.StatusOK, loginPage{LoginID: id})
}

// Login is POST /local/oauth2/authorize (the login form): on the right password it
// redirects to the redirect URI with a single-use code and the client's state.
func (o *OAuth) Login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8192)
	if err := r.ParseForm(); err != nil {
		o.page(w, http.StatusBadRequest, loginPage{Fatal: "Biểu mẫu không hợp lệ."})
		return
	}
	id := r.PostForm.Get("login_id")
	now := o.Issuer.now()
	o.mu.Lock()
	o.init()
	o.sweep(now)
	req, ok := o.logins[id]
	o.mu.Unlock()
	if !ok {
		o.page(w, http.StatusBadRequest, loginPage{Fatal: "Phiên đăng nhập đã hết hạn. Vui lòng quay lại trang cán bộ và đăng nhập lại."})
		return
	}
	username := strings.TrimSpace(r.PostForm.Get("username"))
	u, found := o.Issuer.users.Lookup(username)
	if !found || u.Disabled || !checkPassword(u.PasswordHash, r.PostForm.Get("password")) {
		o.page(w, http.StatusUnauthorized, loginPage{LoginID: id, Username: username, Error: "Sai tên đăng nhập hoặc mật khẩu."})
		return
	}
	code := randomID()
	o.mu.Lock()
	if _, still := o.logins[id]; !still { // submitted twice at once
		o.mu.Unlock()
		o.page(w, http.StatusBadRequest, loginPage{Fatal: "Phiên đăng nhập đã hết hạn. Vui lòng quay lại trang cán bộ và đăng nhập lại."})
		return
	}
	delete(o.logins, id)
	o.codes[code] = codeGrant{clientID: o.ClientID, redirectURI: req.redirectURI, challenge: req.challenge, username: u.Username, exp: now.Add(CodeLife)}
	o.mu.Unlock()
	http.Redirect(w, r, req.redirectURI+"?"+url.Values{"code": {code}, "state": {req.state}}.Encode(), http.StatusFound)
}

// Token is POST /local/oauth2/token (form-encoded, as Cognito's): grant_type
// authorization_code (code, redirect_uri, client_id, code_verifier) or refresh_token
// (refresh_token, client_id). Errors are OAuth's {"error": ...} with status 400.
func (o *OAuth) Token(w http.ResponseWriter, r *http.Request) {
	noStore(w)
	w.Header().Set("Access-Control-Allow-Origin", "*")
	r.Body = http.MaxBytesReader(w, r.Body, 8192)
	if err := r.ParseForm(); err != nil {
		tokenError(w, "invalid_request")
		return
	}
	f := r.PostForm
	if f.Get("client_id") != o.ClientID {
		tokenError(w, "invalid_client")
		return
	}
	now := o.Issuer.now()
	o.mu.Lock()
	o.init()
	o.sweep(now)
	var username string
	issueRefresh := false
	switch f.Get("grant_type") {
	case "authorization_code":
		g, ok := o.codes[f.Get("code")]
		delete(o.codes, f.Get("code")) // single use, whatever happens next
		if !ok || g.clientID != f.Get("client_id") || g.redirectURI != f.Get("redirect_uri") || !pkceMatches(g.challenge, f.Get("code_verifier")) {
			o.mu.Unlock()
			tokenError(w, "invalid_grant")
			return
		}
		username, issueRefresh = g.username, true
	case "refresh_token":
		g, ok := o.refresh[f.Get("refresh_token")]
		if !ok || g.clientID != f.Get("client_id") {
			o.mu.Unlock()
			tokenError(w, "invalid_grant")
			return
		}
		username = g.username
	default:
		o.mu.Unlock()
		tokenError(w, "unsupported_grant_type")
		return
	}
	o.mu.Unlock()
	u, ok := o.Issuer.users.Lookup(username)
	if !ok || u.Disabled {
		tokenError(w, "invalid_grant")
		return
	}
	id, exp, err := o.Issuer.idToken(u)
	if err != nil {
		http.Error(w, `{"error":"server_error"}`, http.StatusInternalServerError)
		return
	}
	out := map[string]any{"id_token": id, "access_token": id, "token_type": "Bearer",
		"expires_in": int(exp.Sub(now).Seconds())}
	if issueRefresh {
		rt := randomID()
		o.mu.Lock()
		o.refresh[rt] = refreshGrant{clientID: o.ClientID, username: u.Username, exp: now.Add(RefreshLife)}
		o.mu.Unlock()
		out["refresh_token"] = rt
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

// Logout is GET /local/logout?client_id=&logout_uri= (Cognito's form). The local
// issuer keeps no browser session, so it only checks the logout URI and redirects there.
func (o *OAuth) Logout(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != o.ClientID || !o.allowedURI(r, q.Get("logout_uri")) {
		o.page(w, http.StatusBadRequest, loginPage{Fatal: "Yêu cầu đăng xuất không hợp lệ."})
		return
	}
	noStore(w)
	http.Redirect(w, r, q.Get("logout_uri"), http.StatusFound)
}

// Revoke forgets a refresh token (POST /local/oauth2/revoke, as Cognito's revoke).
func (o *OAuth) Revoke(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8192)
	if err := r.ParseForm(); err == nil && r.PostForm.Get("client_id") == o.ClientID {
		o.mu.Lock()
		delete(o.refresh, r.PostForm.Get("token"))
		o.mu.Unlock()
	}
	noStore(w)
	w.WriteHeader(http.StatusOK)
}

func pkceMatches(challenge, verifier string) bool {
	if len(verifier) < 43 || len(verifier) > 128 {
		return false
	}
	sum := sha256.Sum256([]byte(verifier))
	got := base64.RawURLEncoding.EncodeToString(sum[:])
	return subtle.ConstantTimeCompare([]byte(got), []byte(challenge)) == 1
}

func tokenError(w http.ResponseWriter, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusBadRequest)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code})
}

type loginPage struct {
	LoginID, Username, Error, Fatal string
}

var loginTemplate = template.Must(template.New("login").Parse(`<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Đăng nhập cán bộ</title>
<style>
body{font-family:system-ui,sans-serif;background:#f4f6f8;margin:0;padding:1rem;color:#1b1f24}
main{max-width:22rem;margin:2rem auto;background:#fff;border-radius:8px;padding:1.25rem;box-shadow:0 1px 3px rgba(0,0,0,.15)}
label{display:block;margin:.75rem 0 .25rem;font-weight:600}
input{width:100%;box-sizing:border-box;padding:.6rem;font-size:1rem;border:1px solid #9aa5b1;border-radius:4px}
button{margin-top:1rem;width:100%;padding:.7rem;font-size:1rem;background:#b3261e;color:#fff;border:0;border-radius:4px}
.error{color:#b3261e}
</style>
</head>
<body>
<main>
<h1>Đăng nhập cán bộ</h1>
{{if .Fatal}}<p id="signin-error" class="error" role="alert">{{.Fatal}}</p>
{{else}}<form id="login" method="post" action="/local/oauth2/authorize" novalidate>
<input type="hidden" name="login_id" value="{{.LoginID}}">
<label for="username">Tên đăng nhập</label>
<input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" value="{{.Username}}" required>
<label for="password">Mật khẩu</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
{{if .Error}}<p id="signin-error" class="error" role="alert">{{.Error}}</p>{{end}}
<button type="submit" id="signin-button">Đăng nhập</button>
</form>{{end}}
<p><small>Máy chủ thử nghiệm cục bộ — thay cho trang đăng nhập Cognito.</small></p>
</main>
</body>
</html>
`))

func (o *OAuth) page(w http.ResponseWriter, status int, p loginPage) {
	noStore(w)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("X-Frame-Options", "DENY")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	_ = loginTemplate.Execute(w, p)
}
