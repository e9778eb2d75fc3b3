package citybolt

import (
	"context"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"communekiosk/city"
)

var _ city.CatalogueStore = (*Store)(nil)

// bCatalogues holds publication number (NextSequence) → PublishedCatalogue
// without its document, and bCatalogueDocs version → document.
var (
	bCatalogues    = []byte("catalogues")
	bCatalogueDocs = []byte("catalogue_docs")
)

// PublishCatalogue implements city.CatalogueStore.
func (s *Store) PublishCatalogue(ctx context.Context, c city.PublishedCatalogue) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		docs := tx.Bucket(bCatalogueDocs)
		if docs.Get([]byte(c.Version)) != nil {
			return fmt.Errorf("%w: %s", city.ErrCatalogueExists, c.Version)
		}
		if err := docs.Put([]byte(c.Version), c.Document); err != nil {
			return err
		}
		list := tx.Bucket(bCatalogues)
		n, err := list.NextSequence()
		if err != nil {
			return err
		}
		meta := c
		meta.Document = nil
		return putJSON(list, u64(n), meta)
	})
	if err != nil {
		return fmt.Errorf("citybolt: publish catalogue: %w", err)
	}
	return nil
}

// Catalogues implements city.CatalogueStore.
func (s *Store) Catalogues(ctx context.Context) ([]city.PublishedCatalogue, error) {
	out, err := allJSON[city.PublishedCatalogue](s.db, bCatalogues, nil)
	if err != nil {
		return nil, fmt.Errorf("citybolt: catalogues: %w", err)
	}
	return out, nil
}

// Catalogue implements city.CatalogueStore.
func (s *Store) Catalogue(ctx context.Context, version string) (city.PublishedCatalogue, error) {
	var out city.PublishedCatalogue
	err := s.db.View(func(tx *bolt.Tx) error {
		doc := tx.Bucket(bCatalogueDocs).Get([]byte(version))
		if doc == nil {
			return city.ErrNotFound
		}
		found := false
		err := tx.Bucket(bCatalogues).ForEach(func(_, v []byte) error {
			if found {
				return nil
			}
			var c city.PublishedCatalogue
			if err := json.Unmarshal(v, &c); err != nil {
				return err
			}
			if c.Version == version {
				out, found = c, true
			}
			return nil
		})
		out.Document = append([]byte(nil), doc...)
		return err
	})
	if err != nil {
		return city.PublishedCatalogue{}, fmt.Errorf("citybolt: catalogue %s: %w", version, err)
	}
	return out, nil
}
