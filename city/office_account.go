package city

import (
	"net/http"
	"strings"
)

type accountData struct {
	User     User       `json:"user"`
	Sessions []Session  `json:"sessions"`
	Current  string     `json:"current,omitempty"`
	Tokens   []APIToken `json:"tokens"`
	NewToken string     `json:"new_token,omitempty"` // shown once
	Error    string     `json:"error,omitempty"`
}

func (o *office) accountData(r *http.Request, p *principal) (accountData, error) {
	ctx := r.Context()
	ss, err := o.store.Sessions(ctx, p.User.ID)
	if err != nil {
		return accountData{}, err
	}
	ts, err := o.store.Tokens(ctx, p.User.ID)
	if err != nil {
		return accountData{}, err
	}
	for i := range ss {
		ss[i].CSRF = ""
	}
	for i := range ts {
		ts[i].Hash = ""
	}
	u := p.User
	u.PasswordHash = ""
	d := accountData{User: u, Sessions: ss, Tokens: ts}
	if p.Session != nil {
		d.Current = p.Session.Hash
	}
	return d, nil
}

func (o *office) handleAccount(w http.ResponseWriter, r *http.Request, p *principal) {
	d, err := o.accountData(r, p)
	if err != nil {
		o.s.internal(w, "Account", err)
		return
	}
	o.render(w, r, p, "account", d)
}

func (o *office) accountFail(w http.ResponseWriter, r *http.Request, p *principal, status int, key string) {
	if p.API {
		o.fail(w, r, p, status, key)
		return
	}
	d, err := o.accountData(r, p)
	if err != nil {
		o.s.internal(w, "Account", err)
		return
	}
	d.Error = key
	o.renderStatus(w, r, p, status, "account", d)
}

// handleSessionsEnd ends one of one's sessions (op=end, hash=…) or all of
// them (op=all: sign out everywhere, this browser included).
func (o *office) handleSessionsEnd(w http.ResponseWriter, r *http.Request, p *principal) {
	ctx := r.Context()
	switch r.PostForm.Get("op") {
	case "all":
		n, err := o.store.DeleteSessions(ctx, p.User.ID)
		if err != nil {
			o.s.internal(w, "Sign out everywhere", err)
			return
		}
		if err := o.audit(ctx, p, "session.end_all", "", "", ""); err != nil {
			o.s.internal(w, "Audit", err)
			return
		}
		if p.API {
			writeJSON(w, http.StatusOK, map[string]int{"ended": n})
			return
		}
		o.setCookie(w, r, sessionCookie, "", -1)
		http.Redirect(w, r, "/office/login", http.StatusSeeOther)
	case "end":
		hash := r.PostForm.Get("hash")
		se, err := o.store.Session(ctx, hash)
		if err != nil || se.UserID != p.User.ID {
			o.accountFail(w, r, p, http.StatusNotFound, "err_not_found")
			return
		}
		if err := o.store.DeleteSession(ctx, hash); err != nil {
			o.s.internal(w, "End session", err)
			return
		}
		if err := o.audit(ctx, p, "session.end", "", "", ""); err != nil {
			o.s.internal(w, "Audit", err)
			return
		}
		o.done(w, r, p, "/office/account", "ok_saved", map[string]string{"ended": hash})
	default:
		o.accountFail(w, r, p, http.StatusBadRequest, "err_action")
	}
}

// handleTokenCreate makes a named API token (op=create, shown once) or
// revokes one of one's own (op=revoke, id=…).
func (o *office) handleTokenCreate(w http.ResponseWriter, r *http.Request, p *principal) {
	ctx := r.Context()
	f := r.PostForm
	now := o.s.now()
	switch f.Get("op") {
	case "create":
		name := strings.TrimSpace(f.Get("name"))
		if name == "" {
			o.accountFail(w, r, p, http.StatusBadRequest, "err_token_name")
			return
		}
		secret, t := NewAPIToken(p.User.ID, name, now)
		if err := o.store.CreateToken(ctx, t); err != nil {
			o.s.internal(w, "Create token", err)
			return
		}
		if err := o.audit(ctx, p, "token.create", "", "", t.ID+" "+t.Name); err != nil {
			o.s.internal(w, "Audit", err)
			return
		}
		if p.API {
			writeJSON(w, http.StatusOK, map[string]string{"id": t.ID, "token": secret})
			return
		}
		d, err := o.accountData(r, p)
		if err != nil {
			o.s.internal(w, "Account", err)
			return
		}
		d.NewToken = secret
		o.render(w, r, p, "account", d)
	case "revoke":
		id := f.Get("id")
		ts, err := o.store.Tokens(ctx, p.User.ID)
		if err != nil {
			o.s.internal(w, "Tokens", err)
			return
		}
		mine := false
		for _, t := range ts {
			mine = mine || t.ID == id
		}
		if !mine {
			o.accountFail(w, r, p, http.StatusNotFound, "err_not_found")
			return
		}
		if err := o.store.RevokeToken(ctx, id, now); err != nil {
			o.s.internal(w, "Revoke token", err)
			return
		}
		if err := o.audit(ctx, p, "token.revoke", "", "", id); err != nil {
			o.s.internal(w, "Audit", err)
			return
		}
		o.done(w, r, p, "/office/account", "ok_saved", map[string]string{"revoked": id})
	default:
		o.accountFail(w, r, p, http.StatusBadRequest, "err_action")
	}
}

// handlePasswordChange sets one's own password (the current one first);
// every other session of the user ends.
func (o *office) handlePasswordChange(w http.ResponseWriter, r *http.Request, p *principal) {
	ctx := r.Context()
	f := r.PostForm
	o.hashSem <- struct{}{}
	ok := CheckPassword(p.User.PasswordHash, f.Get("current"))
	<-o.hashSem
	if !ok {
		o.accountFail(w, r, p, http.StatusBadRequest, "err_password_current")
		return
	}
	next := f.Get("new")
	if next == f.Get("current") {
		o.accountFail(w, r, p, http.StatusBadRequest, "err_password_same")
		return
	}
	if len(next) < MinPassword {
		o.accountFail(w, r, p, http.StatusBadRequest, "err_password_short")
		return
	}
	hash, err := HashPassword(next, o.opts.Password)
	if err != nil {
		o.s.internal(w, "Hash", err)
		return
	}
	if _, err := o.store.UpdateUser(ctx, p.User.ID, func(u *User) error {
		u.PasswordHash, u.UpdatedAt, u.MustChange = hash, o.s.now(), false
		return nil
	}); err != nil {
		o.s.internal(w, "Password", err)
		return
	}
	ss, err := o.store.Sessions(ctx, p.User.ID)
	if err != nil {
		o.s.internal(w, "Sessions", err)
		return
	}
	for _, se := range ss {
		if p.Session == nil || se.Hash != p.Session.Hash {
			if err := o.store.DeleteSession(ctx, se.Hash); err != nil {
				o.s.internal(w, "End session", err)
				return
			}
		}
	}
	if err := o.audit(ctx, p, "user.password", "", "", ""); err != nil {
		o.s.internal(w, "Audit", err)
		return
	}
	o.done(w, r, p, "/office/account", "ok_saved", map[string]bool{"changed": true})
}
