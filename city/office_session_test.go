package city_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"communekiosk/city"
)

func sessionCookie(b *browser) string {
	u, _ := url.Parse(b.e.http.URL + "/office/")
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == "cityd_session" {
			return c.Value
		}
	}
	return ""
}

func TestOfficeCSRFRefused(t *testing.T) {
	e := officeEnv(t)
	k := e.enrol("00004")
	id := k.submit(goodRequest())
	_, pw := e.user("lan", city.RoleOfficer, "00004")
	b := e.browser()
	b.login("lan", pw)
	path := "/office/dossiers/" + id + "/actions/accept"
	tests := []struct {
		name    string
		form    url.Values
		headers []string
	}{
		{"no form token", url.Values{"csrf": {""}}, nil},
		{"another session's token", url.Values{"csrf": {"AAAAAAAAAAAAAAAAAAAAAAAAAA"}}, nil},
		{"cross-site fetch", nil, []string{"Sec-Fetch-Site", "cross-site"}},
		{"foreign origin", nil, []string{"Origin", "http://evil.example"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if status, _, _ := b.post(path, tt.form, tt.headers...); status != http.StatusForbidden {
				t.Fatalf("%d, want 403", status)
			}
			if r, _ := e.store.Request(t.Context(), id); r.Status != "received" {
				t.Fatalf("status moved to %s", r.Status)
			}
		})
	}
	// The login form is covered by the cross-origin check too.
	if status, _, _ := e.browser().post("/office/login", url.Values{"name": {"lan"}, "password": {pw}}, "Sec-Fetch-Site", "cross-site"); status != http.StatusForbidden {
		t.Fatalf("cross-site login: %d", status)
	}
	// With the token, from the same site: it works.
	if status, _, _ := b.post(path, nil, "Sec-Fetch-Site", "same-origin"); status != http.StatusSeeOther {
		t.Fatalf("a good form: %d", status)
	}
}

func TestOfficeSessionFixationAndCookie(t *testing.T) {
	e := officeEnv(t)
	_, pw := e.user("lan", city.RoleOfficer, "00004")
	b := e.browser()
	// An attacker plants a session ID before the login.
	u, _ := url.Parse(e.http.URL + "/office/")
	b.c.Jar.SetCookies(u, []*http.Cookie{{Name: "cityd_session", Value: "PLANTEDSESSIONVALUE0000000", Path: "/office"}})
	status, _, h := b.post("/office/login", url.Values{"name": {"lan"}, "password": {pw}})
	if status != http.StatusSeeOther {
		t.Fatalf("login %d", status)
	}
	set := h.Get("Set-Cookie")
	if !strings.Contains(set, "HttpOnly") || !strings.Contains(set, "SameSite=Lax") || !strings.Contains(set, "Path=/office") || strings.Contains(set, "Secure") {
		t.Fatalf("cookie attributes over plain HTTP: %s", set)
	}
	first := sessionCookie(b)
	if first == "" || first == "PLANTEDSESSIONVALUE0000000" {
		t.Fatalf("the planted session survived the login: %q", first)
	}
	planted := e.browser()
	planted.c.Jar.SetCookies(u, []*http.Cookie{{Name: "cityd_session", Value: "PLANTEDSESSIONVALUE0000000", Path: "/office"}})
	if status, _ := planted.get("/office/account"); status != http.StatusSeeOther {
		t.Fatalf("the planted ID opens a session: %d", status)
	}
	// A second login rotates the session: the first cookie is dead.
	b.post("/office/login", url.Values{"name": {"lan"}, "password": {pw}})
	second := sessionCookie(b)
	if second == first {
		t.Fatal("the session was not rotated at login")
	}
	old := e.browser()
	old.c.Jar.SetCookies(u, []*http.Cookie{{Name: "cityd_session", Value: first, Path: "/office"}})
	if status, _ := old.get("/office/account"); status != http.StatusSeeOther {
		t.Fatalf("the pre-login session still works: %d", status)
	}
	// The store never holds the cookie's secret.
	se, err := e.store.Sessions(t.Context(), mustUser(t, e, "lan").ID)
	if err != nil || len(se) != 1 || se[0].Hash == second || strings.Contains(se[0].Hash, second) {
		t.Fatalf("sessions %+v, %v", se, err)
	}
}

func mustUser(t *testing.T, e *env, name string) city.User {
	t.Helper()
	u, err := e.store.UserByName(t.Context(), name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestOfficeSecureCookieUnderTLS(t *testing.T) {
	e := officeEnv(t)
	_, pw := e.user("lan", city.RoleOfficer, "00004")
	req, _ := http.NewRequest("POST", "/office/login", strings.NewReader(url.Values{"name": {"lan"}, "password": {pw}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.TLS = &tlsState // the handler reads r.TLS
	rec := newRecorder()
	e.srv.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusSeeOther || !strings.Contains(rec.Header().Get("Set-Cookie"), "Secure") {
		t.Fatalf("%d %s", rec.Code, rec.Header().Get("Set-Cookie"))
	}
}

func TestOfficeSessionExpiry(t *testing.T) {
	e := officeEnv(t)
	_, pw := e.user("lan", city.RoleOfficer, "00004")
	b := e.browser()
	b.login("lan", pw)
	e.now = e.now.Add(29 * time.Minute)
	if status, _ := b.get("/office/account"); status != 200 {
		t.Fatalf("29 minutes idle: %d", status)
	}
	e.now = e.now.Add(31 * time.Minute)
	if status, _ := b.get("/office/account"); status != http.StatusSeeOther {
		t.Fatalf("31 minutes idle: %d, want the login", status)
	}
	// Absolute: a session in use every 20 minutes still ends after 12 hours.
	b.login("lan", pw)
	for i := 1; i <= 40; i++ {
		e.now = e.now.Add(20 * time.Minute)
		status, _ := b.get("/office/account")
		if elapsed := time.Duration(i) * 20 * time.Minute; elapsed <= 12*time.Hour {
			if status != 200 {
				t.Fatalf("ended after %s of use", elapsed)
			}
		} else {
			if status != http.StatusSeeOther {
				t.Fatalf("alive after %s: %d", elapsed, status)
			}
			return
		}
	}
	t.Fatal("unreachable: the loop passes 12 hours")
}

func TestOfficeSignOutEverywhereAndDeactivation(t *testing.T) {
	e := officeEnv(t)
	u, pw := e.user("lan", city.RoleOfficer, "00004")
	_, apw := e.user("admin", city.RoleAdmin)
	tok := e.apiToken(u)
	b1, b2 := e.browser(), e.browser()
	b1.login("lan", pw)
	b2.login("lan", pw)
	if status, _, _ := b1.post("/office/account/sessions", url.Values{"op": {"all"}}); status != http.StatusSeeOther {
		t.Fatalf("sign out everywhere: %d", status)
	}
	for i, b := range []*browser{b1, b2} {
		if status, _ := b.get("/office/queue"); status != http.StatusSeeOther {
			t.Fatalf("browser %d still signed in: %d", i+1, status)
		}
	}
	if status, _ := e.api(tok, "GET", "/v1/office/queue", nil); status != 200 {
		t.Fatalf("API tokens are not sessions: %d", status)
	}
	b1.login("lan", pw)
	admin := e.browser()
	admin.login("admin", apw)
	if status, body, _ := admin.post("/office/users/"+u.ID, url.Values{"op": {"deactivate"}, "reason": {"left the office"}}); status != http.StatusSeeOther {
		t.Fatalf("deactivate: %d %s", status, body)
	}
	if status, _ := b1.get("/office/queue"); status != http.StatusSeeOther {
		t.Fatalf("a deactivated user's session works: %d", status)
	}
	if status, _ := e.api(tok, "GET", "/v1/office/queue", nil); status != http.StatusUnauthorized {
		t.Fatalf("a deactivated user's token works: %d", status)
	}
	if status, _, _ := e.browser().post("/office/login", url.Values{"name": {"lan"}, "password": {pw}}); status != http.StatusUnauthorized {
		t.Fatalf("a deactivated user signs in: %d", status)
	}
	if toks, _ := e.store.Tokens(t.Context(), u.ID); toks[0].RevokedAt.IsZero() {
		t.Fatal("deactivation left the token unrevoked")
	}
}

func TestOfficeLoginThrottle(t *testing.T) {
	e := officeEnv(t)
	_, pw := e.user("lan", city.RoleOfficer, "00004")
	login := func(name, password, addr string) (int, string) {
		req, _ := http.NewRequest("POST", "/office/login", strings.NewReader(url.Values{"name": {name}, "password": {password}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.RemoteAddr = addr + ":5000"
		rec := newRecorder()
		e.srv.Handler().ServeHTTP(rec, req)
		return rec.Code, rec.Body.String()
	}
	// Per account: 5 wrong passwords (from 5 addresses) lock it for 15
	// minutes, even for the right password, with a message that says until when.
	for i := range 5 {
		if status, _ := login("lan", "wrong password", "10.0.0."+string(rune('1'+i))); status != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: %d", i+1, status)
		}
	}
	status, body := login("lan", pw, "10.0.1.1")
	if status != http.StatusTooManyRequests || !strings.Contains(body, "Tài khoản tạm khoá đến") {
		t.Fatalf("locked account: %d %s", status, body)
	}
	e.now = e.now.Add(16 * time.Minute)
	if status, _ := login("lan", pw, "10.0.1.1"); status != http.StatusSeeOther {
		t.Fatalf("after the lock: %d", status)
	}
	// Per address: 5 attempts at once, then 10 a minute.
	for i := range 5 {
		if status, _ := login("nobody", "x", "10.9.9.9"); status != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i+1, status)
		}
	}
	status, body = login("lan", pw, "10.9.9.9")
	if status != http.StatusTooManyRequests || !strings.Contains(body, "Quá nhiều lần đăng nhập từ máy này") {
		t.Fatalf("throttled address: %d %s", status, body)
	}
	if status, _ := login("lan", pw, "10.9.9.10"); status != http.StatusSeeOther {
		t.Fatalf("another address: %d", status)
	}
	// Right passwords are not counted: a commune office whose officers
	// share one address can all sign in in the morning.
	for i := range 12 {
		if status, _ := login("lan", pw, "10.7.7.7"); status != http.StatusSeeOther {
			t.Fatalf("sign-in %d from a shared address: %d", i+1, status)
		}
	}
	failed, _ := e.store.Audit(t.Context(), city.AuditFilter{Action: "login_failed"})
	locked, _ := e.store.Audit(t.Context(), city.AuditFilter{Action: "login_locked"})
	throttled, _ := e.store.Audit(t.Context(), city.AuditFilter{Action: "login_throttled"})
	if len(failed) != 10 || len(locked) != 1 || len(throttled) != 1 {
		t.Fatalf("audit: %d failed, %d locked, %d throttled", len(failed), len(locked), len(throttled))
	}
}

var onceRe = regexp.MustCompile(`<code>([a-z0-9-]{19})</code>`)

// TestOneTimePassword: a password an admin makes works once: until the
// user sets their own, only the account page opens.
func TestOneTimePassword(t *testing.T) {
	e := officeEnv(t)
	_, apw := e.user("admin", city.RoleAdmin)
	admin := e.browser()
	admin.login("admin", apw)
	status, body, _ := admin.post("/office/users", url.Values{"name": {"mai"}, "role": {"officer"}, "commune": {"00004"}})
	m := onceRe.FindStringSubmatch(body)
	if status != 200 || m == nil {
		t.Fatalf("create: %d, no one-time password shown", status)
	}
	b := e.browser()
	status, _, h := b.post("/office/login", url.Values{"name": {"mai"}, "password": {m[1]}})
	if status != http.StatusSeeOther || h.Get("Location") != "/office/account?msg=err_must_change" {
		t.Fatalf("first sign-in: %d → %s", status, h.Get("Location"))
	}
	b.get("/office/account")
	if status, _ := b.get("/office/queue"); status != http.StatusSeeOther {
		t.Fatalf("the queue before a new password: %d", status)
	}
	if status, _, _ := b.post("/office/dossiers/x/actions/assign", nil); status != http.StatusForbidden {
		t.Fatalf("an action before a new password: %d", status)
	}
	if status, _, _ := b.post("/office/account/password", url.Values{"current": {m[1]}, "new": {m[1]}}); status != http.StatusBadRequest {
		t.Fatalf("the same password again: %d", status)
	}
	if status, body, _ := b.post("/office/account/password", url.Values{"current": {m[1]}, "new": {"a password of my own"}}); status != http.StatusSeeOther {
		t.Fatalf("new password: %d %s", status, body)
	}
	if status, _ := b.get("/office/queue"); status != 200 {
		t.Fatalf("the queue after a new password: %d", status)
	}
}
