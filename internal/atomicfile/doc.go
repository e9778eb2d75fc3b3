// Package atomicfile replaces files so that a crash leaves either the old
// content or the new, never a mix: write to a temporary file in the same
// folder, fsync it, rename it over the target, fsync the folder. Standard
// library only; imported by the city (keys), the syncer (USB files) and
// cityd (backups, USB files, tokens).
package atomicfile
