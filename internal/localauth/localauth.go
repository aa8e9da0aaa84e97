// Package localauth stands in for Cognito and the HttpApi JWT authorizer when the product
// runs locally: a development sign-in for users from a file (passwords hashed with
// PBKDF2-SHA256) that issues RS256 ID tokens with Cognito's claims, a JWKS, and a
// verifier that checks issuer, audience, signature and expiry as API Gateway does.
// It exists only in the local gateway; nothing in AWS uses it.
package localauth

import (
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/nq58/tracker/internal/auth"
)

// TokenLife is how long a development token lasts (Cognito's ID token default is 1 h;
// the template sets 12 h for a working day).
const TokenLife = 12 * time.Hour

const pbkdf2Iterations = 210_000

// User is a development staff account.
type User struct {
	Username     string `json:"username"`
	PasswordHash string `json:"passwordHash"` // pbkdf2-sha256$<iterations>$<salt>$<hash>, base64url
	Role         string `json:"role"`
	Scope        string `json:"scope"`
	Phone        string `json:"phone,omitempty"`
	Email        string `json:"email,omitempty"`
	Disabled     bool   `json:"disabled,omitempty"`
}

// LoadUsers reads a users file.
func LoadUsers(path string) ([]User, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var users []User
	if err := json.Unmarshal(raw, &users); err != nil {
		return nil, fmt.Errorf("users file %s: %w", path, err)
	}
	return users, nil
}

// HashPassword returns the stored form of a password.
func HashPassword(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key, err := pbkdf2.Key(sha256.New, password, salt, pbkdf2Iterations, 32)
	if err != nil {
		return "", err
	}
	enc := base64.RawURLEncoding.EncodeToString
	return "pbkdf2-sha256$" + strconv.Itoa(pbkdf2Iterations) + "$" + enc(salt) + "$" + enc(key), nil
}

func checkPassword(stored, password string) bool {
	parts := strings.Split(stored, "$")
	if len(parts) != 4 || parts[0] != "pbkdf2-sha256" {
		return false
	}
	iter, err := strconv.Atoi(parts[1])
	salt, err2 := base64.RawURLEncoding.DecodeString(parts[2])
	want, err3 := base64.RawURLEncoding.DecodeString(parts[3])
	if err != nil || err2 != nil || err3 != nil || iter < 1 {
		return false
	}
	got, err := pbkdf2.Key(sha256.New, password, salt, iter, len(want))
	return err == nil && subtle.ConstantTimeCompare(got, want) == 1
}

// Issuer signs development tokens.
type Issuer struct {
	key      *rsa.PrivateKey
	kid      string
	issuer   string
	audience string
	users    *Users
	now      func() time.Time
}

// NewIssuer makes a fresh signing key for the given issuer and audience.
func NewIssuer(users []User, issuer, audience string, now func() time.Time) (*Issuer, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	if now == nil {
		now = time.Now
	}
	kidBytes := make([]byte, 8)
	_, _ = rand.Read(kidBytes)
	i := &Issuer{key: key, kid: base64.RawURLEncoding.EncodeToString(kidBytes), issuer: issuer, audience: audience,
		users: NewUsers(users), now: now}
	return i, nil
}

// Users is the issuer's account store (staff management adds and disables accounts).
func (i *Issuer) Users() *Users { return i.users }

// Audience is the client id the issuer's ID tokens are for.
func (i *Issuer) Audience() string { return i.audience }

// ErrBadCredentials is returned for an unknown user or a wrong password.
var ErrBadCredentials = errors.New("wrong username or password")

// SignIn checks a user's password and returns an ID token. A disabled account cannot
// sign in (the same answer as a wrong password).
func (i *Issuer) SignIn(username, password string) (string, time.Time, error) {
	u, ok := i.users.Lookup(username)
	if !ok || u.Disabled || !checkPassword(u.PasswordHash, password) {
		return "", time.Time{}, ErrBadCredentials
	}
	return i.idToken(u)
}

// idToken signs an ID token for an account, valid for TokenLife.
func (i *Issuer) idToken(u User) (string, time.Time, error) {
	exp := i.now().Add(TokenLife)
	tok, err := i.Token(u.Username, []string{u.Role}, u.Scope, exp)
	return tok, exp, err
}

// Token signs an ID token with Cognito's claims (tests use it for any user and expiry).
func (i *Issuer) Token(username string, groups []string, scope string, exp time.Time) (string, error) {
	now := i.now()
	claims := jwt.MapClaims{
		"iss": i.issuer, "aud": i.audience, "sub": "local-" + username, "token_use": "id",
		"iat": now.Unix(), "auth_time": now.Unix(), "exp": exp.Unix(),
		auth.ClaimUsername: username, auth.ClaimGroups: groups, auth.ClaimScope: scope,
	}
	t := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	t.Header["kid"] = i.kid
	return t.SignedString(i.key)
}

type jwk struct {
	Kty string `json:"kty"`
	Kid string `json:"kid"`
	Use string `json:"use"`
	Alg string `json:"alg"`
	N   string `json:"n"`
	E   string `json:"e"`
}

// JWKS returns the public key set, as Cognito publishes at /.well-known/jwks.json.
func (i *Issuer) JWKS() []byte {
	pub := i.key.PublicKey
	b, _ := json.Marshal(map[string][]jwk{"keys": {{Kty: "RSA", Kid: i.kid, Use: "sig", Alg: "RS256",
		N: base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
		E: base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes())}}})
	return b
}

// Verifier checks tokens against a JWKS, an issuer and an audience.
type Verifier struct {
	keys     map[string]*rsa.PublicKey
	issuer   string
	audience string
	now      func() time.Time
}

// NewVerifier reads a JWKS.
func NewVerifier(jwks []byte, issuer, audience string, now func() time.Time) (*Verifier, error) {
	var set struct {
		Keys []jwk `json:"keys"`
	}
	if err := json.Unmarshal(jwks, &set); err != nil {
		return nil, fmt.Errorf("jwks: %w", err)
	}
	if now == nil {
		now = time.Now
	}
	v := &Verifier{keys: map[string]*rsa.PublicKey{}, issuer: issuer, audience: audience, now: now}
	for _, k := range set.Keys {
		n, err := base64.RawURLEncoding.DecodeString(k.N)
		e, err2 := base64.RawURLEncoding.DecodeString(k.E)
		if err != nil || err2 != nil || k.Kty != "RSA" {
			return nil, fmt.Errorf("jwks: key %s is not a usable RSA key", k.Kid)
		}
		v.keys[k.Kid] = &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	}
	return v, nil
}

// Verify checks an Authorization header ("Bearer <jwt>") and returns the claims as API
// Gateway hands them to a Lambda: every value a string, lists as "[a b]".
func (v *Verifier) Verify(header string) (map[string]string, error) {
	raw, ok := strings.CutPrefix(header, "Bearer ")
	if !ok {
		return nil, errors.New("no bearer token")
	}
	tok, err := jwt.Parse(raw, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		if k, ok := v.keys[kid]; ok {
			return k, nil
		}
		return nil, errors.New("unknown key")
	}, jwt.WithValidMethods([]string{"RS256"}), jwt.WithIssuer(v.issuer), jwt.WithAudience(v.audience),
		jwt.WithExpirationRequired(), jwt.WithTimeFunc(v.now))
	if err != nil {
		return nil, err
	}
	claims := map[string]string{}
	for k, val := range tok.Claims.(jwt.MapClaims) {
		switch x := val.(type) {
		case string:
			claims[k] = x
		case []any:
			parts := make([]string, len(x))
			for i, p := range x {
				parts[i] = fmt.Sprint(p)
			}
			claims[k] = "[" + strings.Join(parts, " ") + "]"
		case float64:
			claims[k] = strconv.FormatFloat(x, 'f', -1, 64)
		default:
			claims[k] = fmt.Sprint(x)
		}
	}
	return claims, nil
}
