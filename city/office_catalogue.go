package city

import (
	"errors"
	"net/http"
	"strings"
)

type catalogueView struct {
	Current, NoticeVersion string
	History                []PublishedCatalogue
	Published              string // the version just published
	Error                  string
	Detail                 string // what the kiosk's checks said
}

func (o *office) catalogueView(r *http.Request) (catalogueView, error) {
	cur, _, err := o.s.currentCatalogue(r.Context())
	if err != nil {
		return catalogueView{}, err
	}
	hist, err := o.s.CatalogueHistory(r.Context())
	if err != nil {
		return catalogueView{}, err
	}
	return catalogueView{Current: cur.Version, NoticeVersion: cur.NoticeVersion, History: hist}, nil
}

// handleCatalogue shows the catalogue in force and its history.
func (o *office) handleCatalogue(w http.ResponseWriter, r *http.Request, p *principal) {
	v, err := o.catalogueView(r)
	if err != nil {
		o.s.internal(w, "Catalogue", err)
		return
	}
	o.render(w, r, p, "catalogue", v)
}

// handleCataloguePublish publishes the pasted catalogue document after the
// kiosk's own checks (audited); kiosks take it on their next sync.
func (o *office) handleCataloguePublish(w http.ResponseWriter, r *http.Request, p *principal) {
	doc := strings.TrimSpace(r.PostForm.Get("document"))
	pc, err := o.s.PublishCatalogue(r.Context(), []byte(doc), p.User.Name)
	v, verr := o.catalogueView(r)
	if verr != nil {
		o.s.internal(w, "Catalogue", verr)
		return
	}
	status := http.StatusOK
	switch {
	case errors.Is(err, ErrCatalogueInvalid):
		status, v.Error, v.Detail = http.StatusBadRequest, "err_catalogue_invalid", err.Error()
	case errors.Is(err, ErrCatalogueNotNewer), errors.Is(err, ErrCatalogueExists):
		status, v.Error, v.Detail = http.StatusConflict, "err_catalogue_not_newer", err.Error()
	case err != nil:
		o.s.internal(w, "Publish catalogue", err)
		return
	default:
		if err := o.audit(r.Context(), p, "catalogue.publish", "", "", pc.Version+" sha256 "+pc.SHA256); err != nil {
			o.s.internal(w, "Audit", err)
			return
		}
		v.Published = pc.Version
	}
	if p.API {
		if v.Error != "" {
			writeError(w, status, CodeBadRequest, v.Detail)
			return
		}
		writeJSON(w, http.StatusOK, pc)
		return
	}
	o.renderStatus(w, r, p, status, "catalogue", v)
}
