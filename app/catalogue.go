package app

import (
	"fmt"

	"communekiosk/kiosk"
	"communekiosk/sync/syncproto"
)

const settingCatalogue = "catalogue_document"

// loadCatalogue returns the catalogue the city last sent, when it is
// stored and valid, or the embedded one.
func (n *Node) loadCatalogue(embedded *kiosk.Catalogue) *kiosk.Catalogue {
	doc, err := n.db.Setting(settingCatalogue)
	if err != nil || doc == "" {
		return embedded
	}
	c, err := kiosk.ParseCatalogue([]byte(doc))
	if err != nil {
		n.log.Warn("Stored catalogue is invalid; using the built-in one", "err", err)
		return embedded
	}
	if kiosk.CompareVersions(c.Version, embedded.Version) <= 0 {
		return embedded // this build carries a newer one
	}
	return c
}

// adoptCatalogue checks and stores a catalogue the city sent, then uses it
// for new requests.
func (n *Node) adoptCatalogue(u syncproto.CatalogueUpdate) error {
	c, err := kiosk.ParseCatalogue(u.Document)
	if err != nil {
		return fmt.Errorf("app: catalogue %s from the city: %w", u.Version, err)
	}
	if cur := n.catalogue(); kiosk.CompareVersions(c.Version, cur.Version) <= 0 {
		n.log.Info("Catalogue from the city is not newer; kept ours", "theirs", c.Version, "ours", cur.Version)
		return nil
	}
	if err := n.db.SetSetting(settingCatalogue, string(u.Document)); err != nil {
		return fmt.Errorf("app: store catalogue: %w", err)
	}
	n.mu.Lock()
	n.cat = c
	n.mu.Unlock()
	n.log.Info("Catalogue updated by the city", "version", c.Version)
	return nil
}
