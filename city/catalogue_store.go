package city

import (
	"context"
	"errors"
	"time"
)

// ErrCatalogueExists: a catalogue of that version was published before.
var ErrCatalogueExists = errors.New("city: catalogue version already published")

// PublishedCatalogue is one version of the service catalogue as the city
// published it. Published versions are never changed or deleted: a request
// made with one is checked with it, however late it arrives.
type PublishedCatalogue struct {
	Version       string    `json:"version"`
	NoticeVersion string    `json:"notice_version"`
	SHA256        string    `json:"sha256"` // hex sha256 of Document
	PublishedAt   time.Time `json:"published_at"`
	PublishedBy   string    `json:"published_by,omitempty"`
	Document      []byte    `json:"document,omitempty"` // the JSON kiosk.ParseCatalogue reads
}

// CatalogueStore keeps the catalogue's history. Like HeartbeatHistoryStore
// it is implemented by choice until every store does; without it the city
// serves the catalogue it was started with.
type CatalogueStore interface {
	// PublishCatalogue stores a new version; ErrCatalogueExists when the
	// version is taken. The server checks the document first.
	PublishCatalogue(ctx context.Context, c PublishedCatalogue) error
	// Catalogues lists every published version in publication order,
	// without their documents.
	Catalogues(ctx context.Context) ([]PublishedCatalogue, error)
	// Catalogue returns one version with its document; ErrNotFound.
	Catalogue(ctx context.Context, version string) (PublishedCatalogue, error)
}
