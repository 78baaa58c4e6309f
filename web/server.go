// Package web serves Accord's pages and its versioned JSON API.
//
// Routes are listed once per surface (probes, static files, API, pages) in
// routes. Every API handler returns its error to one writer (writeAPIError)
// and every page handler to another (writePageError); both map accord error
// codes to HTTP statuses through the one table in error.go.
package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/nhs-accord/accord"
	"github.com/nhs-accord/accord/auth"
	"github.com/nhs-accord/accord/mapsvg"
)

// Config is everything the web layer needs; cmd/accord fills it.
type Config struct {
	Store   accord.Store
	Logger  *slog.Logger                    // nil: slog.Default()
	Map     mapsvg.Map                      // ICB boundaries, already projected; shapes keyed by ICB ONS code (E54…)
	Ready   func(ctx context.Context) error // schema/DB readiness for /readyz; nil: only Store.Ping is checked
	Version string

	// SecureCookies marks cookies Secure and gives them the __Host- prefix;
	// set it whenever the site is served over HTTPS.
	SecureCookies bool
	// OIDC offers sign-in through an OpenID Connect provider; zero: off.
	OIDC auth.OIDCConfig
}

// Server answers HTTP requests for one Store. It keeps no state of its own
// beyond what it prepares at start (templates, static file hashes), so any
// number of servers can share a database.
type Server struct {
	store   accord.Store
	log     *slog.Logger
	mapICB  mapsvg.Map
	ready   func(ctx context.Context) error
	version string
	now     func() time.Time // today's date for "deadline not yet passed", and the sessions' clock; tests fix it

	secureCookies bool
	oidc          *auth.OIDC // nil: password sign-in only
	crossOrigin   *http.CrossOriginProtection

	static *staticFiles
	pages  *pageTemplates
	mux    *http.ServeMux
}

// New prepares a Server: it hashes the static files and parses every
// template, so a broken template or missing asset stops the binary at
// start rather than failing a user's request.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, errors.New("web: Config.Store is required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	static, err := loadStatic(staticFS)
	if err != nil {
		return nil, err
	}
	if !static.has(vendorCSS) {
		return nil, errors.New("web: NHS.UK frontend assets are missing: run `make assets` (npm ci)")
	}
	pages, err := parsePages(templateFS, static)
	if err != nil {
		return nil, err
	}
	var rp *auth.OIDC
	if cfg.OIDC.Enabled() {
		if rp, err = auth.NewOIDC(cfg.OIDC, nil); err != nil {
			return nil, err
		}
	}
	s := &Server{
		store:   cfg.Store,
		log:     cfg.Logger,
		mapICB:  cfg.Map,
		ready:   cfg.Ready,
		version: cfg.Version,
		now:     time.Now,
		static:  static,
		pages:   pages,
		mux:     http.NewServeMux(),

		secureCookies: cfg.SecureCookies,
		oidc:          rp,
		crossOrigin:   http.NewCrossOriginProtection(),
	}
	s.routes()
	return s, nil
}

// route pairs a ServeMux pattern with a handler that returns its error.
type route struct {
	pattern string
	handle  func(w http.ResponseWriter, r *http.Request) error
}

func (s *Server) routes() {
	// Probes and static files answer for themselves.
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /readyz", s.readyz)
	s.mux.HandleFunc("GET /static/{hash}/{path...}", s.static.serve)

	api := []route{
		{"GET /api/v1/organisations", s.apiOrganisations},
		{"GET /api/v1/organisations/{code}", s.apiOrganisation},
		{"GET /api/v1/indicators", s.apiIndicators},
		{"GET /api/v1/indicators/{id}", s.apiIndicator},
		{"GET /api/v1/observations", s.apiObservations},
		{"GET /api/v1/revisions", s.apiRevisions},
		{"GET /api/v1/priorities", s.apiPriorities},
		{"GET /api/v1/assessments", s.apiAssessments},
		{"GET /api/v1/imports", s.apiImports},
		{"POST /api/v1/imports", s.apiCreateImport},
		{"GET /api/v1/imports/{id}", s.apiImport},
		{"GET /api/v1/targets", s.apiTargets},
		{"POST /api/v1/targets", s.apiCreateTarget},
		{"GET /api/v1/targets/{id}", s.apiTarget},
		{"POST /api/v1/targets/{id}/transitions", s.apiMoveTarget},
		{"GET /api/v1/peer-reviews", s.apiPeerReviews},
		{"GET /api/v1/peer-reviews/{id}", s.apiPeerReview},
		{"GET /api/v1/practice-notes", s.apiPracticeNotes},
		{"GET /api/v1/practice-notes/{id}", s.apiPracticeNote},
	}
	for _, rt := range api {
		s.mux.Handle(rt.pattern, s.apiHandler(rt.handle))
	}

	pages := []route{
		{"GET /{$}", s.homePage},
		{"GET /icbs/{code}", s.icbPage},
		{"GET /icbs/{code}/partners", s.partnersPage},
		{"GET /area/{code}", s.areaPage},
		{"GET /national", s.nationalPage},
		{"GET /regions/{code}", s.regionPage},
		{"GET /indicators", s.indicatorsPage},
		{"GET /indicators/{id}", s.indicatorPage},
		{"GET /priorities", s.prioritiesPage},
		{"GET /organisations/{code}/indicators/{id}", s.seriesPage},
		{"GET /imports", s.importsPage},
		{"GET /imports/{id}", s.importPage},
		{"GET /targets", s.targetsPage},
		{"POST /targets", s.createTarget},
		{"GET /targets/new", s.newTargetPage},
		{"GET /targets/{id}", s.targetPage},
		{"GET /targets/{id}/edit", s.editTargetPage},
		{"POST /targets/{id}/edit", s.updateTarget},
		{"GET /targets/{id}/trajectory", s.trajectoryPage},
		{"POST /targets/{id}/trajectory", s.setTrajectory},
		{"POST /targets/{id}/transitions", s.moveTarget},
		{"POST /targets/{id}/responses", s.respond},
		{"POST /targets/{id}/themes", s.answerTheme},
		{"GET /peer-reviews", s.peerReviewsPage},
		{"POST /peer-reviews", s.requestPeerReview},
		{"GET /peer-reviews/new", s.newPeerReviewPage},
		{"GET /peer-reviews/{id}", s.peerReviewPage},
		{"GET /peer-reviews/{id}/pack", s.peerReviewPackPage},
		{"GET /peer-reviews/{id}/scope", s.scopePage},
		{"POST /peer-reviews/{id}/scope", s.scopeReview},
		{"POST /peer-reviews/{id}/stages", s.moveReviewStage},
		{"POST /peer-reviews/{id}/team", s.addTeamMember},
		{"POST /peer-reviews/{id}/team/{member}/remove", s.removeTeamMember},
		{"POST /peer-reviews/{id}/conflicts", s.flagConflict},
		{"POST /peer-reviews/{id}/conflicts/{conflict}", s.decideConflict},
		{"POST /peer-reviews/{id}/position-statement", s.writeStatement},
		{"GET /peer-reviews/{id}/findings/new", s.newFindingPage},
		{"POST /peer-reviews/{id}/findings", s.recordFinding},
		{"GET /peer-reviews/{id}/findings/{finding}/edit", s.editFindingPage},
		{"POST /peer-reviews/{id}/findings/{finding}", s.updateFinding},
		{"POST /peer-reviews/{id}/findings/{finding}/delete", s.deleteFinding},
		{"POST /peer-reviews/{id}/findings/{finding}/responses", s.respondToFinding},
		{"POST /peer-reviews/{id}/report", s.saveReportSummary},
		{"POST /peer-reviews/{id}/report/publish", s.publishReport},
		{"GET /peer-reviews/{id}/actions/new", s.newActionPage},
		{"POST /peer-reviews/{id}/actions", s.saveAction},
		{"GET /peer-reviews/{id}/actions/{action}/edit", s.editActionPage},
		{"POST /peer-reviews/{id}/actions/{action}", s.saveAction},
		{"POST /peer-reviews/{id}/actions/{action}/progress", s.updateActionProgress},
		{"POST /peer-reviews/{id}/progress-review", s.recordProgressReview},
		{"GET /practice", s.practicePage},
		{"POST /practice", s.createNote},
		{"GET /practice/new", s.newNotePage},
		{"GET /practice/improvers", s.improversPage},
		{"GET /practice/{id}", s.notePage},
		{"GET /practice/{id}/edit", s.editNotePage},
		{"POST /practice/{id}/edit", s.updateNote},
		{"POST /practice/{id}/tried-elsewhere", s.addTriedElsewhere},
		{"GET /sign-in", s.signInPage},
		{"POST /sign-in", s.signIn},
		{"POST /sign-out", s.signOut},
		{"GET /sign-in/oidc", s.oidcStart},
		{"GET /sign-in/oidc/callback", s.oidcCallback},
	}
	for _, rt := range pages {
		s.mux.Handle(rt.pattern, s.pageHandler(rt.handle))
	}
}

// Handler is the whole site behind one middleware chain: request logging
// outermost (so it records the status a panic turned into), then panic
// recovery, then security headers, then who is signed in and the CSRF
// checks (session.go, csrf.go).
func (s *Server) Handler() http.Handler {
	var h http.Handler = http.HandlerFunc(s.dispatch)
	h = s.authenticate(h)
	h = secureHeaders(h)
	h = s.recoverPanics(h)
	h = s.logRequests(h)
	return h
}

// dispatch serves routed requests through the mux, and answers requests
// that match no route (404) or match one only by path (405) in the shape of
// their surface: the JSON error for the API, an NHS.UK error page otherwise.
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request) {
	h, pattern := s.mux.Handler(r)
	if pattern != "" {
		s.mux.ServeHTTP(w, r)
		return
	}
	// The mux's own answer says whether it is 404, 405 or a redirect to a
	// cleaned path; keep redirects and replace the plain-text errors.
	rec := &recorder{header: make(http.Header)}
	h.ServeHTTP(rec, r)
	var err error
	switch rec.status {
	case http.StatusNotFound:
		err = accord.Errorf(accord.ENOTFOUND, "Nothing is at %s.", r.URL.Path)
	case http.StatusMethodNotAllowed:
		allow := rec.header.Get("Allow")
		w.Header().Set("Allow", allow)
		err = accord.Errorf(eMethodNotAllowed, "%s is not allowed on %s; use %s.", r.Method, r.URL.Path, allow)
	default:
		rec.replay(w)
		return
	}
	if isAPI(r) {
		s.writeAPIError(w, r, err)
	} else {
		s.writePageError(w, r, err)
	}
}

func isAPI(r *http.Request) bool {
	return r.URL.Path == "/api" || strings.HasPrefix(r.URL.Path, "/api/")
}
