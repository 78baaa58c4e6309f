package accord

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// AuditEntry is one line of the audit log: who did what to which record,
// why, and what changed. Entries are only ever appended, and each carries
// the hash of the one before it, so that an entry edited or removed behind
// Accord's back breaks the chain where it happened.
type AuditEntry struct {
	ID       int64     `json:"id"`
	At       time.Time `json:"at"`
	Actor    string    `json:"actor"`
	Action   string    `json:"action"`  // e.g. target.create, target.transition
	Subject  string    `json:"subject"` // e.g. target/12
	Reason   string    `json:"reason"`
	Detail   string    `json:"detail"` // JSON text of what changed
	PrevHash string    `json:"prev_hash"`
	Hash     string    `json:"hash"`
}

// Validate checks what the caller of AppendAudit supplies; the store sets
// the rest.
func (e AuditEntry) Validate() error {
	var p Problems
	for _, f := range []struct{ name, value string }{{"actor", e.Actor}, {"action", e.Action}, {"subject", e.Subject}} {
		if strings.TrimSpace(f.value) == "" {
			p.Add(f.name, "is required")
		}
	}
	if e.Detail != "" && !json.Valid([]byte(e.Detail)) {
		p.Add("detail", "must be JSON text")
	}
	return p.Err("audit entry")
}

// ComputeHash is the hex SHA-256 of the entry's contents and the hash of
// the entry before it. Each field is written as its length in bytes, a
// colon and the bytes, so no two different entries encode alike (a text
// cannot leak from one field into the next). At counts to the second, in
// UTC, as it is stored.
func (e AuditEntry) ComputeHash() string {
	h := sha256.New()
	for _, f := range []string{
		strconv.FormatInt(e.ID, 10),
		e.At.UTC().Truncate(time.Second).Format(time.RFC3339),
		e.Actor, e.Action, e.Subject, e.Reason, e.Detail, e.PrevHash,
	} {
		h.Write([]byte(strconv.Itoa(len(f)) + ":"))
		h.Write([]byte(f))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// AuditFilter selects audit entries. A zero Subject does not filter.
type AuditFilter struct {
	Subject string
	Offset  int
	Limit   int
}

// AuditCheck is what VerifyAudit found: how many entries the log holds and,
// unless OK, the first entry where the chain breaks and why.
type AuditCheck struct {
	Entries  int    `json:"entries"`
	OK       bool   `json:"ok"`
	BrokenAt int64  `json:"broken_at,omitempty"`
	Problem  string `json:"problem,omitempty"`
}

// AuditStore keeps the append-only audit log.
type AuditStore interface {
	// AppendAudit validates e, then stores it as the next entry: it sets
	// ID, At, PrevHash (the last entry's Hash, or "" for the first) and
	// Hash, and returns the entry as stored.
	AppendAudit(ctx context.Context, e AuditEntry) (AuditEntry, error)
	// FindAudit returns the entries f selects, oldest first, with the total.
	FindAudit(ctx context.Context, f AuditFilter) ([]AuditEntry, int, error)
	// VerifyAudit walks the whole log in ID order, recomputing each hash
	// and checking each link, and reports the first problem.
	VerifyAudit(ctx context.Context) (AuditCheck, error)
}
