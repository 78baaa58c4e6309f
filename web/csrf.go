package web

import (
	"crypto/subtle"
	"html/template"
	"mime"
	"net/http"

	"github.com/nhs-accord/accord"
)

// A browser sends our cookies with any request, even one another site's
// page makes it send. Two checks stop such requests changing anything:
// the browser's own word on where the request came from (Sec-Fetch-Site,
// else Origin; see http.CrossOriginProtection), and, for a signed-in
// session, a secret token that only our own pages hold.
const (
	csrfFormField = "csrf_token"   // the hidden field every form carries
	csrfHeader    = "X-CSRF-Token" // the same token, for scripts that use the session cookie
)

// CSRFField is the hidden input every state-changing form must carry;
// a page template writes {{.CSRFField}} inside each <form method="post">
// ({{$.CSRFField}} inside range or with). Without a signed-in session it
// writes nothing, since such a form is refused anyway.
func (p page) CSRFField() template.HTML {
	if p.Viewer.CSRFToken == "" {
		return ""
	}
	return template.HTML(`<input type="hidden" name="` + csrfFormField + `" value="` +
		template.HTMLEscapeString(p.Viewer.CSRFToken) + `">`)
}

func safeMethod(method string) bool {
	return method == http.MethodGet || method == http.MethodHead || method == http.MethodOptions
}

// errCSRF is the answer to a state-changing request without a good token.
func errCSRF() error {
	return accord.Errorf(accord.EFORBIDDEN, "This form has expired or did not come from Accord, so nothing was changed. "+
		"Go back, reload the page and try again.")
}

// checkCSRF refuses a state-changing request that another site could have
// made the browser send, and a page form sent by nobody signed in. It may
// parse the request's form to find the token; the returned cleanup (nil
// when there is nothing to clean) removes any uploaded files it kept.
func (s *Server) checkCSRF(w http.ResponseWriter, r *http.Request, a *requestAuth) (cleanup func(), err error) {
	// API tokens are sent by code, never added by a browser on its own, so
	// a request carrying one cannot be forged by another site.
	if safeMethod(r.Method) || a.bearer {
		return nil, nil
	}
	if err := s.crossOrigin.Check(r); err != nil {
		return nil, accord.Errorf(accord.EFORBIDDEN, "Accord refused this request because it came from another website, so nothing was changed.")
	}
	if r.URL.Path == "/sign-in" {
		// Sign-in comes before any session; it checks its own form token.
		return nil, nil
	}
	if a.session != nil {
		token := r.Header.Get(csrfHeader)
		if token == "" && !isAPI(r) {
			token, cleanup = formToken(w, r)
		}
		if token == "" || subtle.ConstantTimeCompare([]byte(token), []byte(a.session.CSRFToken)) != 1 {
			return cleanup, errCSRF()
		}
		return cleanup, nil
	}
	// Nobody is signed in. The API decides for itself what is open to
	// anyone; signing out needs nobody; anything that matches no route is
	// left to dispatch to answer 404 or 405.
	if isAPI(r) || r.URL.Path == "/sign-out" {
		return nil, nil
	}
	if _, pattern := s.mux.Handler(r); pattern == "" {
		return nil, nil
	}
	return nil, errSignIn(r)
}

// formToken reads the token from the form body. A multipart form (a file
// upload) is parsed here, bounded as the import API bounds it, and stays
// parsed for the handler: it reads it with r.FormFile and r.PostFormValue.
func formToken(w http.ResponseWriter, r *http.Request) (string, func()) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		return r.PostFormValue(csrfFormField), nil
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
	if err := r.ParseMultipartForm(32 << 20); err != nil {
		return "", nil
	}
	return r.PostFormValue(csrfFormField), func() { _ = r.MultipartForm.RemoveAll() }
}
