package city

import (
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"
	"time"
)

const (
	sessionCookie = "cityd_session"
	langCookie    = "cityd_lang"
)

func (o *office) lang(r *http.Request) string {
	if c, err := r.Cookie(langCookie); err == nil && c.Value == "en" {
		return "en"
	}
	return "vi"
}

// loadSession finds the session of the request's cookie and checks it is
// alive: not idle too long, not older than the absolute limit, of an
// active user. A dead session is deleted.
func (o *office) loadSession(r *http.Request) (*Session, User, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" || len(c.Value) > 128 {
		return nil, User{}, false
	}
	hash := sha256Hex(c.Value)
	ctx := r.Context()
	se, err := o.store.Session(ctx, hash)
	if err != nil {
		return nil, User{}, false
	}
	now := o.s.now()
	u, err := o.store.User(ctx, se.UserID)
	if err != nil || !u.Active || now.Sub(se.LastSeen) > o.opts.SessionIdle || now.Sub(se.CreatedAt) > o.opts.SessionMax {
		if err := o.store.DeleteSession(ctx, hash); err != nil {
			o.s.log.Error("End a dead session", "err", err)
		}
		return nil, User{}, false
	}
	if now.Sub(se.LastSeen) > time.Minute {
		if err := o.store.TouchSession(ctx, hash, now); err != nil {
			o.s.log.Error("Touch session", "err", err)
		}
	}
	return &se, u, true
}

func (o *office) setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/office", MaxAge: maxAge,
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
}

// page wraps a route for browsers: a live session, the role, and on POST
// the session's form token.
func (o *office) page(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		se, u, ok := o.loadSession(r)
		p := &principal{User: u, Session: se, Addr: clientAddr(r), Lang: o.lang(r)}
		if !ok {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/office/login", http.StatusSeeOther)
				return
			}
			o.fail(w, r, p, http.StatusUnauthorized, "err_signed_out")
			return
		}
		if r.Method == http.MethodPost {
			if err := r.ParseForm(); err != nil {
				o.fail(w, r, p, http.StatusBadRequest, "err_bad_form")
				return
			}
			if subtle.ConstantTimeCompare([]byte(r.PostForm.Get("csrf")), []byte(se.CSRF)) != 1 {
				o.s.log.Warn("Refused a form without its token", "route", rt.path, "user", u.Name)
				o.fail(w, r, p, http.StatusForbidden, "err_csrf")
				return
			}
		}
		if u.MustChange && rt.path != "/account" && rt.path != "/account/password" && rt.path != "/logout" {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/office/account?msg=err_must_change", http.StatusSeeOther)
				return
			}
			o.fail(w, r, p, http.StatusForbidden, "err_must_change")
			return
		}
		if !p.has(rt.roles) {
			o.fail(w, r, p, http.StatusForbidden, "err_role")
			return
		}
		rt.h(w, r, p)
	})
}

// api wraps a route for scripts: "Authorization: Bearer <token>" of an
// active user's unrevoked API token, and the role. Bodies are form-encoded
// or a flat JSON object of strings.
func (o *office) api(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := &principal{API: true, Addr: clientAddr(r), Lang: "en"}
		u, tok, ok := o.tokenUser(r)
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="cityd"`)
			writeError(w, http.StatusUnauthorized, CodeUnauthorized, "an API token of an active user is required")
			return
		}
		p.User, p.Token = u, &tok
		if !p.has(rt.roles) {
			writeError(w, http.StatusForbidden, CodeForbidden, "this role may not do this")
			return
		}
		if r.Method == http.MethodPost {
			if err := parseAPIForm(w, r); err != nil {
				writeError(w, http.StatusBadRequest, CodeBadRequest, err.Error())
				return
			}
		}
		rt.h(w, r, p)
	})
}

// tokenUser resolves a bearer token to its user.
func (o *office) tokenUser(r *http.Request) (User, APIToken, bool) {
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || got == "" || len(got) > 128 {
		return User{}, APIToken{}, false
	}
	tok, err := o.store.TokenByHash(r.Context(), sha256Hex(got))
	if err != nil || !tok.RevokedAt.IsZero() {
		return User{}, APIToken{}, false
	}
	u, err := o.store.User(r.Context(), tok.UserID)
	if err != nil || !u.Active {
		return User{}, APIToken{}, false
	}
	return u, tok, true
}

func (o *office) handleLang(w http.ResponseWriter, r *http.Request) {
	l := r.PathValue("lang")
	if l != "en" {
		l = "vi"
	}
	o.setCookie(w, r, langCookie, l, 365*24*3600)
	back := r.URL.Query().Get("back")
	if !strings.HasPrefix(back, "/office/") || strings.HasPrefix(back, "//") {
		back = "/office/queue"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

type loginData struct {
	Name  string `json:"name"`
	Error string `json:"error,omitempty"`
	Extra string `json:"extra,omitempty"`
}

func (o *office) handleLoginForm(w http.ResponseWriter, r *http.Request) {
	if _, _, ok := o.loadSession(r); ok {
		http.Redirect(w, r, "/office/queue", http.StatusSeeOther)
		return
	}
	p := &principal{Lang: o.lang(r)}
	o.renderStatus(w, r, p, http.StatusOK, "login", loginData{})
}

// handleLogin checks the password under two limits, per address and per
// account, and on success starts a new session (the old one, if any, is
// ended: a session ID fixed before login is worth nothing after it).
func (o *office) handleLogin(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	ctx := r.Context()
	p := &principal{Addr: clientAddr(r), Lang: o.lang(r)}
	name := strings.ToLower(strings.TrimSpace(r.PostFormValue("name")))
	password := r.PostFormValue("password")
	data := loginData{Name: name}
	now := o.s.now()
	if blocked, wait := o.addrLimit.blocked(p.Addr, now); blocked {
		if err := o.audit(ctx, p, "login_throttled", "", "", "address "+p.Addr); err != nil {
			o.s.internal(w, "Audit", err)
			return
		}
		w.Header().Set("Retry-After", retryAfter(wait))
		data.Error, data.Extra = "err_login_throttled", retryAfter(wait)
		o.renderStatus(w, r, p, http.StatusTooManyRequests, "login", data)
		return
	}
	u, err := o.store.UserByName(ctx, name)
	if err != nil && !errors.Is(err, ErrNotFound) {
		o.s.internal(w, "Login", err)
		return
	}
	known := err == nil
	if known && now.Before(u.LockedUntil) {
		p.User = u
		if err := o.audit(ctx, p, "login_locked", "", "", ""); err != nil {
			o.s.internal(w, "Audit", err)
			return
		}
		data.Error, data.Extra = "err_login_locked", localClock(u.LockedUntil)
		o.renderStatus(w, r, p, http.StatusTooManyRequests, "login", data)
		return
	}
	hash := o.dummy()
	if known && u.PasswordHash != "" {
		hash = u.PasswordHash
	}
	o.hashSem <- struct{}{}
	good := CheckPassword(hash, password)
	<-o.hashSem
	if !known || !u.Active || u.PasswordHash == "" || !good {
		o.addrLimit.failed(p.Addr, now)
		if known {
			p.User = u
			if _, err := o.store.UpdateUser(ctx, u.ID, func(x *User) error {
				x.Failed++
				if x.Failed >= o.opts.LoginFailures {
					x.Failed, x.LockedUntil = 0, now.Add(o.opts.LockFor)
				}
				return nil
			}); err != nil {
				o.s.internal(w, "Count a login failure", err)
				return
			}
		}
		detail := "name " + name
		if known {
			detail = ""
		}
		if err := o.audit(ctx, p, "login_failed", "", "", detail); err != nil {
			o.s.internal(w, "Audit", err)
			return
		}
		data.Error = "err_login"
		o.renderStatus(w, r, p, http.StatusUnauthorized, "login", data)
		return
	}
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if err := o.store.DeleteSession(ctx, sha256Hex(c.Value)); err != nil {
			o.s.internal(w, "End the old session", err)
			return
		}
	}
	if u.Failed != 0 || !u.LockedUntil.IsZero() {
		if _, err := o.store.UpdateUser(ctx, u.ID, func(x *User) error { x.Failed, x.LockedUntil = 0, time.Time{}; return nil }); err != nil {
			o.s.internal(w, "Reset login failures", err)
			return
		}
	}
	secret := rand.Text()
	se := Session{Hash: sha256Hex(secret), UserID: u.ID, CSRF: rand.Text(), Addr: p.Addr, UserAgent: truncate(r.UserAgent(), 200),
		CreatedAt: now, LastSeen: now}
	if err := o.store.CreateSession(ctx, se); err != nil {
		o.s.internal(w, "Create session", err)
		return
	}
	p.User = u
	if err := o.audit(ctx, p, "login", "", "", ""); err != nil {
		o.s.internal(w, "Audit", err)
		return
	}
	o.setCookie(w, r, sessionCookie, secret, 0)
	dest := "/office/queue"
	switch {
	case u.MustChange:
		dest = "/office/account?msg=err_must_change"
	case u.Role == RoleAdmin:
		dest = "/office/users"
	case u.Role == RoleViewer:
		dest = "/office/counts"
	}
	http.Redirect(w, r, dest, http.StatusSeeOther)
}

func (o *office) handleLogout(w http.ResponseWriter, r *http.Request, p *principal) {
	if p.API {
		writeError(w, http.StatusBadRequest, CodeBadRequest, "API tokens are revoked, not logged out")
		return
	}
	if err := o.store.DeleteSession(r.Context(), p.Session.Hash); err != nil {
		o.s.internal(w, "Logout", err)
		return
	}
	if err := o.audit(r.Context(), p, "logout", "", "", ""); err != nil {
		o.s.internal(w, "Audit", err)
		return
	}
	o.setCookie(w, r, sessionCookie, "", -1)
	http.Redirect(w, r, "/office/login", http.StatusSeeOther)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
