package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"time"
)

// staticFS holds our CSS and JavaScript and, once `make assets` has run,
// the vendored NHS.UK frontend under static/vendor/nhsuk/.
//
//go:embed static
var staticFS embed.FS

// vendorCSS is the NHS.UK frontend stylesheet; without it pages are
// unstyled, so New refuses to start.
const vendorCSS = "vendor/nhsuk/nhsuk-frontend.min.css"

// staticFile is one file served under /static/{hash}/{path}.
type staticFile struct {
	content     []byte
	hash        string
	contentType string
}

// staticFiles serves files at content-hashed URLs: a URL names one version
// of a file for ever, so browsers may cache it for a year, and a changed
// file gets a new URL.
type staticFiles struct {
	files map[string]staticFile // by path below static/
}

// Content types by extension, fixed here rather than taken from the
// machine's mime.types so every server answers alike.
var contentTypes = map[string]string{
	".css":   "text/css; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".mjs":   "text/javascript; charset=utf-8",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".ico":   "image/x-icon",
	".json":  "application/json",
	".woff2": "font/woff2",
	".txt":   "text/plain; charset=utf-8",
	"":       "text/plain; charset=utf-8", // VERSION
}

// hashLen is how many hex digits of the SHA-256 name a version; 16 (64
// bits) is far beyond any chance of two versions of one file colliding.
const hashLen = 16

func loadStatic(fsys fs.FS) (*staticFiles, error) {
	root, err := fs.Sub(fsys, "static")
	if err != nil {
		return nil, err
	}
	sf := &staticFiles{files: make(map[string]staticFile)}
	err = fs.WalkDir(root, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(root, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		ct, ok := contentTypes[path.Ext(p)]
		if !ok {
			if ct = mime.TypeByExtension(path.Ext(p)); ct == "" {
				ct = "application/octet-stream"
			}
		}
		sf.files[p] = staticFile{content: b, hash: hex.EncodeToString(sum[:])[:hashLen], contentType: ct}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: reading static files: %w", err)
	}
	return sf, nil
}

func (sf *staticFiles) has(p string) bool {
	_, ok := sf.files[p]
	return ok
}

// url is the hashed URL of the file at p below static/, for templates.
func (sf *staticFiles) url(p string) (string, error) {
	f, ok := sf.files[p]
	if !ok {
		return "", fmt.Errorf("web: no static file %q", p)
	}
	return "/static/" + f.hash + "/" + p, nil
}

// serve answers GET /static/{hash}/{path...}. A hash that is not the file's
// own (a relative URL inside a stylesheet or module, which inherits the
// hash of the file that names it, or a page cached from before a release)
// is redirected to the current one rather than served under a URL that
// claims to be immutable.
func (sf *staticFiles) serve(w http.ResponseWriter, r *http.Request) {
	p := r.PathValue("path")
	f, ok := sf.files[p]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if r.PathValue("hash") != f.hash {
		w.Header().Set("Cache-Control", "no-cache")
		http.Redirect(w, r, "/static/"+f.hash+"/"+p, http.StatusFound)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", `"`+f.hash+`"`)
	http.ServeContent(w, r, p, time.Time{}, bytes.NewReader(f.content))
}
