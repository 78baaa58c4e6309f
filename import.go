package accord

import (
	"context"
	"time"
)

// ImportStatus says whether an import's observations are live.
type ImportStatus string

const (
	ImportApplied    ImportStatus = "applied"     // its observations are live (some may since have been revised)
	ImportRolledBack ImportStatus = "rolled_back" // undone: its observations removed, those it replaced restored
)

// SkipCount counts rows an import left out on purpose, with one example,
// so nothing is dropped silently (an independent-sector provider, a Welsh
// organisation, a commissioning hub).
type SkipCount struct {
	Reason  string `json:"reason"`
	Count   int    `json:"count"`
	Example string `json:"example"`
}

// Import is one file brought into Accord: where it came from, who brought
// it, and what it changed. Every observation knows its import.
type Import struct {
	ID         int64     `json:"id"`
	Format     string    `json:"format"`    // rtt, ae, cwt, fingertips, long, iod
	FileName   string    `json:"file_name"` // as given, without directories
	SHA256     string    `json:"sha256"`    // of the file's bytes as given (compressed or not)
	Publisher  string    `json:"publisher"` // e.g. "NHS England"
	Dataset    string    `json:"dataset"`   // the publication series; a later file of the same dataset revises it
	ImportedBy string    `json:"imported_by"`
	ImportedAt time.Time `json:"imported_at"`
	// PublishedOn is the day the publisher released the file, as the
	// importer was told it; zero (null) when unknown. Public pages date
	// figures by it, since when they were imported says nothing of their age.
	PublishedOn Date         `json:"published_on"`
	Status      ImportStatus `json:"status"`
	RowsRead    int          `json:"rows_read"`
	Added       int          `json:"observations_added"`    // observations written
	Replaced    int          `json:"observations_replaced"` // earlier values of the same dataset moved to revisions
	Skipped     []SkipCount  `json:"skipped"`
	First       Period       `json:"first_period"`
	Last        Period       `json:"last_period"`
}

// Revision is an earlier value of an observation, replaced when a revised
// publication of the same dataset was imported.
type Revision struct {
	Observation
	ReplacedBy int64     `json:"replaced_by_import"`
	ReplacedAt time.Time `json:"replaced_at"`
}

// ImportFilter selects imports. Zero fields do not filter.
type ImportFilter struct {
	Format string
	Status ImportStatus
	Offset int
	Limit  int
}

// ImportWriter writes one import's observations inside one transaction,
// so a file is stored whole or not at all, whatever stops it part way.
type ImportWriter interface {
	// Add checks one observation at once (its indicator exists and its rules
	// hold, its organisation exists) and queues it; ref says where it came
	// from (FILE:LINE) for messages. It returns an EINVALID error for that
	// observation alone: the caller collects these and carries on.
	//
	// An observation replaces any stored observation of the same dataset for
	// the same indicator and period (a revised publication); the replaced
	// values are kept as revisions. A key already held by another dataset,
	// or repeated within this import, is a conflict reported by Finish.
	Add(ctx context.Context, o Observation, ref string) error
	// AddIndicator adds an indicator to the catalogue within the import's
	// transaction, for publications that carry their own metadata
	// (Fingertips); an indicator already in the catalogue is left as it is.
	AddIndicator(ctx context.Context, ind Indicator) error
	// Finish writes what is queued and records the import's counts. With
	// commit false (a dry run), or when any problem was found, it rolls the
	// transaction back instead; the returned Import says what was, or
	// would have been, written. Problems found while writing come back as
	// an EINVALID or ECONFLICT error listing up to 20 with their refs.
	Finish(ctx context.Context, rowsRead int, skipped []SkipCount, commit bool) (Import, error)
	// Abort rolls back. It is safe after Finish.
	Abort() error
}

// ImportStore records imports and their history.
type ImportStore interface {
	// BeginImport opens the transaction for a new import. imp's Format,
	// FileName, SHA256, Publisher, Dataset and ImportedBy are required;
	// PublishedOn is kept if given.
	BeginImport(ctx context.Context, imp Import) (ImportWriter, error)
	FindImports(ctx context.Context, f ImportFilter) ([]Import, int, error)
	FindImport(ctx context.Context, id int64) (Import, error)
	// FindImportByHash finds the applied import of a file with this content
	// hash, or ENOTFOUND.
	FindImportByHash(ctx context.Context, sha256 string) (Import, error)
	// RollbackImport removes the import's observations and restores the
	// values it replaced. It refuses (ECONFLICT) while a later applied import
	// has replaced any of its observations: roll that back first.
	RollbackImport(ctx context.Context, id int64) (Import, error)
	// FindRevisions lists earlier values of the selected observations, newest
	// replacement first.
	FindRevisions(ctx context.Context, f ObservationFilter) ([]Revision, int, error)
}
