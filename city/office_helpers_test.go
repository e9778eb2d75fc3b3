package city_test

import (
	"crypto/tls"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"communekiosk/city"
	"communekiosk/kiosk"
	"communekiosk/sync/syncproto"
)

// Cheap argon2id costs: the tests check the flow, not the cost.
var fastPasswords = city.PasswordParams{Time: 1, Memory: 64, Threads: 1}

func officeEnv(t *testing.T, mods ...func(*city.Options)) *env {
	t.Helper()
	return newEnv(t, append([]func(*city.Options){func(o *city.Options) { o.Office.Password = fastPasswords }}, mods...)...)
}

// user makes an account and returns its password.
func (e *env) user(name string, role city.Role, communes ...string) (city.User, string) {
	e.t.Helper()
	pw := city.NewPassword()
	u, err := city.NewUser(name, strings.ToUpper(name[:1])+name[1:], role, communes, pw, fastPasswords, e.now)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.store.CreateUser(e.t.Context(), u); err != nil {
		e.t.Fatal(err)
	}
	return u, pw
}

// token makes an API token of u.
func (e *env) apiToken(u city.User) string {
	e.t.Helper()
	secret, tok := city.NewAPIToken(u.ID, "test", e.now)
	if err := e.store.CreateToken(e.t.Context(), tok); err != nil {
		e.t.Fatal(err)
	}
	return secret
}

// browser is a cookie-keeping client that remembers the form token of the
// last page it saw.
type browser struct {
	e    *env
	c    *http.Client
	csrf string
	last string // body of the last page
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	c := *e.http.Client()
	c.Jar = jar
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &browser{e: e, c: &c}
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (b *browser) send(req *http.Request) (int, string, http.Header) {
	b.e.t.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var sb strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := resp.Body.Read(buf)
		sb.Write(buf[:n])
		if err != nil {
			break
		}
	}
	body := sb.String()
	if m := csrfRe.FindStringSubmatch(body); m != nil {
		b.csrf = m[1]
	}
	b.last = body
	return resp.StatusCode, body, resp.Header
}

func (b *browser) get(path string) (int, string) {
	b.e.t.Helper()
	req, _ := http.NewRequest("GET", b.e.http.URL+path, nil)
	status, body, _ := b.send(req)
	return status, body
}

// post sends a form with this session's token (unless form has "csrf").
func (b *browser) post(path string, form url.Values, headers ...string) (int, string, http.Header) {
	b.e.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", b.csrf)
	}
	req, _ := http.NewRequest("POST", b.e.http.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return b.send(req)
}

func (b *browser) login(name, pw string) {
	b.e.t.Helper()
	status, body, h := b.post("/office/login", url.Values{"name": {name}, "password": {pw}})
	if status != http.StatusSeeOther {
		b.e.t.Fatalf("login %s: %d %s", name, status, body)
	}
	if loc := h.Get("Location"); loc == "" {
		b.e.t.Fatal("login: no redirect")
	}
	// Load a page to learn the form token.
	if status, body := b.get("/office/account"); status != 200 {
		b.e.t.Fatalf("account page after login: %d %s", status, body)
	}
}

// api calls the JSON API with a token.
func (e *env) api(tok, method, path string, form url.Values) (int, string) {
	e.t.Helper()
	var req *http.Request
	if form != nil {
		req, _ = http.NewRequest(method, e.http.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req, _ = http.NewRequest(method, e.http.URL+path, nil)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	status, body := e.do(req)
	return status, string(body)
}

// submit pushes one request from k with a unique code and returns its ID.
func (k *testKiosk) submit(req kiosk.Request) string {
	k.e.t.Helper()
	it := k.item(req)
	it.Code = fmt.Sprintf("K%s-%04d", k.id, k.seq)
	res := k.push(it)
	if res.Results[0].Outcome != syncproto.Accepted {
		k.e.t.Fatalf("push: %+v", res.Results[0])
	}
	return it.RequestID
}

func postDelivery() kiosk.Delivery {
	return kiosk.Delivery{Method: "post", Address: kiosk.Address{Province: "01", Commune: "00004", Street: "12 phố Quán Thánh"},
		Recipient: "Nguyễn Thị Hoa", Phone: "0912345678"}
}

var tlsState = tls.ConnectionState{HandshakeComplete: true}

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }
