package city

import (
	"context"

	"io"
	"net/http"
)

// Backuper is implemented by stores that can write a consistent copy of
// themselves while serving (citybolt: bbolt's tx.WriteTo). A SQL store
// leaves backups to the database's own tools and does not implement it.
type Backuper interface {
	Backup(ctx context.Context, w io.Writer) (int64, error)
}

// handleBackup streams a hot backup of the store.
func (s *Server) handleBackup(w http.ResponseWriter, r *http.Request) {
	b, ok := s.store.(Backuper)
	if !ok {
		writeError(w, http.StatusNotImplemented, CodeNotFound, "this store is backed up with its database's own tools")
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", `attachment; filename="city.db"`)
	w.Header().Set("Cache-Control", "no-store")
	n, err := b.Backup(r.Context(), w)
	if err != nil {
		// The status line is gone; the client sees a short body.
		s.log.Error("Backup failed", "bytes", n, "err", err)
		return
	}
	s.log.Info("Backup written", "bytes", n)
}
