package city

import (
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"communekiosk/kiosk"
	"communekiosk/sync/syncproto"
)

// fleetRow is one kiosk on the fleet page.
type fleetRow struct {
	KioskHealth
	Level      Level
	Trend      sparkline
	LastSeen   time.Time
	Skew       string
	FreeDisk   string
	Unsent     string
	Alarms     []string
	LastError  string // the kiosk's last failed sync, in the page's words ("" none)
	ErrorAgo   string
	Catalogue  string
	AppVersion string
}

// sparkline is a kiosk's queue depth over 30 days, one point per hour it
// was heard.
type sparkline struct {
	Width, Height int
	Points        string // "x,y x,y …"
	Max, Samples  int
	// LastX, LastY mark the newest sample (a single one draws no line).
	LastX, LastY string
}

type fleetView struct {
	Rows     []fleetRow
	Communes []kiosk.Unit
	CityURL  string
	// After an enrolment: the code, as text and as a QR.
	Enrol *enrolView
	Error string
}

type enrolView struct {
	Code, Commune, Payload string
	QR                     template.URL
	Expires                time.Time
	// For an offline provisioning: the file to download.
	FileName string
	FileURL  template.URL
	KioskID  string
}

func (o *office) fleetView(r *http.Request, p *principal) (fleetView, error) {
	ctx := r.Context()
	fleet, err := o.s.Fleet(ctx)
	if err != nil {
		return fleetView{}, err
	}
	v := fleetView{Rows: []fleetRow{}, CityURL: requestOrigin(r)}
	v.Communes = kiosk.Communes("01")
	hs, _ := o.s.store.(HeartbeatHistoryStore)
	since := o.s.now().Add(-HeartbeatKeep)
	for _, h := range fleet {
		row := fleetRow{KioskHealth: h, Level: h.Level, LastSeen: h.LastSeen, AppVersion: h.Kiosk.AppVersion}
		if hb := h.Kiosk.LastHeartbeat; hb != nil {
			row.Skew = (time.Duration(hb.ClockSkewSecs) * time.Second).String()
			row.Unsent = (time.Duration(hb.OldestUnsentSecs) * time.Second).String()
			row.FreeDisk = bytesText(hb.FreeDiskBytes, hb.DiskBytes)
			row.Alarms, row.Catalogue = hb.Alarms, hb.CatalogueVersion
			if hb.LastError != "" {
				row.LastError = hb.LastError
				row.ErrorAgo = (time.Duration(hb.LastErrorSecs) * time.Second).String()
			}
		}
		if hs != nil {
			samples, err := hs.HeartbeatHistory(ctx, h.Kiosk.ID, since)
			if err != nil {
				return fleetView{}, err
			}
			row.Trend = queueSparkline(samples, since, o.s.now())
		}
		v.Rows = append(v.Rows, row)
	}
	return v, nil
}

func queueSparkline(samples []HeartbeatSample, from, to time.Time) sparkline {
	sp := sparkline{Width: 180, Height: 32, Samples: len(samples), Max: 1}
	for _, s := range samples {
		sp.Max = max(sp.Max, s.Heartbeat.QueueDepth)
	}
	span := to.Sub(from).Seconds()
	var pts []string
	for _, s := range samples {
		x := float64(sp.Width) * s.Hour.Sub(from).Seconds() / span
		y := float64(sp.Height-2) - float64(sp.Height-4)*float64(s.Heartbeat.QueueDepth)/float64(sp.Max)
		pts = append(pts, fmt.Sprintf("%.1f,%.1f", x, y))
		sp.LastX, sp.LastY = fmt.Sprintf("%.1f", x), fmt.Sprintf("%.1f", y)
	}
	sp.Points = strings.Join(pts, " ")
	return sp
}

func bytesText(free, size uint64) string {
	gib := float64(free) / (1 << 30)
	if size > 0 {
		return fmt.Sprintf("%.1f GiB (%.0f %%)", gib, 100*float64(free)/float64(size))
	}
	if free == 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f GiB", gib)
}

// requestOrigin is the address the browser reached the city at, the
// default city address an enrolment code goes with.
func requestOrigin(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// handleFleet is the fleet page: every kiosk of the city,
// worst first, with its signals, its alerts in words and a 30-day trend.
func (o *office) handleFleet(w http.ResponseWriter, r *http.Request, p *principal) {
	v, err := o.fleetView(r, p)
	if err != nil {
		o.s.internal(w, "Fleet", err)
		return
	}
	if p.API {
		writeJSON(w, http.StatusOK, v.Rows)
		return
	}
	o.render(w, r, p, "fleet", v)
}

// fleetCommune reads the form's commune, one of the city's. Admins are the
// city's system administrators (research §3.6): the fleet is city-wide
// for them, whatever communes their account lists.
func (o *office) fleetCommune(w http.ResponseWriter, r *http.Request, p *principal) (kiosk.Unit, bool) {
	u, ok := communeUnit(r.PostForm.Get("commune"))
	if !ok || !kiosk.IsHanoiCommune(u.Code) {
		o.fail(w, r, p, http.StatusBadRequest, "err_commune")
		return kiosk.Unit{}, false
	}
	return u, true
}

// handleFleetEnrol makes a one-time enrolment code for a commune and shows
// it as text and as a QR code for the kiosk's scanner (audited).
func (o *office) handleFleetEnrol(w http.ResponseWriter, r *http.Request, p *principal) {
	u, ok := o.fleetCommune(w, r, p)
	if !ok {
		return
	}
	cityURL := strings.TrimSpace(r.PostForm.Get("city_url"))
	if cityURL == "" {
		cityURL = requestOrigin(r)
	}
	code, err := o.s.CreateEnrolCode(r.Context(), u.Code, u.Name)
	if err != nil {
		o.s.internal(w, "Enrol code", err)
		return
	}
	if err := o.audit(r.Context(), p, "kiosk.enrol_code", "", u.Code, "expires "+code.ExpiresAt.Format(time.RFC3339)); err != nil {
		o.s.internal(w, "Audit", err)
		return
	}
	if p.API {
		writeJSON(w, http.StatusOK, code)
		return
	}
	v, err := o.fleetView(r, p)
	if err != nil {
		o.s.internal(w, "Fleet", err)
		return
	}
	v.Enrol = &enrolView{Code: code.Code, Commune: u.Name, Expires: code.ExpiresAt}
	// The QR text the kiosk's staff screen reads (syncproto.FormatEnrolQR):
	// the code and the city's address, so staff type nothing.
	if payload, err := syncproto.FormatEnrolQR(code.Code, cityURL); err == nil {
		v.Enrol.Payload, v.Enrol.QR = payload, qrDataURI(payload)
	} else {
		v.Error = "err_city_url"
	}
	o.render(w, r, p, "fleet", v)
}

// handleFleetProvision registers a kiosk without a network and offers its
// provisioning file, with the one-time code to type shown apart (audited).
func (o *office) handleFleetProvision(w http.ResponseWriter, r *http.Request, p *principal) {
	u, ok := o.fleetCommune(w, r, p)
	if !ok {
		return
	}
	prov, err := o.s.Provision(r.Context(), u.Code, u.Name, strings.TrimSpace(r.PostForm.Get("city_url")))
	if err != nil {
		o.s.internal(w, "Provision", err)
		return
	}
	if err := o.audit(r.Context(), p, "kiosk.provision", "", u.Code, "kiosk "+prov.Kiosk.ID); err != nil {
		o.s.internal(w, "Audit", err)
		return
	}
	name := "provision-" + prov.Kiosk.ID + ".json"
	if p.API {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
		w.Header().Set(HeaderProvisioningCode, prov.Code)
		w.Write(prov.File)
		return
	}
	v, err := o.fleetView(r, p)
	if err != nil {
		o.s.internal(w, "Fleet", err)
		return
	}
	v.Enrol = &enrolView{Code: prov.Code, Commune: u.Name, KioskID: prov.Kiosk.ID, FileName: name,
		FileURL: template.URL("data:application/json;base64," + base64.StdEncoding.EncodeToString(prov.File))}
	o.render(w, r, p, "fleet", v)
}

// fleetKiosk is the path's kiosk.
func (o *office) fleetKiosk(w http.ResponseWriter, r *http.Request, p *principal) (Kiosk, bool) {
	k, err := o.s.store.Kiosk(r.Context(), r.PathValue("kid"))
	if errors.Is(err, ErrNotFound) {
		o.fail(w, r, p, http.StatusNotFound, "err_no_kiosk")
		return Kiosk{}, false
	}
	if err != nil {
		o.s.internal(w, "Kiosk", err)
		return Kiosk{}, false
	}
	return k, true
}

// handleFleetRevoke revokes a kiosk (audited): its later calls are refused.
func (o *office) handleFleetRevoke(w http.ResponseWriter, r *http.Request, p *principal) {
	k, ok := o.fleetKiosk(w, r, p)
	if !ok {
		return
	}
	if err := o.audit(r.Context(), p, "kiosk.revoke", "", k.Commune, "kiosk "+k.ID); err != nil {
		o.s.internal(w, "Audit", err)
		return
	}
	if err := o.s.store.Revoke(r.Context(), k.ID, o.s.now()); err != nil {
		o.s.internal(w, "Revoke", err)
		return
	}
	o.s.log.Warn("Kiosk revoked", "kiosk_id", k.ID, "by", p.User.Name)
	o.done(w, r, p, "/office/fleet", "ok_revoked", map[string]any{"id": k.ID, "revoked": true})
}

// handleFleetResetClock forgets a kiosk's replay state (audited), for a
// kiosk whose clock jumped ahead and was set right.
func (o *office) handleFleetResetClock(w http.ResponseWriter, r *http.Request, p *principal) {
	k, ok := o.fleetKiosk(w, r, p)
	if !ok {
		return
	}
	if err := o.audit(r.Context(), p, "kiosk.reset_clock", "", k.Commune, "kiosk "+k.ID); err != nil {
		o.s.internal(w, "Audit", err)
		return
	}
	if err := o.s.store.ResetReplay(r.Context(), k.ID); err != nil {
		o.s.internal(w, "Reset clock", err)
		return
	}
	o.done(w, r, p, "/office/fleet", "ok_clock_reset", map[string]any{"id": k.ID, "clock_reset": true})
}
