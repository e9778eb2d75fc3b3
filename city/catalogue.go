package city

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"

	"communekiosk/kiosk"
)

// Errors of PublishCatalogue.
var (
	ErrCatalogueInvalid  = errors.New("city: catalogue refused by the kiosk's checks")
	ErrCatalogueNotNewer = errors.New("city: catalogue version is not newer than the one in force")
)

// catalogues caches parsed catalogue versions: a published version never
// changes, so each is parsed once.
type catalogues struct {
	mu     sync.Mutex
	parsed map[string]parsedCatalogue
}

type parsedCatalogue struct {
	cat *kiosk.Catalogue
	doc []byte
}

// currentCatalogue is the catalogue in force: the newest published one,
// or the one the server was started with when that is newer (or nothing
// was published). doc is nil when the server has no document to send.
func (s *Server) currentCatalogue(ctx context.Context) (cat *kiosk.Catalogue, doc []byte, err error) {
	cat, doc = s.cat, s.opts.CatalogueDocument
	cs, ok := s.store.(CatalogueStore)
	if !ok {
		return cat, doc, nil
	}
	list, err := cs.Catalogues(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("city: catalogues: %w", err)
	}
	newest := ""
	for _, c := range list {
		if newest == "" || kiosk.CompareVersions(c.Version, newest) > 0 {
			newest = c.Version
		}
	}
	if newest == "" || kiosk.CompareVersions(newest, cat.Version) <= 0 {
		return cat, doc, nil
	}
	return s.publishedCatalogue(ctx, cs, newest)
}

// catalogueVersion returns the catalogue of a version the city knows: the
// one it was started with, or a published one. ok is false for a version
// the city never had.
func (s *Server) catalogueVersion(ctx context.Context, version string) (cat *kiosk.Catalogue, ok bool, err error) {
	if version == s.cat.Version {
		return s.cat, true, nil
	}
	cs, isStore := s.store.(CatalogueStore)
	if !isStore {
		return nil, false, nil
	}
	cat, _, err = s.publishedCatalogue(ctx, cs, version)
	if errors.Is(err, ErrNotFound) {
		return nil, false, nil
	}
	return cat, err == nil, err
}

func (s *Server) publishedCatalogue(ctx context.Context, cs CatalogueStore, version string) (*kiosk.Catalogue, []byte, error) {
	// A published version never changes: once parsed, the store need not
	// be asked again (a push checks every item against its version).
	s.cats.mu.Lock()
	p, ok := s.cats.parsed[version]
	s.cats.mu.Unlock()
	if ok {
		return p.cat, p.doc, nil
	}
	pc, err := cs.Catalogue(ctx, version)
	if err != nil {
		return nil, nil, err
	}
	c, err := kiosk.ParseCatalogue(pc.Document)
	if err != nil {
		// It passed the same checks when it was published: the store is
		// damaged or this build checks more.
		return nil, nil, fmt.Errorf("city: published catalogue %s: %w", version, err)
	}
	s.cats.mu.Lock()
	defer s.cats.mu.Unlock()
	if p, ok := s.cats.parsed[version]; ok {
		return p.cat, p.doc, nil
	}
	if s.cats.parsed == nil {
		s.cats.parsed = map[string]parsedCatalogue{}
	}
	s.cats.parsed[version] = parsedCatalogue{cat: c, doc: pc.Document}
	return c, pc.Document, nil
}

// PublishCatalogue checks a catalogue document with the kiosk's own checks
// (kiosk.ParseCatalogue), requires a version newer than the one in force,
// and stores it; kiosks get it on their next pull. by names who published
// it (for the history).
func (s *Server) PublishCatalogue(ctx context.Context, doc []byte, by string) (PublishedCatalogue, error) {
	cs, ok := s.store.(CatalogueStore)
	if !ok {
		return PublishedCatalogue{}, errors.New("city: this store keeps no catalogue history")
	}
	c, err := kiosk.ParseCatalogue(doc)
	if err != nil {
		return PublishedCatalogue{}, fmt.Errorf("%w: %w", ErrCatalogueInvalid, err)
	}
	cur, _, err := s.currentCatalogue(ctx)
	if err != nil {
		return PublishedCatalogue{}, err
	}
	if kiosk.CompareVersions(c.Version, cur.Version) <= 0 {
		return PublishedCatalogue{}, fmt.Errorf("%w: %s is not after %s", ErrCatalogueNotNewer, c.Version, cur.Version)
	}
	sum := sha256.Sum256(doc)
	pc := PublishedCatalogue{Version: c.Version, NoticeVersion: c.NoticeVersion, SHA256: hex.EncodeToString(sum[:]),
		PublishedAt: s.now().UTC(), PublishedBy: by, Document: doc}
	if err := cs.PublishCatalogue(ctx, pc); err != nil {
		return PublishedCatalogue{}, fmt.Errorf("city: publish catalogue %s: %w", c.Version, err)
	}
	s.log.Info("Catalogue published", "version", pc.Version, "notice_version", pc.NoticeVersion, "by", by, "sha256", pc.SHA256)
	pc.Document = nil
	return pc, nil
}

// CatalogueHistory lists the published versions, in publication order.
func (s *Server) CatalogueHistory(ctx context.Context) ([]PublishedCatalogue, error) {
	cs, ok := s.store.(CatalogueStore)
	if !ok {
		return []PublishedCatalogue{}, nil
	}
	return cs.Catalogues(ctx)
}
