package city

import (
	"context"
	"crypto/rand"
	"errors"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"communekiosk/kiosk"
)

var userNameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,31}$`)

// MinPassword is the shortest password a user may set.
const MinPassword = 10

// NewUser checks and builds a user with the password hashed. Communes must
// be the city's (Hà Nội's) communes.
func NewUser(name, display string, role Role, communes []string, password string, pp PasswordParams, now time.Time) (User, error) {
	name = strings.ToLower(strings.TrimSpace(name))
	if !userNameRe.MatchString(name) {
		return User{}, userError{"err_user_name"}
	}
	if !role.Valid() {
		return User{}, userError{"err_role_value"}
	}
	sc, err := cleanCommunes(communes)
	if err != nil {
		return User{}, err
	}
	if len(password) < MinPassword {
		return User{}, userError{"err_password_short"}
	}
	hash, err := HashPassword(password, pp)
	if err != nil {
		return User{}, err
	}
	if display = strings.TrimSpace(display); display == "" {
		display = name
	}
	return User{ID: newID("u_"), Name: name, DisplayName: truncate(display, 100), Role: role, Communes: sc, PasswordHash: hash,
		Active: true, CreatedAt: now.UTC(), UpdatedAt: now.UTC()}, nil
}

func cleanCommunes(list []string) ([]string, error) {
	out := []string{}
	for _, c := range list {
		if c = strings.TrimSpace(c); c == "" {
			continue
		}
		if !kiosk.IsHanoiCommune(c) {
			return nil, userError{"err_commune"}
		}
		out = append(out, c)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// APITokenPrefix begins every named API token's secret.
const APITokenPrefix = "ck_"

// NewAPIToken makes a token for a user: the token to show once and what
// the store keeps.
func NewAPIToken(userID, name string, now time.Time) (string, APIToken) {
	secret := APITokenPrefix + rand.Text()
	return secret, APIToken{ID: newID("t_"), Hash: sha256Hex(secret), UserID: userID, Name: truncate(strings.TrimSpace(name), 80), CreatedAt: now.UTC()}
}

type usersData struct {
	Users    []User       `json:"users"`
	Communes []kiosk.Unit `json:"-"`
	// Shown once, after a create or a reset.
	NewName     string `json:"new_name,omitempty"`
	NewPassword string `json:"new_password,omitempty"`
	Error       string `json:"error,omitempty"`
}

func (o *office) usersData(ctx context.Context) (usersData, error) {
	list, err := o.store.Users(ctx)
	if err != nil {
		return usersData{}, err
	}
	for i := range list {
		list[i].PasswordHash = ""
	}
	return usersData{Users: list, Communes: kiosk.Communes(kiosk.HanoiCode)}, nil
}

func (o *office) handleUsers(w http.ResponseWriter, r *http.Request, p *principal) {
	d, err := o.usersData(r.Context())
	if err != nil {
		o.s.internal(w, "Users", err)
		return
	}
	o.render(w, r, p, "users", d)
}

func (o *office) usersFail(w http.ResponseWriter, r *http.Request, p *principal, err error) {
	var ue userError
	if !errors.As(err, &ue) && !errors.Is(err, ErrExists) && !errors.Is(err, ErrNotFound) {
		o.s.internal(w, "Users", err)
		return
	}
	key := ue.Key
	status := http.StatusBadRequest
	switch {
	case errors.Is(err, ErrExists):
		key, status = "err_user_exists", http.StatusConflict
	case errors.Is(err, ErrNotFound):
		key, status = "err_not_found", http.StatusNotFound
	}
	if p.API {
		o.fail(w, r, p, status, key)
		return
	}
	d, derr := o.usersData(r.Context())
	if derr != nil {
		o.s.internal(w, "Users", derr)
		return
	}
	d.Error = key
	o.renderStatus(w, r, p, status, "users", d)
}

// handleUserCreate makes a user with a one-time password, shown once.
func (o *office) handleUserCreate(w http.ResponseWriter, r *http.Request, p *principal) {
	f := r.PostForm
	password := NewPassword()
	u, err := NewUser(f.Get("name"), f.Get("display_name"), Role(f.Get("role")), f["commune"], password, o.opts.Password, o.s.now())
	u.MustChange = true
	if err == nil {
		err = o.store.CreateUser(r.Context(), u)
	}
	if err != nil {
		o.usersFail(w, r, p, err)
		return
	}
	if err := o.audit(r.Context(), p, "user.create", "", "", u.Name+" role "+string(u.Role)+" communes "+strings.Join(u.Communes, ",")); err != nil {
		o.s.internal(w, "Audit", err)
		return
	}
	o.showPassword(w, r, p, u.Name, password)
}

func (o *office) showPassword(w http.ResponseWriter, r *http.Request, p *principal, name, password string) {
	d, err := o.usersData(r.Context())
	if err != nil {
		o.s.internal(w, "Users", err)
		return
	}
	d.NewName, d.NewPassword = name, password
	o.render(w, r, p, "users", d)
}

// handleUserUpdate changes a user: op=update (role, scope, name shown),
// deactivate (with a reason; signs them out and revokes their tokens),
// activate, reset (a new one-time password; old sessions end), unlock.
func (o *office) handleUserUpdate(w http.ResponseWriter, r *http.Request, p *principal) {
	ctx := r.Context()
	f := r.PostForm
	id := r.PathValue("uid")
	op := f.Get("op")
	now := o.s.now()
	var password, detail string
	var fn func(u *User) error
	switch op {
	case "update":
		role := Role(f.Get("role"))
		sc, err := cleanCommunes(f["commune"])
		if err != nil {
			o.usersFail(w, r, p, err)
			return
		}
		if !role.Valid() {
			o.usersFail(w, r, p, userError{"err_role_value"})
			return
		}
		if id == p.User.ID && role != RoleAdmin {
			o.usersFail(w, r, p, userError{"err_self"})
			return
		}
		detail = "role " + string(role) + " communes " + strings.Join(sc, ",")
		fn = func(u *User) error {
			u.Role, u.Communes = role, sc
			if d := strings.TrimSpace(f.Get("display_name")); d != "" {
				u.DisplayName = truncate(d, 100)
			}
			return nil
		}
	case "deactivate":
		reason := strings.TrimSpace(f.Get("reason"))
		if reason == "" {
			o.usersFail(w, r, p, userError{"err_reason"})
			return
		}
		if id == p.User.ID {
			o.usersFail(w, r, p, userError{"err_self"})
			return
		}
		detail = "reason " + truncate(reason, 200)
		fn = func(u *User) error { u.Active, u.Deactivation = false, truncate(reason, 200); return nil }
	case "activate":
		fn = func(u *User) error { u.Active, u.Deactivation = true, ""; return nil }
	case "unlock":
		fn = func(u *User) error { u.Failed, u.LockedUntil = 0, time.Time{}; return nil }
	case "reset":
		password = NewPassword()
		hash, err := HashPassword(password, o.opts.Password)
		if err != nil {
			o.s.internal(w, "Hash", err)
			return
		}
		fn = func(u *User) error {
			u.PasswordHash, u.Failed, u.LockedUntil, u.MustChange = hash, 0, time.Time{}, true
			return nil
		}
	default:
		o.usersFail(w, r, p, userError{"err_action"})
		return
	}
	u, err := o.store.UpdateUser(ctx, id, func(u *User) error {
		if err := fn(u); err != nil {
			return err
		}
		u.UpdatedAt = now
		return nil
	})
	if err != nil {
		o.usersFail(w, r, p, err)
		return
	}
	if op == "deactivate" || op == "reset" {
		if _, err := o.store.DeleteSessions(ctx, id); err != nil {
			o.s.internal(w, "End sessions", err)
			return
		}
	}
	if op == "deactivate" {
		toks, err := o.store.Tokens(ctx, id)
		if err != nil {
			o.s.internal(w, "Tokens", err)
			return
		}
		for _, t := range toks {
			if t.RevokedAt.IsZero() {
				if err := o.store.RevokeToken(ctx, t.ID, now); err != nil {
					o.s.internal(w, "Revoke token", err)
					return
				}
			}
		}
	}
	if err := o.audit(ctx, p, "user."+op, "", "", u.Name+" "+detail); err != nil {
		o.s.internal(w, "Audit", err)
		return
	}
	if op == "reset" {
		o.showPassword(w, r, p, u.Name, password)
		return
	}
	u.PasswordHash = ""
	o.done(w, r, p, "/office/users", "ok_saved", u)
}
