package web

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/nhs-accord/accord"
)

// TestErrorCodeStatuses holds the one table from error codes to HTTP
// statuses, including the access codes the target workflow uses.
func TestErrorCodeStatuses(t *testing.T) {
	e := newTestEnv(t, Config{})
	r := httptest.NewRequest(http.MethodGet, "/api/v1/targets", nil)
	for code, want := range map[string]int{
		accord.EINVALID: 400, accord.EUNAUTHORIZED: 401, accord.EFORBIDDEN: 403, accord.ENOTFOUND: 404,
		accord.ECONFLICT: 409, accord.ESCHEMA: 503, accord.EINTERNAL: 500,
	} {
		if got := e.srv.toProblem(r, accord.Errorf(code, "x")).Status; got != want {
			t.Errorf("%s: %d, want %d", code, got, want)
		}
	}
}
