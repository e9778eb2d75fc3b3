package city

import (
	"bytes"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"communekiosk/kiosk"
	"communekiosk/sync/syncproto"
)

//go:embed office_templates/*.html office_templates/office.css
var officeFS embed.FS

// views are the parsed page templates, by name; each is the layout (or the
// print layout) with the page's own "content".
type views map[string]*template.Template

var printViews = map[string]bool{"slip": true, "batch": true, "register_print": true}

func parseViews() (views, error) {
	names, err := officeFS.ReadDir("office_templates")
	if err != nil {
		return nil, err
	}
	v := views{}
	for _, e := range names {
		name, ok := strings.CutSuffix(e.Name(), ".html")
		if !ok || name == "layout" || name == "print" {
			continue
		}
		layout := "office_templates/layout.html"
		if printViews[name] {
			layout = "office_templates/print.html"
		}
		t, err := template.New(name).Funcs(viewFuncs).ParseFS(officeFS, layout, "office_templates/"+e.Name())
		if err != nil {
			return nil, fmt.Errorf("city: template %s: %w", name, err)
		}
		v[name] = t
	}
	return v, nil
}

// pageView is what every template gets.
type pageView struct {
	P    *principal
	L    string // vi, en
	CSRF string
	Path string // the request's path and query, for the language switch
	Page string
	Msg  string // a message key from the redirect (?msg=)
	Data any
}

func (o *office) renderStatus(w http.ResponseWriter, r *http.Request, p *principal, status int, name string, data any) {
	if p.API {
		writeJSON(w, status, data)
		return
	}
	v := pageView{P: p, L: p.Lang, Path: r.URL.RequestURI(), Page: name, Data: data, Msg: r.URL.Query().Get("msg")}
	if r.Method != http.MethodGet {
		// The language switch is a GET: after a form, it goes back to
		// the page the form was on.
		v.Path = "/office/queue"
		if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host && strings.HasPrefix(ref.Path, "/office/") {
			v.Path = ref.RequestURI()
		}
	}
	if p.Session != nil {
		v.CSRF = p.Session.CSRF
	}
	t := o.views[name]
	if t == nil {
		o.s.internal(w, "Render", fmt.Errorf("no view %q", name))
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		o.s.internal(w, "Render "+name, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Referrer-Policy", "same-origin")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func (o *office) render(w http.ResponseWriter, r *http.Request, p *principal, name string, data any) {
	o.renderStatus(w, r, p, http.StatusOK, name, data)
}

// fail answers an error: a page with the message, or the JSON envelope.
func (o *office) fail(w http.ResponseWriter, r *http.Request, p *principal, status int, key string) {
	if p.API {
		code := map[int]string{400: CodeBadRequest, 401: CodeUnauthorized, 403: CodeForbidden, 404: CodeNotFound, 409: CodeBadTransition, 429: CodeRateLimited}[status]
		if code == "" {
			code = CodeInternal
		}
		writeError(w, status, code, tr("en", key))
		return
	}
	o.renderStatus(w, r, p, status, "error", struct {
		Key    string `json:"key"`
		Status int    `json:"status"`
	}{key, status})
}

// done ends an action: the API gets v as JSON, a browser is sent to back
// with a message.
func (o *office) done(w http.ResponseWriter, r *http.Request, p *principal, back, msg string, v any) {
	if p.API {
		writeJSON(w, http.StatusOK, v)
		return
	}
	if msg != "" {
		sep := "?"
		if strings.Contains(back, "?") {
			sep = "&"
		}
		back += sep + "msg=" + msg
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

func (o *office) handleCSS(w http.ResponseWriter, r *http.Request) {
	data, _ := officeFS.ReadFile("office_templates/office.css")
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write(data)
}

func retryAfter(d time.Duration) string { return strconv.Itoa(int(math.Ceil(d.Seconds()))) }

func localClock(t time.Time) string { return t.In(vnZone).Format("15:04 02/01/2006") }

var defaultCat = func() *kiosk.Catalogue {
	c, err := kiosk.DefaultCatalogue()
	if err != nil {
		panic(err)
	}
	return c
}()

// qrDataURI is a PNG QR code of s as a data: URI (nothing is fetched).
func qrDataURI(s string) template.URL {
	png, err := qrcode.Encode(s, qrcode.Medium, 192)
	if err != nil {
		return ""
	}
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
}

func communeName(code string) string {
	if u, ok := kiosk.UnitByCode(code); ok {
		return u.Name
	}
	return code
}

var viewFuncs = template.FuncMap{
	"t":  tr,
	"tf": func(l, key string, args ...any) string { return fmt.Sprintf(tr(l, key), args...) },
	"time": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return localClock(t)
	},
	"date": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.In(vnZone).Format("02/01/2006")
	},
	"status":   func(l string, s syncproto.Status) string { return tr(l, "st_"+string(s)) },
	"national": NationalCode,
	"flag": func(l, f string) string {
		if f == "" {
			return ""
		}
		return tr(l, "flag_"+f)
	},
	"commune": communeName,
	"service": func(l, id string) string {
		if s, ok := defaultCat.Service(id); ok {
			if l == "en" {
				return s.Name.EN
			}
			return s.Name.VI
		}
		return id
	},
	"procedure": func(id string) string {
		if s, ok := defaultCat.Service(id); ok {
			return s.Procedure
		}
		return ""
	},
	"list_services": func() []string {
		var ids []string
		for _, s := range defaultCat.Services {
			ids = append(ids, s.ID)
		}
		return ids
	},
	"roles": func() []Role { return []Role{RoleOfficer, RoleViewer, RoleAdmin} },
	"action": func(l, a string) string {
		if _, ok := officeText["a_"+a]; ok {
			return tr(l, "a_"+a)
		}
		return a
	},
	"role":  func(l string, r Role) string { return tr(l, "role_"+string(r)) },
	"qr":    qrDataURI,
	"add":   func(a, b int) int { return a + b },
	"join":  strings.Join,
	"other": func(l string) string { return map[string]string{"vi": "en", "en": "vi"}[l] },
	"has": func(list []string, s string) bool {
		for _, x := range list {
			if x == s {
				return true
			}
		}
		return false
	},
	"deliv": func(l, d string) string {
		if d == "" {
			return "—"
		}
		return tr(l, "deliv_"+d)
	},
}
