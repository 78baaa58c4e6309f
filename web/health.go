package web

import (
	"context"
	"net/http"
	"time"

	"github.com/nhs-accord/accord"
)

// readyTimeout bounds the readiness checks, so a hung database makes the
// probe fail rather than hang.
const readyTimeout = 3 * time.Second

// healthz says the process is running; it touches nothing else, so an
// orchestrator does not restart a server whose database is merely down.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeBody(w, http.StatusOK, "text/plain; charset=utf-8", []byte("ok\n"))
}

// readiness is the body of /readyz.
type readiness struct {
	Status string `json:"status"`           // "ready" or "unavailable"
	Check  string `json:"check,omitempty"`  // which check failed: "schema" or "database"
	Reason string `json:"reason,omitempty"` // why, in words safe to show
}

// readyz says whether this server can answer requests: the schema is the
// one this binary expects (cfg.Ready) and the database answers.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()
	checks := []struct {
		name string
		run  func(context.Context) error
	}{
		{"schema", s.ready},
		{"database", s.store.Ping},
	}
	for _, c := range checks {
		if c.run == nil {
			continue
		}
		if err := c.run(ctx); err != nil {
			s.log.Warn("not ready", "check", c.name, "error", err)
			reason := accord.ErrorMessage(err)
			if accord.ErrorCode(err) == accord.EINTERNAL {
				// The detail (a connection string, say) stays in the log.
				reason = "the " + c.name + " check failed; see the server log"
				if ctx.Err() != nil {
					reason = "the " + c.name + " check did not answer within " + readyTimeout.String()
				}
			}
			body, _ := marshalJSON(readiness{Status: "unavailable", Check: c.name, Reason: reason})
			w.Header().Set("Cache-Control", "no-store")
			writeBody(w, http.StatusServiceUnavailable, "application/json; charset=utf-8", body)
			return
		}
	}
	body, _ := marshalJSON(readiness{Status: "ready"})
	w.Header().Set("Cache-Control", "no-store")
	writeBody(w, http.StatusOK, "application/json; charset=utf-8", body)
}
